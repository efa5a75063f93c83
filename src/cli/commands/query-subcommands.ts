/** The subcommands of `cinema query`: each parses its own options and prints text or JSON. */
import { kindNames } from '../../format/events.js';
import type { EventIndex } from '../../query/index/event-index.js';
import { checkRow } from '../../query/index/event-index.js';
import { queryEvents } from '../../query/scan.js';
import { callTree } from '../../query/calltree.js';
import { stackAt } from '../../query/stack.js';
import { search } from '../../query/search.js';
import { slowest } from '../../query/slowest.js';
import { listErrors } from '../../query/errors.js';
import { intOption, UsageError, type Options } from '../args.js';
import type { Io } from '../command.js';
import { formatError, formatEvent, formatFrame, formatTiming, formatTree } from './query-views.js';
import { stateSubcommands } from './query-state.js';
import { causalAncestors, causalDescendants } from '../../query/causality.js';
import { timeline } from '../../query/timeline.js';
import { Session } from '../../query/session.js';

export const kinds = Object.values(kindNames).filter((k) => k !== 'time');

type Values = Record<string, string | boolean | string[] | undefined>;

export interface Subcommand {
  name: string;
  summary: string;
  args: string;
  help: string;
  options: Options;
  run(index: EventIndex, args: string[], v: Values, io: Io): void;
  /** Set where the query also takes several recordings read as one (`cinema query REC1 REC2 … <query>`). */
  runSession?(session: Session, args: string[], v: Values, io: Io): void;
}

const print = (io: Io, v: Values, data: unknown, text: () => string[]) => {
  if (v.json) io.out(JSON.stringify(data, null, 2));
  else for (const line of text()) io.out(line);
};

/** An event id argument (`123` or `@123`). */
function eventArg(index: EventIndex | Session, args: string[], what: string): number {
  if (args.length === 0) throw new UsageError(`which event? give an event id (the @N shown by 'cinema query events') ${what}`);
  if (args.length > 1) throw new UsageError(`unexpected argument '${args[1]}'`);
  const n = Number(args[0]!.replace(/^@/, ''));
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`event id must be a whole number, not '${args[0]}'`);
  if (index instanceof Session) index.locate(n); // a one-line error when out of range
  else checkRow(index, n);
  return n;
}

const ms = (s: string | undefined, name: string): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} takes a time in ms, not '${s}'`);
  return n * 1000;
};

const str = (v: Values, k: string) => v[k] as string | undefined;

export const subcommands: Subcommand[] = [
  {
    name: 'events',
    summary: 'list events with their values',
    args: '',
    help: `Lists events in each thread's order, with their function, source location, captured values
and event id (@N, for stack, calltree).

  -k, --kind KIND       only events of this kind (repeatable): ${kinds.join(', ')}
  -f, --function NAME   only events of functions with this name (e.g. Cart.add)
      --site ID         only events of this site id
      --pid PID         only this process
      --thread ID       only this thread
      --from MS, --to MS  only events in this time range (ms since the process started)
      --offset N        skip the first N matching events
  -n, --limit N         at most N events (default 50)`,
    options: { kind: { type: 'string', short: 'k', multiple: true }, function: { type: 'string', short: 'f' }, site: { type: 'string' }, pid: { type: 'string' }, thread: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, offset: { type: 'string' }, limit: { type: 'string', short: 'n' } },
    run(index, args, v, io) {
      if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
      const k = v.kind as string[] | undefined;
      for (const x of k ?? []) if (!kinds.includes(x)) throw new UsageError(`--kind must be one of ${kinds.join(', ')}, not '${x}'`);
      const from = ms(str(v, 'from'), 'from');
      const to = ms(str(v, 'to'), 'to');
      const rows = queryEvents(index, {
        ...(k ? { kinds: k } : {}),
        ...(v.function ? { fn: str(v, 'function')! } : {}),
        ...(v.site ? { site: intOption(str(v, 'site'), 'site', 0, 0, 2 ** 24) } : {}),
        ...(v.pid ? { pid: intOption(str(v, 'pid'), 'pid', 0, 0, 2 ** 31) } : {}),
        ...(v.thread ? { thread: intOption(str(v, 'thread'), 'thread', 0, 0, 2 ** 31) } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        offset: intOption(str(v, 'offset'), 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
        limit: intOption(str(v, 'limit'), 'limit', 50, 1, 1_000_000),
      });
      print(io, v, rows, () => rows.map(formatEvent));
    },
  },
  {
    name: 'stack',
    summary: 'the stack at an event, with argument values',
    args: ' EVENT',
    help: `Prints the frames the thread was in at event EVENT (an @N id), innermost first, with each
