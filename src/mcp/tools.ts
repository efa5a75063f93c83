/**
 * The MCP tools: questions about recordings, answered from the query layer and the insight
 * detectors. Every result is JSON text, bounded (limits and paging on every list, long results cut
 * with a note), and every event carries its id and a UI deep link. Bad arguments are rejected by
 * the schemas or by the query layer with a one-line message; the SDK returns them as tool errors.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { Kind, kindNames } from '../format/events.js';
import { readSource } from '../recording/sources.js';
import { RecordingError } from '../recording/errors.js';
import { callTree, type CallNode } from '../query/calltree.js';
import { listErrors } from '../query/errors.js';
import { checkRow, type EventIndex } from '../query/index/event-index.js';
import { queryEvents } from '../query/scan.js';
import { search } from '../query/search.js';
import { slowest } from '../query/slowest.js';
import { stackAt, type Frame } from '../query/stack.js';
import { bindingHistory, momentIn, propertyHistory, resolveObject, rowAtTime, stateAt } from '../query/state.js';
import { computeStats } from '../query/stats.js';
import { findingKinds, runInsights, type FindingKind } from '../insight/index.js';
import { uiLink } from './links.js';
import type { RecordingEntry, Workspace } from './workspace.js';

/** Longest text a tool returns; past it the result is cut and says so. */
export const MAX_TEXT = 60_000;

type Result = { content: { type: 'text'; text: string }[]; isError?: boolean };

function text(value: unknown): Result {
  let s = JSON.stringify(value, null, 1);
  if (s.length > MAX_TEXT) s = `${s.slice(0, MAX_TEXT)}\n… (cut at ${MAX_TEXT} characters: ask for fewer items with limit/offset)`;
  return { content: [{ type: 'text', text: s }] };
}

const recording = z.string().max(4096).optional().describe('recording name from list_recordings (default: the latest)');
const eventId = z.number().int().min(0).describe('event id (the @N of other results)');
const limit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt).describe(`items per page (max ${max})`);
const offset = z.number().int().min(0).max(1e12).default(0).describe('items to skip (paging)');

