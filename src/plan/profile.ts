/**
 * What an earlier recording says about each function: how often it was called, how many of its
 * state writes were recorded, and whether it called anything (a leaf). One pass over the events,
 * a call stack per thread; a resumed async frame counts as its function again.
 */
import { Kind } from '../format/events.js';
import { owners } from '../format/site-owners.js';
import type { Recording } from '../recording/recording.js';
import { visitChunk } from '../recording/events.js';
import type { ValueReader } from '../recording/value-reader.js';
import { valueKinds } from './value-kinds.js';

export interface FunctionProfile {
  calls: number;
  writes: number;
  /** Bytes of value records of its calls, returns and throws (snapshots cost by their size), host objects' brief tags excluded. */
  callBytes: number;
  /** Host objects named by a brief tag in those records (a fixed cost each, whatever their size). */
  briefs: number;
  /** Bytes of value records of its state writes. */
  writeBytes: number;
  /** Calls it made to recorded functions. */
  children: number;
}

export interface Profile {
  /** Key: absolute file, name, line (see profileKey). */
  functions: Map<string, FunctionProfile>;
  /** Longest process run, µs from its first to its last event. */
  durationUs: number;
  /** Time spent inside recorded functions (outermost frames, all threads), µs: the program's busy time as far as the recording sees it. */
  activeUs: number;
  events: number;
  /** HTTP requests the program received (a server pays a base cost per request at any plan). */
  requests: number;
}

export const profileKey = (file: string, name: string, line: number): string => `${file}\0${name}\0${line}`;

export function readProfile(rec: Recording): Profile {
  const functions = new Map<string, FunctionProfile>();
  let durationUs = 0;
  let activeUs = 0;
  let events = 0;
  let requests = 0;
  for (const proc of rec.processes) {
    // Site id → the profile entry of the function it belongs to.
    const sites = [...proc.sites().values()].sort((a, b) => a.id - b.id);
    const entry = new Map<number, FunctionProfile>();
    for (let i = 0; i < sites.length; ) {
      let j = i;
      while (j < sites.length && sites[j]!.file === sites[i]!.file && sites[j]!.id === sites[i]!.id + (j - i)) j++;
      const mod = sites.slice(i, j);
      const own = owners(mod);
      mod.forEach((s, k) => {
        const o = own[k]!;
        if (o < 0) return;
        const f = mod[o]!;
        const key = profileKey(f.file, f.name, f.line);
        let p = functions.get(key);
        if (!p) functions.set(key, (p = { calls: 0, writes: 0, callBytes: 0, briefs: 0, writeBytes: 0, children: 0 }));
        entry.set(s.id, p);
      });
      i = j;
    }
    const stacks = new Map<number, FunctionProfile[]>();
    // Per thread: when its outermost recorded frame was entered (chunks of a thread come in order).
    const since = new Map<number, number>();
    let first = Infinity;
    let last = -Infinity;
    for (const chunk of proc.chunks()) {
      let stack = stacks.get(chunk.thread);
      if (!stack) stacks.set(chunk.thread, (stack = []));
      const st = stack;
      const thread = chunk.thread;
      visitChunk(chunk, (kind, site, _seq, time, _payload, hasValue, values) => {
        if ((kind === Kind.CALL || kind === Kind.RESUME) && st.length === 0) since.set(thread, time);
        events++;
        if (time < first) first = time;
        if (time > last) last = time;
        const p = entry.get(site);
        let bytes = 0;
        let briefs = 0;
        if (hasValue && p) {
          const k = valueKinds(values);
          bytes = k.bytes - k.briefBytes;
          briefs = k.briefs;
        } else if (kind === Kind.HTTP && hasValue) {
          if (isIncomingRequest(values)) requests++;
        }
        switch (kind) {
          case Kind.CALL:
            if (st.length) st[st.length - 1]!.children++;
            if (p) {
              p.calls++;
              p.callBytes += bytes;
              p.briefs += briefs;
            }
            st.push(p ?? NONE);
            break;
          case Kind.RESUME:
            st.push(p ?? NONE);
            break;
          case Kind.RETURN:
          case Kind.THROW:
          case Kind.SUSPEND:
            if (p && kind !== Kind.SUSPEND) {
              p.callBytes += bytes;
              p.briefs += briefs;
            }
            if (st.pop() !== undefined && st.length === 0) activeUs += time - since.get(thread)!;
            break;
          case Kind.WRITE:
          case Kind.DELETE:
          case Kind.MUTATE:
            if (p) {
              p.writes++;
              p.writeBytes += bytes;
            }
            break;
        }
      });
    }
    if (last > first) durationUs = Math.max(durationUs, last - first);
  }
  return { functions, durationUs, activeUs, events, requests };
}

const NONE: FunctionProfile = { calls: 0, writes: 0, callBytes: 0, briefs: 0, writeBytes: 0, children: 0 };

/** Whether an HTTP event's value is a received request ({phase: 'request', dir: 'in', …}). */
function isIncomingRequest(values: ValueReader): boolean {
  const v = values.record();
  if (v === null || typeof v !== 'object' || v.type !== 'object') return false;
  let phase: unknown;
  let dir: unknown;
  for (const [k, x] of v.entries) {
    if (k === 'phase') phase = x;
    else if (k === 'dir') dir = x;
  }
  return phase === 'request' && dir === 'in';
}