call's arguments. Frames that resumed after an await show their callers from before, as (async caller).`,
    options: {},
    run(index, args, v, io) {
      const s = stackAt(index, eventArg(index, args, 'to show the stack at'));
      print(io, v, s, () => [formatEvent(s.event), ...s.frames.map((f) => `  at ${formatFrame(f)}`)]);
    },
  },
  {
    name: 'calltree',
    summary: 'the call tree under an event',
    args: ' EVENT',
    help: `Prints the call that event EVENT belongs to (or the call itself) and its callees, with
arguments, results and durations.

  -d, --depth N         levels of callees (default 3)
      --max-nodes N     calls shown at most (default 1000)`,
    options: { depth: { type: 'string', short: 'd' }, 'max-nodes': { type: 'string' } },
    run(index, args, v, io) {
      const row = eventArg(index, args, 'to show the call tree under');
      const t = callTree(index, row, { depth: intOption(str(v, 'depth'), 'depth', 3, 0, 10_000), maxNodes: intOption(str(v, 'max-nodes'), 'max-nodes', 1000, 1, 1_000_000) });
      print(io, v, t, () => (t ? formatTree(t) : [`event @${row} is outside any call`]));
    },
  },
  {
    name: 'search',
    summary: 'find a string or number in arguments, results and thrown values',
    args: ' VALUE',
    help: `Finds events whose captured values hold VALUE: a number (exactly), or a string (as part of
a string value or an error message). Write --string to search for digits as text.

      --string          treat VALUE as a string even when it looks like a number
  -n, --limit N         at most N hits (default 50)`,
    options: { string: { type: 'boolean' }, limit: { type: 'string', short: 'n' } },
    run(index, args, v, io) {
      if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'what to search for? give a string or a number');
      const raw = args[0]!;
      const needle = !v.string && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
      const hits = search(index, needle, { limit: intOption(str(v, 'limit'), 'limit', 50, 1, 1_000_000) });
      print(io, v, hits, () => hits.map((h) => `${formatEvent({ ...h.event, value: h.match })}  at ${h.path}`));
    },
  },
  {
    name: 'slowest',
    summary: 'slowest functions: calls, p50/p95/p99 and max duration',
    args: '',
    help: `Times every call that ended, grouped by function (site), slowest p95 first.

  -f, --function NAME   only this function
  -n, --limit N         at most N functions (default 20)`,
    options: { function: { type: 'string', short: 'f' }, limit: { type: 'string', short: 'n' } },
    run(index, args, v, io) {
      if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
      const rows = slowest(index, { top: intOption(str(v, 'limit'), 'limit', 20, 1, 1_000_000), ...(v.function ? { fn: str(v, 'function')! } : {}) });
      print(io, v, rows, () => [`    calls     p50 ms    p95 ms    p99 ms    max ms  function`, ...rows.map(formatTiming)]);
    },
  },
  {
    name: 'errors',
    summary: 'thrown and uncaught errors with the frames they unwound through',
    args: '',
    help: `Lists each exception where it was first thrown, the frames it unwound through, and where it
was caught (the catching function; at module level, the catch clause's line), or that it was
uncaught, or rejected an async function's promise. A throw out of a
function that is not async carries no value: the value shown is the one the catch clause that
received it recorded, or the uncaught error's, or that of a later call it was handed to.
Exceptions whose throw is no event (thrown inside JSON.parse or a library that is not recorded,
or in the frame that catches them) are listed as "caught" where a catch clause of yours received
them.

  -n, --limit N         at most N errors (default 100)`,
    options: { limit: { type: 'string', short: 'n' } },
    run(index, args, v, io) {
      if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
      const rows = listErrors(index, { limit: intOption(str(v, 'limit'), 'limit', 100, 1, 1_000_000) });
      print(io, v, rows, () => rows.flatMap(formatError));
    },
  },
  {
    name: 'causes',
    summary: 'why an event happened: its causal ancestors (or, with --effects, what it caused)',
    args: ' EVENT',
    help: `Follows causes back from an event, nearest first: the call it ran in and that call's callers,
the await a resumption continues, and, when the recording has causality (cinema record
--causality), the async work, message, HTTP request or process start behind a callback.
With --effects, lists what the event led to instead (its causal descendants, breadth first).

  -n, --limit N         at most N events (default 50)
      --effects         what the event caused, not what caused it`,
    options: { limit: { type: 'string', short: 'n' }, effects: { type: 'boolean' } },
    run(index, args, v, io) {
      const row = eventArg(index, args, 'to explain');
      const limit = intOption(str(v, 'limit'), 'limit', 50, 1, 1_000_000);
      const rows = v.effects ? causalDescendants(index, row, { limit }) : causalAncestors(index, row, limit);
      print(io, v, rows, () => [formatEvent(index.event(row, true)), ...rows.map((e) => `  ${v.effects ? '→' : '←'} ${formatEvent(e)}`)]);
    },
    runSession(session, args, v, io) {
      const row = eventArg(session, args, 'to explain');
      const limit = intOption(str(v, 'limit'), 'limit', 50, 1, 1_000_000);
      const rows = v.effects ? causalDescendants(session, row, { limit }) : causalAncestors(session, row, limit);
      const line = (e: { recording: number } & Parameters<typeof formatEvent>[0]) => `[${e.recording}] ${formatEvent(e)}`;
      print(io, v, rows, () => [line(session.event(row, true)), ...rows.map((e) => `  ${v.effects ? '→' : '←'} ${line(e)}`)]);
    },
  },
  {
    name: 'timeline',
    summary: 'every process and thread in one order that respects causality across processes',
    args: '',
    help: `Lists the events of all processes and threads in one order: by wall-clock time, each process's
clock shifted just enough that nothing it received (an HTTP request, a child's start) comes
before its cause in another process, even when the machines' clocks disagree. The shifts are
printed first. Cross-process causes come from recordings made with --causality.

Several recordings (services recorded separately, e.g. 'cinema query A B timeline') are merged
into one timeline, joined where a recorded client's request reached a recorded server; event ids
then count through the recordings in the order given (each line shows [recording]), and
'cinema query A B causes ID' follows causes across them.

      --offset N        skip the first N events
  -n, --limit N         at most N events (default 100)`,
    options: { offset: { type: 'string' }, limit: { type: 'string', short: 'n' } },
    run(index, args, v, io) {
      this.runSession!(new Session([index]), args, v, io);
    },
    runSession(session, args, v, io) {
      if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
      const t = timeline(session, { offset: intOption(str(v, 'offset'), 'offset', 0, 0, Number.MAX_SAFE_INTEGER), limit: intOption(str(v, 'limit'), 'limit', 100, 1, 1_000_000) });
      const start = Math.min(...t.events.map((e) => e.atUs));
      const many = session.indexes.length > 1;
      print(io, v, t, () => [
        ...t.offsets.filter((o) => o.shiftUs > 0).map((o) => `clock of ${many ? `[${o.recording}] ` : ''}${o.pid} shifted +${(o.shiftUs / 1000).toFixed(3)} ms to keep causes first`),
        ...t.events.map((e) => `+${((e.atUs - start) / 1000).toFixed(3).padStart(10)} ms  ${many ? `[${e.recording}] ` : ''}${formatEvent(e)}`),
      ]);
    },
  },
  ...stateSubcommands,
];