export function registerTools(server: McpServer, ws: Workspace): void {
  const open = (name: string | undefined) => ws.index(name);
  const linkTo = (entry: RecordingEntry) => (id: number) => uiLink(entry.name, id);
  const withLinks = <T extends { id: number }>(entry: RecordingEntry, e: T) => ({ ...e, link: uiLink(entry.name, e.id) });
  const frame = (entry: RecordingEntry, f: Frame) => ({ ...f, link: uiLink(entry.name, f.call) });

  server.registerTool(
    'list_recordings',
    { description: 'List the recordings this server can read, newest first, with their command and whether they are complete.', inputSchema: { offset, limit: limit(200, 50) } },
    async ({ offset: off, limit: lim }) => {
      const all = ws.list();
      return text({ total: all.length, offset: off, recordings: all.slice(off, off + lim).map(({ name, command, startedAt, complete }) => ({ name, command, startedAt, complete })) });
    },
  );

  server.registerTool(
    'overview',
    { description: 'Overview of a recording: events by kind, functions, duration, drops, processes and threads, most called functions, uncaught errors.', inputSchema: { recording } },
    async ({ recording: r }) => {
      const { entry, index } = open(r);
      const s = computeStats(index.rec);
      const errors = listErrors(index, { limit: 20 }).filter((e) => e.end === 'uncaught');
      return text({ ...s, recording: entry.name, uncaughtErrors: errors.map((e) => ({ id: e.id, link: uiLink(entry.name, e.id), value: e.value })) });
    },
  );

  server.registerTool(
    'find_events',
    {
      description: 'Find events by kind, function, site, process, thread and time range (µs since the process started), in order, paged.',
      inputSchema: {
        recording,
        kinds: z.array(z.enum(Object.values(kindNames).filter((k) => k !== 'time') as [string, ...string[]])).max(30).optional(),
        function: z.string().max(500).optional().describe('function name as recorded, e.g. Cart.add'),
        site: z.number().int().min(0).optional(),
        pid: z.number().int().min(0).optional(),
        thread: z.number().int().min(0).optional(),
        from_us: z.number().optional(),
        to_us: z.number().optional(),
        offset,
        limit: limit(200, 50),
      },
    },
    async (a) => {
      const { entry, index } = open(a.recording);
      const events = queryEvents(index, {
        ...(a.kinds ? { kinds: a.kinds } : {}),
        ...(a.function !== undefined ? { fn: a.function } : {}),
        ...(a.site !== undefined ? { site: a.site } : {}),
        ...(a.pid !== undefined ? { pid: a.pid } : {}),
        ...(a.thread !== undefined ? { thread: a.thread } : {}),
        ...(a.from_us !== undefined ? { from: a.from_us } : {}),
        ...(a.to_us !== undefined ? { to: a.to_us } : {}),
        offset: a.offset,
        limit: a.limit,
      });
      return text({ offset: a.offset, count: events.length, more: events.length === a.limit, events: events.map((e) => withLinks(entry, e)) });
    },
  );

  server.registerTool(
    'call_tree',
    { description: 'The call tree of the call an event belongs to: callees with arguments, results or thrown values, durations.', inputSchema: { recording, event: eventId, depth: z.number().int().min(1).max(8).default(3), max_nodes: z.number().int().min(1).max(500).default(200) } },
    async (a) => {
      const { entry, index } = open(a.recording);
      const tree = callTree(index, a.event, { depth: a.depth, maxNodes: a.max_nodes });
      const link = (n: CallNode): unknown => ({ ...n, link: uiLink(entry.name, n.call), children: n.children.map(link) });
      return text(tree ? link(tree) : { note: `event #${a.event} is outside any call` });
    },
  );

  server.registerTool(
    'stack',
    { description: 'The stack at an event, innermost first, with each frame’s arguments (async callers marked).', inputSchema: { recording, event: eventId } },
    async (a) => {
      const { entry, index } = open(a.recording);
      const s = stackAt(index, a.event);
      return text({ event: withLinks(entry, s.event), frames: s.frames.slice(0, 200).map((f) => frame(entry, f)), more: Math.max(0, s.frames.length - 200) });
    },
  );

  server.registerTool(
    'state_at',
    {
      description: 'The state of an object (its id: the #N of snapshots and refs, or PID/THREAD/N) just after an event, or at a time (ms since its process started), or at the end.',
      inputSchema: { recording, object: z.string().max(100), event: eventId.optional(), time_ms: z.number().min(0).optional() },
    },
    async (a) => {
      const { entry, index } = open(a.recording);
      const obj = resolveObject(index, a.object);
      const row = a.event !== undefined ? momentIn(index, obj.ctx, checkRow(index, a.event)) : rowAtTime(index, obj.ctx, a.time_ms !== undefined ? a.time_ms * 1000 : Infinity);
      const st = stateAt(index, obj, row);
      return text({ ...st, link: row >= 0 ? uiLink(entry.name, row) : undefined, applied: st.applied.slice(-200).map((w) => ({ ...w, link: uiLink(entry.name, w.event) })) });
    },
  );

  server.registerTool(
    'value_history',
    { description: 'Every write to OBJECT.KEY (e.g. 3.total) or to a variable NAME: value after the write, writer with arguments, stack, outermost cause. The last `limit` writes.', inputSchema: { recording, target: z.string().min(1).max(500), limit: limit(200, 30) } },
    async (a) => {
      const { entry, index } = open(a.recording);
      const m = /^((?:\d+\/\d+\/)?#?\d+)\.(.+)$/.exec(a.target);
      const h = m ? propertyHistory(index, resolveObject(index, m[1]!), m[2]!, { limit: a.limit }) : bindingHistory(index, a.target, { limit: a.limit });
      return text({ ...h, writes: h.writes.map((w) => ({ ...w, stack: w.stack.slice(0, 12).map((f) => frame(entry, f)), event: withLinks(entry, w.event) })) });
    },
  );

  server.registerTool(
    'causal_chain',
    {
      description: 'Follow what led to an event, step by step: the frame it happened in, who called it, which call a resumption continues, the throw an error started at, the previous write of the same value. Newest first.',
      inputSchema: { recording, event: eventId, limit: limit(100, 30) },
    },
    async (a) => {
      const { entry, index } = open(a.recording);
      checkRow(index, a.event);
      return text({ steps: causalChain(index, a.event, a.limit).map((s) => ({ ...s, event: withLinks(entry, index.event(s.id, true)) })).map(({ id: _id, ...s }) => s) });
    },
  );

  server.registerTool(
    'slow_calls',
    { description: 'Functions by call duration: count, p50/p95/p99 and max (µs), with the slowest call of each.', inputSchema: { recording, function: z.string().max(500).optional(), top: limit(100, 20) } },
    async (a) => {
      const { entry, index } = open(a.recording);
      const rows = slowest(index, { top: a.top, ...(a.function !== undefined ? { fn: a.function } : {}) });
      return text(rows.map((r) => ({ ...r, slowestLink: uiLink(entry.name, r.slowestCall) })));
    },
  );

  server.registerTool(
    'insights',
    {
      description: `Run the detectors (${findingKinds.join(', ')}): likely causes of problems, each with a plain-language explanation, source locations and events.`,
      inputSchema: { recording, kinds: z.array(z.enum(findingKinds as [FindingKind, ...FindingKind[]])).max(20).optional(), offset, limit: limit(100, 20) },
    },
    async (a) => {
      const { entry, index } = open(a.recording);
      const report = runInsights(index, a.kinds ? { only: a.kinds } : {});
      const link = linkTo(entry);
      return text({
        recording: entry.name,
        complete: report.complete,
        total: report.findings.length,
        offset: a.offset,
        findings: report.findings.slice(a.offset, a.offset + a.limit).map((f) => ({ ...f, eventLinks: f.events.map(link) })),
        ...(report.errors.length ? { detectorErrors: report.errors } : {}),
      });
    },
  );

  server.registerTool(
    'read_source',
    {
      description: 'Source lines from the recording’s copy of a file, around a line or around the site of an event.',
      inputSchema: { recording, event: eventId.optional(), file: z.string().max(4096).optional(), line: z.number().int().min(1).optional(), context: z.number().int().min(0).max(60).default(8) },
    },
    async (a) => {
      const { entry, index } = open(a.recording);
      let file = a.file;
      let line = a.line;
      if (a.event !== undefined) {
        const e = index.event(checkRow(index, a.event), false);
        if (!e.file) throw new RecordingError(`event #${a.event} has no source site`);
        file = e.file;
        line = e.line;
      }
      if (file === undefined) throw new RecordingError('give an event, or a file (and a line)');
      const known = index.rec.processes.some((p) => [...p.sites().values()].some((s) => s.file === file));
      const src = known ? readSource(index.rec.dir, file.startsWith('file://') ? new URL(file).pathname : file) : null;
      if (src === null) throw new RecordingError(`the recording holds no source for ${file}`);
      const lines = src.split('\n');
      const at = Math.min(Math.max(1, line ?? 1), lines.length);
      const from = Math.max(1, at - a.context);
      const to = Math.min(lines.length, at + a.context);
      return text({ recording: entry.name, file, line: at, from, to, lines: lines.slice(from - 1, to).map((t, i) => `${String(from + i).padStart(5)}${from + i === at ? '>' : ' '} ${t.slice(0, 400)}`) });
    },
  );

  server.registerTool(
    'search_values',
    { description: 'Find a string (substring) or a number in captured values: arguments, results, thrown values, writes, log lines. Each hit with the path inside the value.', inputSchema: { recording, value: z.union([z.string().min(1).max(1000), z.number()]), offset, limit: limit(100, 30) } },
    async (a) => {
      const { entry, index } = open(a.recording);
      const hits = search(index, a.value, { limit: a.offset + a.limit });
      return text({ offset: a.offset, hits: hits.slice(a.offset).map((h) => ({ ...h, event: withLinks(entry, h.event) })), more: hits.length === a.offset + a.limit });
    },
  );

  server.registerTool(
    'explain_error',
    {
      description: 'Explain an error: where it was thrown, the frames it unwound, how it ended (caught, rejected, uncaught), the stack, and for uncaught errors the write that most likely produced the bad value. Without an event: the first uncaught error (else the first error).',
      inputSchema: { recording, event: eventId.optional() },
    },
    async (a) => {
      const { entry, index } = open(a.recording);
      const errors = listErrors(index, { limit: 10_000 });
      const chain =
        a.event !== undefined
          ? errors.find((e) => e.id === a.event || e.error?.id === a.event || e.unwound.some((u) => u.throwId === a.event))
          : (errors.find((e) => e.end === 'uncaught') ?? errors[0]);
      if (!chain) throw new RecordingError(a.event !== undefined ? `event #${a.event} is not a throw or error event` : 'this recording has no errors');
      const finding = runInsights(index, { only: ['uncaught-error', 'swallowed-error'] }).findings.find((f) => f.events.includes(chain.id) || (chain.error !== undefined && f.events.includes(chain.error.id)));
      const stack = stackAt(index, chain.id).frames.slice(0, 50).map((f) => frame(entry, f));
      return text({
        error: { ...chain, link: uiLink(entry.name, chain.id), unwound: chain.unwound.map((u) => ({ ...u, link: uiLink(entry.name, u.throwId) })) },
        stack,
        ...(finding ? { cause: { ...finding, eventLinks: finding.events.map(linkTo(entry)) } } : {}),
      });
    },
  );
}

export interface CausalStep {
  id: number;
  relation: string;
}

/**
 * Causes of an event as far as the index knows them today: the frame an event happened in, a
 * call's caller, the call a resumption continues (and the await it suspended at), the call a
 * return or throw ends, the throw an uncaught error started at, the previous write of the same
 * property. (Async-context, message and HTTP links join here when the correlator lands.)
 */
export function causalChain(index: EventIndex, start: number, limit: number): CausalStep[] {
  const steps: CausalStep[] = [{ id: start, relation: 'start' }];
  const seen = new Set([start]);
  let cur = start;
  const push = (id: number, relation: string): boolean => {
    if (id < 0 || seen.has(id) || steps.length >= limit) return false;
    seen.add(id);
    steps.push({ id, relation });
    cur = id;
    return true;
  };
  while (steps.length < limit) {
    const k = index.kind(cur);
    const parent = index.col.parent.get(cur);
    const link = index.col.link.get(cur);
    let moved = false;
    if (k === Kind.RESUME) {
      // the await it suspended at, then the call
      for (let r = cur - 1, n = 0; r >= 0 && n < 100_000 && !moved; r--, n++) {
        if (index.kind(r) === Kind.SUSPEND && index.callOf(index.col.parent.get(r)) === link) moved = push(r, 'resumes after this await');
      }
      if (!moved) moved = push(link, 'continues this call');
      else if (steps.length < limit) {
        moved = push(link, 'continues this call') || moved;
      }
    } else if (k === Kind.RETURN || k === Kind.THROW) moved = push(link, k === Kind.RETURN ? 'returns from this call' : 'thrown out of this call');
    else if (k === Kind.CALL) moved = parent >= 0 && push(parent, index.kind(parent) === Kind.RESUME ? 'called from this resumed frame' : 'called by');
    else if (k === Kind.ERROR) {
      for (let r = cur - 1, n = 0; r >= 0 && n < 10_000 && !moved; r--, n++) if (index.kind(r) === Kind.THROW) moved = push(r, 'the exception was thrown here');
    } else if (k === Kind.WRITE) {
      moved = push(parent, 'written in this frame');
    } else moved = push(parent, 'happened in this frame');
    if (!moved) break;
  }
  return steps;
}
