/**
 * A checker for the Trace Event Format (the "Trace Event Format" document by Google that
 * chrome://tracing and Perfetto implement): the JSON Object Format's top level, each phase's
 * required fields, and the rules a viewer relies on: complete slices of one thread nest, async
 * begin/end pairs match, every flow start has its finish and both bind to an enclosing slice.
 * Returns the problems found (empty: valid).
 */
export interface TraceEvent {
  name?: string;
  cat?: string;
  ph: string;
  ts?: number;
  dur?: number;
  pid?: number;
  tid?: number;
  id?: string | number;
  s?: string;
  bp?: string;
  args?: Record<string, unknown>;
}

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'P', 'O', 'N', 'D', 'M', 'R', 'c', '(', ')']);
const METADATA = new Set(['process_name', 'process_labels', 'process_sort_index', 'thread_name', 'thread_sort_index']);
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown) => Number.isInteger(v);

export function checkTrace(doc: unknown): { problems: string[]; events: TraceEvent[] } {
  const problems: string[] = [];
  const bad = (i: number, why: string) => problems.length < 50 && problems.push(`event ${i}: ${why}`);
  let events: unknown;
  if (Array.isArray(doc)) events = doc;
  else if (doc && typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    events = o.traceEvents;
    if (o.displayTimeUnit !== undefined && o.displayTimeUnit !== 'ms' && o.displayTimeUnit !== 'ns') problems.push('displayTimeUnit must be "ms" or "ns"');
    if (o.otherData !== undefined && (typeof o.otherData !== 'object' || o.otherData === null)) problems.push('otherData must be an object');
  }
  if (!Array.isArray(events)) return { problems: ['no traceEvents array'], events: [] };
  const list = events as TraceEvent[];
  list.forEach((e, i) => {
    if (!e || typeof e !== 'object') return bad(i, 'not an object');
    if (!PHASES.has(e.ph)) return bad(i, `unknown ph ${String(e.ph)}`);
    if (typeof e.name !== 'string') bad(i, 'name must be a string');
    if (!isInt(e.pid) || !isInt(e.tid)) bad(i, 'pid and tid must be integers');
    if (e.args !== undefined && (typeof e.args !== 'object' || e.args === null || Array.isArray(e.args))) bad(i, 'args must be an object');
    if (e.ph === 'M') {
      if (!METADATA.has(e.name!)) bad(i, `unknown metadata ${e.name}`);
      if (!e.args || (e.name!.endsWith('_name') ? typeof e.args.name !== 'string' : e.name!.endsWith('sort_index') ? !isInt(e.args.sort_index) : false)) bad(i, 'metadata without its argument');
      return;
    }
    if (!isNum(e.ts) || e.ts! < 0) bad(i, 'ts must be a number of µs');
    if (e.ph === 'X' && (!isNum(e.dur) || e.dur! < 0)) bad(i, 'X needs dur >= 0');
    if ((e.ph === 'i' || e.ph === 'I') && e.s !== undefined && !['g', 'p', 't'].includes(e.s)) bad(i, 'instant scope must be g, p or t');
    if ('bBnestf'.includes(e.ph) && e.ph !== 'B' && (e.id === undefined || typeof e.cat !== 'string')) bad(i, `${e.ph} needs cat and id`);
    if (e.ph === 'f' && e.bp !== undefined && e.bp !== 'e') bad(i, 'bp must be "e"');
  });

  // Complete slices of one thread nest: sorted by start (longest first), each ends within the one open around it.
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of list) if (e.ph === 'X') (byThread.get(`${e.pid}:${e.tid}`) ?? byThread.set(`${e.pid}:${e.tid}`, []).get(`${e.pid}:${e.tid}`)!).push(e);
  const EPS = 0.002;
  for (const [thread, slices] of byThread) {
    slices.sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!);
    const stack: TraceEvent[] = [];
    for (const s of slices) {
      while (stack.length && stack.at(-1)!.ts! + stack.at(-1)!.dur! <= s.ts! + EPS && !(stack.at(-1)!.ts! + stack.at(-1)!.dur! >= s.ts! + s.dur! - EPS && stack.at(-1)!.ts! <= s.ts!)) stack.pop();
      const top = stack.at(-1);
      if (top && s.ts! + s.dur! > top.ts! + top.dur! + EPS) problems.push(`thread ${thread}: slice ${s.name}@${s.ts} overlaps ${top.name}@${top.ts} without nesting`);
      stack.push(s);
    }
  }
  // Async begin/end pairs and flows.
  const open = new Map<string, number>();
  for (const e of list) {
    if (e.ph !== 'b' && e.ph !== 'e') continue;
    const key = `${e.cat}:${String(e.id)}`;
    open.set(key, (open.get(key) ?? 0) + (e.ph === 'b' ? 1 : -1));
  }
  for (const [key, n] of open) if (n < 0) problems.push(`async ${key}: more ends than begins`);
  const flows = new Map<string, { s: number; f: number }>();
  const encloses = (e: TraceEvent) => (byThread.get(`${e.pid}:${e.tid}`) ?? []).some((x) => x.ts! <= e.ts! + EPS && e.ts! <= x.ts! + x.dur! + EPS);
  for (const e of list) {
    if (e.ph !== 's' && e.ph !== 'f') continue;
    const f = flows.get(String(e.id)) ?? { s: 0, f: 0 };
    f[e.ph]++;
    flows.set(String(e.id), f);
    if (!encloses(e)) problems.push(`flow ${String(e.id)} ${e.ph}: no slice encloses it on ${e.pid}:${e.tid}`);
  }
  for (const [id, f] of flows) if (f.s !== 1 || f.f !== 1) problems.push(`flow ${id}: ${f.s} starts, ${f.f} finishes`);
  return { problems, events: list };
}
