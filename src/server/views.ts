/**
 * What the panels show at the playhead: the objects worth offering in the state view, the source
 * file, an object's state with what changed since the last step, and the write behind a value.
 */
import { Kind, kindNames } from '../format/events.js';
import { readSource } from '../recording/sources.js';
import type { Value } from '../recording/value-reader.js';
import { activationOf } from '../query/stack.js';
import { momentIn, propertyHistory, resolveObject, stateAt, type ObjectRef } from '../query/state.js';
import type { EventInfo, LastWriteResponse, MomentResponse, SessionInfo, SourceResponse, StateResponse } from './api.js';
import { UiError, type UiModel } from './model.js';

/** Objects with an id captured around the moment: the event's value, the frames' arguments, and targets written in the current activation. */
export function objectsAt(m: UiModel, row: number, event: EventInfo, frames: MomentResponse['frames']): MomentResponse['objects'] {
  const out = new Map<string, string>();
  const base = `${event.pid}/${event.thread}/`;
  const take = (v: Value | undefined, label: string) => {
    if (v === null || typeof v !== 'object' || out.size >= 12) return;
    if ('id' in v && typeof v.id === 'number' && v.id > 0 && (v.type === 'object' || v.type === 'array' || v.type === 'map' || v.type === 'set' || v.type === 'ref')) {
      const spec = base + v.id;
      if (!out.has(spec)) out.set(spec, label);
    }
  };
  const walkList = (v: Value | undefined, names: string[] | undefined, prefix: string) => {
    if (v && typeof v === 'object' && v.type === 'list') v.items.forEach((x, i) => take(x, `${prefix}${names?.[i] ?? `arg${i}`}`));
    else take(v, prefix || 'value');
  };
  if (event.kind === 'write' || event.kind === 'delete' || event.kind === 'mutate') walkList(event.value, [(event.kind === 'mutate' ? event.target : event.target?.replace(/\.[^.]*$|\[.*$/, '')) ?? 'target', 'key', 'value'], '');
  else if (event.kind === 'return') take(event.value, 'result');
  else walkList(event.value, frames[0]?.params, '');
  // Targets written by the current activation so far (how `this` of a method is seen).
  const idx = m.index;
  const a = activationOf(idx, row);
  if (a >= 0) {
    const n = Math.min(row - a, 2000);
    if (n > 0) {
      const kind = idx.col.kind.range(a + 1, n);
      const parent = idx.col.parent.range(a + 1, n);
      for (let i = 0; i < n; i++) {
        if (parent[i] !== a || (kind[i] !== Kind.WRITE && kind[i] !== Kind.DELETE && kind[i] !== Kind.MUTATE)) continue;
        const v = idx.value(a + 1 + i);
        const site = idx.site(idx.chunkOf(a).proc, idx.col.site.get(a + 1 + i));
        const label = (kind[i] === Kind.MUTATE ? site?.target : site?.target?.replace(/\.[^.]*$|\[.*$/, '')) ?? 'target';
        if (v && typeof v === 'object' && v.type === 'list' && v.items.length === 3) take(v.items[0], label);
      }
    }
  }
  frames.slice(0, 3).forEach((f, i) => walkList(f.args, f.params, i === 0 ? '' : `${f.name}: `));
  const result: MomentResponse['objects'] = [];
  for (const [spec, label] of out) {
    try {
      resolveObject(idx, spec);
      result.push({ spec, label });
    } catch {
      // never snapshotted (seen only as a reference to an object of another run of the thread)
    }
  }
  return result;
}

export function sourceOf(m: UiModel, row: number | null, pid: number | null, file: string | null): SourceResponse {
  let proc: number;
  if (row !== null) {
    m.checkRow(row);
    const c = m.index.chunkOf(row);
    proc = c.proc;
    const site = m.index.site(proc, m.index.col.site.get(row));
    if (!site) throw new UiError(`event #${row} has no source location`, 404);
    file = site.file;
  } else {
    proc = m.index.meta.processes.indexOf(pid ?? -1);
    if (proc < 0 || file === null) throw new UiError('give id=N, or pid=P and file=F', 400);
  }
  // Only files named by the recording's own site tables are ever read.
  const sites = [...(m.rec.processes[proc]?.sites().values() ?? [])].filter((s) => s.file === file);
  if (sites.length === 0) throw new UiError('no such source file in this recording', 404);
  const lines = [...new Set(sites.filter((s) => s.kind === 'function').map((s) => s.line))].sort((a, b) => a - b);
  return { file, text: readSource(m.rec.dir, file), functionLines: lines };
}

function objectOf(m: UiModel, spec: string): ObjectRef {
  try {
    return resolveObject(m.index, spec);
  } catch (e) {
    throw new UiError((e as Error).message, 404);
  }
}

export function stateOf(m: UiModel, spec: string, at: number, prev: number | null): StateResponse {
  m.checkRow(at);
  const obj = objectOf(m, spec);
  const row = momentIn(m.index, obj.ctx, at);
  const s = stateAt(m.index, obj, row);
  const out: StateResponse = { spec: `${obj.pid}/${obj.thread}/${obj.id}`, at, seen: s.seen, writers: {}, changed: [] };
  if (s.state !== undefined) out.state = s.state;
  if (s.partial) out.partial = true;
  if (s.keyframe !== undefined) for (const k of entriesOf(s.state).keys()) out.writers[k] = s.keyframe;
  for (const a of s.applied) if (!a.deleted) out.writers[a.key] = a.event;
  if (prev !== null && prev !== at) {
    m.checkRow(prev);
    const p = stateAt(m.index, obj, momentIn(m.index, obj.ctx, prev));
    const now = entriesOf(s.state);
    const before = entriesOf(p.state);
    for (const [k, v] of now) {
      if (!before.has(k)) out.changed.push({ key: k, added: true });
      else if (JSON.stringify(before.get(k)) !== JSON.stringify(v)) out.changed.push({ key: k, before: before.get(k)! });
    }
    for (const [k, v] of before) if (!now.has(k)) out.changed.push({ key: k, before: v, deleted: true });
  }
  return out;
}

export function lastWriteOf(m: UiModel, spec: string, key: string, at: number): LastWriteResponse {
  m.checkRow(at);
  const obj = objectOf(m, spec);
  const h = propertyHistory(m.index, obj, key, { limit: 200 });
  const row = momentIn(m.index, obj.ctx, at);
  let write = -1;
  let snapshot: number | undefined;
  for (const w of h.writes) {
    if (w.event.id > row) break;
    if (w.op === 'snapshot') snapshot = w.event.id;
    else write = w.event.id;
  }
  const res: LastWriteResponse = {
    write,
    history: h.writes.map((w) => ({ id: w.event.id, timeUs: m.globalTime(w.event.id), op: w.op, ...(w.value !== undefined ? { value: w.value } : {}), ...(w.writer ? { writer: w.writer.name } : {}), ...(w.site ? { line: w.site.line } : {}) })),
  };
  if (write < 0 && snapshot !== undefined) res.snapshot = snapshot;
  return res;
}

function entriesOf(v: Value | undefined): Map<string, Value> {
  const m = new Map<string, Value>();
  if (v && typeof v === 'object') {
    if (v.type === 'object') for (const [k, x] of v.entries) m.set(k, x);
    else if (v.type === 'array') v.items.forEach((x, i) => m.set(String(i), x));
    else if (v.type === 'map') v.entries.forEach(([k, x]) => m.set(typeof k === 'string' || typeof k === 'number' ? String(k) : JSON.stringify(k), x));
  }
  return m;
}

/** The recording, its time range and lanes, event kinds and processes: what the page starts from. */
export function sessionOf(m: UiModel): SessionInfo {
  const man = m.rec.manifest;
  return {
    recording: { name: m.rec.dir.split(/[/\\]/).pop() ?? '', command: man.command, complete: m.rec.complete, mode: man.mode, startedAt: man.startedAt },
    events: m.index.rows,
    startUs: m.startUs,
    endUs: m.endUs,
    lanes: m.lanes.map((l) => l.info),
    kinds: kindNames,
    processes: m.rec.processes.map((p) => ({ pid: p.pid, parentPid: p.info.parentPid, argv: p.info.argv, threads: p.info.threads })),
  };
}
