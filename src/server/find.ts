/**
 * Finding your way into a run: search (functions and captured values), the errors list, and the
 * causal graph around an event (callers, the call a resumption continues, the calls it made).
 */
import { Kind } from '../format/events.js';
import { listErrors } from '../query/errors.js';
import { findEvents } from '../query/scan.js';
import { search } from '../query/search.js';
import { activationOf } from '../query/stack.js';
import type { CausesResponse, ErrorsResponse, SearchResponse } from './api.js';
import { isEntry } from './lanes.js';
import type { UiModel } from './model.js';

export function searchIn(m: UiModel, q: string): SearchResponse {
  const needle = q.toLowerCase();
  const functions: SearchResponse['functions'] = [];
  const seen = new Set<string>();
  for (const p of m.rec.processes) {
    for (const s of p.sites().values()) {
      if (s.kind !== 'function' || !s.name.toLowerCase().includes(needle) || functions.length >= 20) continue;
      const key = `${p.pid}/${s.name}/${s.file}/${s.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const [first] = findEvents(m.index, { pid: p.pid, site: s.id, kinds: ['call'], limit: 1 });
      if (first === undefined) continue;
      functions.push({ name: s.name, pid: p.pid, file: s.file, line: s.line, calls: -1, first });
    }
  }
  const num = /^-?\d+(\.\d+)?$/.test(q.trim()) ? Number(q) : null;
  const hits = [...search(m.index, q, { limit: 30 }), ...(num !== null ? search(m.index, num, { limit: 30 }) : [])];
  const values = hits.slice(0, 50).map((h) => ({ id: h.event.id, path: h.path, match: h.match, event: m.eventInfo(h.event.id, false) }));
  return { functions, values };
}

const errorLists = new WeakMap<UiModel, ErrorsResponse>();

/** The errors list (kept: the timeline's marks ask for it too, and it scans every thread). */
export function errorsOf(m: UiModel): ErrorsResponse {
  const hit = errorLists.get(m);
  if (hit) return hit;
  const out: ErrorsResponse = {
    errors: listErrors(m.index, { limit: 500 }).map((e) => {
      const v = e.value;
      const message = v && typeof v === 'object' && v.type === 'error' ? `${v.name}: ${v.message}` : v === undefined ? '(value not recorded)' : JSON.stringify(v).slice(0, 200);
      const first = e.unwound[0];
      const o: ErrorsResponse['errors'][number] = { id: e.id, kind: e.kind, end: e.end, message, timeUs: m.globalTime(e.id) };
      if (first) o.where = `${first.name}${first.line ? `:${first.line}` : ''}`;
      const by = e.caughtBy?.name ?? e.catchAt?.name;
      if (by !== undefined) o.caughtBy = by;
      return o;
    }),
  };
  errorLists.set(m, out);
  return out;
}

export function causesOf(m: UiModel, row: number): CausesResponse {
  m.checkRow(row);
  const idx = m.index;
  const nodes = new Map<number, CausesResponse['nodes'][number]>();
  const edges: CausesResponse['edges'] = [];
  const node = (r: number) => {
    if (nodes.has(r)) return;
    const e = m.eventInfo(r, false);
    nodes.set(r, { id: r, label: `${e.kind === 'call' || e.kind === 'resume' ? '' : `${e.kind} `}${e.name ?? e.kind}${e.target ? ` ${e.target}` : ''}`, kind: e.kind, pid: e.pid, thread: e.thread, timeUs: e.timeUs });
  };
  node(row);
  // Up: the activation the event is in, who called it, and for a resumed frame the call that suspended.
  let cur = activationOf(idx, row);
  if (cur >= 0 && cur !== row) {
    node(cur);
    edges.push({ from: cur, to: row, kind: 'event' });
  }
  for (let n = 0; cur >= 0 && n < 40; n++) {
    let caller: number;
    if (idx.kind(cur) === Kind.RESUME) {
      const call = idx.col.link.get(cur);
      if (call < 0) break;
      node(call);
      edges.push({ from: call, to: cur, kind: 'resume' });
      caller = idx.col.parent.get(call);
      cur = call;
    } else caller = idx.col.parent.get(cur);
    if (caller < 0) break;
    node(caller);
    edges.push({ from: caller, to: cur, kind: 'call' });
    cur = caller;
  }
  // Down: calls made directly by the focused call.
  if (idx.kind(row) === Kind.CALL) {
    const end = idx.col.link.get(row);
    let s = m.next(row);
    for (let n = 0; s >= 0 && n < 30 && (end < 0 || s < end); n++) {
      if (!isEntry(idx.kind(s)) || idx.col.parent.get(s) !== row) {
        s = m.next(s);
        continue;
      }
      node(s);
      edges.push({ from: row, to: s, kind: idx.kind(s) === Kind.RESUME ? 'resume' : 'call' });
      const e = m.endOf(s);
      if (e < 0) break;
      s = m.next(e);
    }
  }
  return { focus: row, nodes: [...nodes.values()], edges };
}
