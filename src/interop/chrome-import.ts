/**
 * A Trace Event Format file (Chrome, Perfetto, or `cinema export --format chrome`) as a recording:
 * complete slices (and B/E pairs) become calls nested per thread, instants become log or error
 * events, flow arrows become a message sent at the arrow's start and received at its end (so the
 * correlator links them as causes), async HTTP slices written by our exporter become HTTP events.
 */
import fs from 'node:fs';
import { Kind } from '../format/events.js';
import { RecordingBuilder, type ProcessBuilder } from './recording-builder.js';
import { ListValue, type Encodable } from './value-encoder.js';

interface TraceEvent {
  name?: string;
  cat?: string;
  ph?: string;
  ts?: number;
  dur?: number;
  pid?: number;
  tid?: number;
  id?: string | number;
  args?: Record<string, unknown>;
}

interface Point {
  t: number;
  /** Before the slices that begin at the same time (a received message precedes its listener). */
  early: boolean;
  write(p: ProcessBuilder, thread: number, at: number): void;
}

export function readChromeFile(file: string): { events: TraceEvent[]; originUs: number } {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error((e as NodeJS.ErrnoException).code ? `cannot read ${file} (${(e as NodeJS.ErrnoException).code})` : `${file} is not a Trace Event file (not valid JSON)`);
  }
  const events = Array.isArray(doc) ? doc : (doc as { traceEvents?: unknown } | null)?.traceEvents;
  if (!Array.isArray(events)) throw new Error(`${file} is not a Trace Event file (no traceEvents)`);
  const origin = Number((doc as { otherData?: { originEpochUs?: unknown } }).otherData?.originEpochUs);
  return { events: events.filter((e): e is TraceEvent => !!e && typeof e === 'object' && typeof (e as TraceEvent).ph === 'string'), originUs: Number.isFinite(origin) && origin > 0 ? origin : Date.now() * 1000 };
}

export function importChrome(events: TraceEvent[], originUs: number, dir: string, command: string[]): { dir: string; processes: number; slices: number } {
  const ok = (e: TraceEvent) => Number.isInteger(e.pid) && Number.isFinite(e.ts);
  const byPid = new Map<number, TraceEvent[]>();
  const names = new Map<number, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'process_name' && typeof e.args?.name === 'string') names.set(e.pid!, e.args.name);
    if (e.ph === 'M' || !ok(e)) continue;
    (byPid.get(e.pid!) ?? byPid.set(e.pid!, []).get(e.pid!)!).push(e);
  }
  const builder = new RecordingBuilder(dir, command);
  let slices = 0;
  for (const [pid, list] of byPid) {
    const first = Math.min(...list.map((e) => e.ts!));
    const last = Math.max(...list.map((e) => e.ts! + (e.dur ?? 0)));
    const name = names.get(pid) ?? `pid ${pid}`;
    const proc = builder.process({ pid, argv: [name], timeOrigin: (originUs + first) / 1000, endedAt: (originUs + last) / 1000, runtime: 'imported from a Chrome trace', file: `trace:${name}` });
    const threads = new Map<number, TraceEvent[]>();
    for (const e of list) (threads.get(e.tid ?? 0) ?? threads.set(e.tid ?? 0, []).get(e.tid ?? 0)!).push(e);
    for (const [tid, evs] of threads) slices += writeThread(proc, tid, evs, first);
  }
  builder.finish();
  return { dir, processes: builder.processes, slices };
}

function writeThread(proc: ProcessBuilder, tid: number, evs: TraceEvent[], first: number): number {
  // B/E pairs as complete slices, then slices in nesting order: by start, longest first.
  const xs: TraceEvent[] = evs.filter((e) => e.ph === 'X');
  const open: TraceEvent[] = [];
  for (const e of [...evs].sort((a, b) => a.ts! - b.ts!)) {
    if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E' && open.length) {
      const b = open.pop()!;
      xs.push({ ...b, ph: 'X', dur: e.ts! - b.ts!, args: { ...b.args, ...e.args } });
    }
  }
  // Same start and length: our own files say the stream order in args.event (a call's row).
  const row = (e: TraceEvent) => (typeof e.args?.event === 'number' ? e.args.event : 0);
  xs.sort((a, b) => a.ts! - b.ts! || (b.dur ?? 0) - (a.dur ?? 0) || row(a) - row(b));
  // An arrow that names the run it ends at (args.event, as we write them) is received right
  // before that run begins, so it becomes that run's cause; others go by time.
  const slot = (e: TraceEvent) => `${row(e)}@${e.ts}`;
  const starts = new Set(xs.map(slot));
  const attached = new Map<string, Point[]>();
  const points: Point[] = [];
  for (const e of evs) {
    const made = point(e);
    if (e.ph === 'f' && typeof e.args?.event === 'number' && starts.has(slot(e))) (attached.get(slot(e)) ?? attached.set(slot(e), []).get(slot(e))!).push(...made);
    else points.push(...made);
  }
  points.sort((a, b) => a.t - b.t);
  const t = proc.thread(tid);
  const at = (ts: number) => ts - first;
  let p = 0;
  const pointsUpTo = (time: number, beginning: boolean) => {
    while (p < points.length && (points[p]!.t < time || (points[p]!.t === time && (!beginning || points[p]!.early)))) {
      const next = points[p++]!;
      next.write(proc, tid, at(next.t));
    }
  };
  const stack: TraceEvent[] = [];
  const end = (s: TraceEvent) => {
    const endTs = s.ts! + (s.dur ?? 0);
    pointsUpTo(endTs, false);
    const site = proc.site(s.name ?? 'slice', ['args']);
    const ret = s.args?.threw ?? s.args?.returned;
    t.event((s.cat ?? '').split(',').includes('throw') ? Kind.THROW : Kind.RETURN, site, at(endTs), ret === undefined ? undefined : (ret as Encodable));
  };
  for (const s of xs) {
    while (stack.length && stack.at(-1)!.ts! + (stack.at(-1)!.dur ?? 0) < s.ts! + (s.dur ?? 0)) end(stack.pop()!);
    pointsUpTo(s.ts!, true);
    for (const r of attached.get(slot(s)) ?? []) r.write(proc, tid, at(r.t));
    attached.delete(slot(s));
    const { returned: _r, threw: _t, ...args } = s.args ?? {};
    t.event(Kind.CALL, proc.site(s.name ?? 'slice', ['args']), at(s.ts!), new ListValue([args as Encodable]));
    stack.push(s);
  }
  while (stack.length) end(stack.pop()!);
  pointsUpTo(Infinity, false);
  return xs.length;
}

/** The events that are not slices, as what they become in the recording. */
function point(e: TraceEvent): Point[] {
  const t = e.ts!;
  const args = (e.args ?? {}) as Record<string, Encodable>;
  switch (e.ph) {
    case 'i':
    case 'I': {
      const kind = e.cat === 'error' ? Kind.ERROR : e.cat === 'process' ? Kind.PROCESS : e.cat === 'mark' ? Kind.MARK : Kind.LOG;
      const value: Encodable =
        kind === Kind.ERROR || kind === Kind.MARK ? (args.value ?? e.name ?? '') : kind === Kind.PROCESS ? { what: e.name ?? 'process', detail: args.value } : new ListValue([e.cat === 'log' ? (e.name ?? 'log').replace(/^console\./, '') : 'info', new ListValue([e.name ?? '', args])]);
      return [{ t, early: false, write: (p, th, at) => p.thread(th).event(kind, 0, at, value) }];
    }
    case 's':
    case 'f': {
      const msg = new ListValue(['flow', `flow:${String(e.id)}`, e.name ?? 'flow']);
      return [{ t, early: e.ph === 'f', write: (p, th, at) => p.thread(th).event(e.ph === 's' ? Kind.SEND : Kind.RECEIVE, 0, at, msg) }];
    }
    case 'b':
    case 'e': {
      if (e.cat !== 'http') return [];
      const [side, method, ...url] = (e.name ?? '').split(' ');
      const id = Number.parseInt(String(e.id).split(':').at(-1) ?? '', 10) || 0;
      const dir = side === 'client' ? 'out' : 'in';
      const tp = typeof args.traceparent === 'string' ? args.traceparent : undefined;
      // A client's traceparent carries its own span id: the key that links it to the server's request.
      const value: Encodable = e.ph === 'b' ? { phase: 'request', dir, id, api: 'trace', method, url: url.join(' '), traceparent: tp, span: dir === 'out' ? tp?.split('-')[2] : undefined } : { phase: 'response', dir, id, api: 'trace', status: args.status ?? null };
      return [{ t, early: false, write: (p, th, at) => p.thread(th).event(Kind.HTTP, 0, at, value) }];
    }
    default:
      return [];
  }
}
