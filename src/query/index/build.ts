/**
 * Builds the event index from a recording's segments in one pass. Each chunk's words are decoded
 * in place into per-chunk typed arrays (one per column) that are written in bulk: no per-event
 * callback and no per-event write call. Alongside: the call/return pairing (`link`, fixed up at
 * the end for calls that ended in a later chunk), value records copied into one file, a table of
 * the calls that ended with their durations, the state-write table and the object keyframes.
 *
 * Each thread's stream nests: call … return/throw. An async frame leaves its thread's stack at
 * `suspend` and comes back at the `resume` whose token (low 30 bits of the call's seq) names it.
 * Streams that do not nest (sampled or flight recordings start mid-run) are handled by treating
 * an exit on an empty stack as unmatched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HAS_VALUE, KIND_MASK, KIND_SHIFT, Kind, MAX_KIND, SITE_MASK, hasPayload } from '../../format/events.js';
import { Tag } from '../../format/values.js';
import { RecordingError } from '../../recording/errors.js';
import { makePrivateDir } from '../../recording/layout.js';
import type { Recording, SiteInfo } from '../../recording/recording.js';
import { LINKS_FILE, CHUNK_FIELDS, INDEX_VERSION, CHUNKS_FILE, ColumnWriter, KEYS_FILE, META_FILE, VALUES_FILE, callColumns, eventColumns, objKey, objectColumns, siteKey, valueColumns, writeAll, writeColumns } from './columns.js';
import { sourceFingerprint, type IndexMeta } from './meta.js';
import { ValueScan, hasObjectId } from './value-scan.js';
import { LinkTable, ThreadCausality, causalEvent, firstEvent, plainCause } from '../../correlate/tracker.js';
import { ValueReader, type Value } from '../../recording/value-reader.js';

const TOKEN_MASK = 0x3fff_ffff;
const decoder = new TextDecoder();
const TWO32 = 0x1_0000_0000;

export type Progress = (done: number, total: number) => void;

/** One thread's stack of activations while building. */
class ThreadStack {
  act: number[] = [];
  call: number[] = [];
  time: number[] = [];
  site: number[] = [];
  seq: number[] = [];
  suspended = new Map<number, [call: number, time: number, site: number, seq: number]>();
  /** Highest object id seen in this thread's values (ids are handed out in stream order). */
  maxId = 0;
  cz: ThreadCausality;
  constructor(
    readonly ctx: number,
    pid: number,
    thread: number,
  ) {
    this.cz = new ThreadCausality(`${pid}:${thread}`, pid, thread);
  }
}

class Growable<T extends Float64Array | Int32Array | Uint32Array> {
  n = 0;
  constructor(public a: T) {}
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new (this.a.constructor as new (n: number) => T)(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  get view(): T {
    return this.a.subarray(0, this.n) as T;
  }
}

/** Per-chunk column buffers, grown to the largest chunk. */
class Scratch {
  size = 0;
  kind = new Uint8Array(0);
  site = new Uint32Array(0);
  time = new Float64Array(0);
  seq = new Float64Array(0);
  parent = new Int32Array(0);
  link = new Int32Array(0);
  value = new Float64Array(0);
  cause = new Int32Array(0);
  actx = new Int32Array(0);
  valRow = new Int32Array(0);
  valOff = new Float64Array(0);
  callRow = new Int32Array(0);
  callKey = new Float64Array(0);
  callDur = new Float64Array(0);
  ensure(n: number): void {
    if (n <= this.size) return;
    this.size = n;
    this.kind = new Uint8Array(n);
    this.site = new Uint32Array(n);
    this.time = new Float64Array(n);
    this.seq = new Float64Array(n);
    this.parent = new Int32Array(n);
    this.link = new Int32Array(n);
    this.value = new Float64Array(n);
    this.cause = new Int32Array(n);
    this.actx = new Int32Array(n);
    this.valRow = new Int32Array(n);
    this.valOff = new Float64Array(n);
    this.callRow = new Int32Array(n);
    this.callKey = new Float64Array(n);
    this.callDur = new Float64Array(n);
  }
}

/** State writes and keyframes, collected while building and sorted at the end. */
class StateTables {
  readonly wObj = new Growable(new Float64Array(1024));
  readonly wKey = new Growable(new Uint32Array(1024));
  readonly wRow = new Growable(new Int32Array(1024));
  readonly kObj = new Growable(new Float64Array(1024));
  readonly kRow = new Growable(new Int32Array(1024));
  readonly kItem = new Growable(new Int32Array(1024));
  readonly keys: string[] = [];
  readonly #keyIds = new Map<string, number>();
  readonly scan = new ValueScan();
  /** Per process: site id → binding-name key id, or -1 for a property write site. */
  readonly bindingSites: Map<number, number>[] = [];

  readonly #byHash = new Map<number, number[]>();
  readonly #keyBytes: Uint8Array[] = [];

  /** Interns the UTF-8 key at buf[start, start + len) without decoding it when it was seen before. */
  keyBytes(buf: Uint8Array, start: number, len: number): number {
    let h = 0x811c9dc5 ^ len;
    for (let i = start; i < start + len; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const ids = this.#byHash.get(h);
    if (ids) {
      outer: for (const id of ids) {
        const b = this.#keyBytes[id]!;
        if (b.length !== len) continue;
        for (let i = 0; i < len; i++) if (b[i] !== buf[start + i]) continue outer;
        return id;
      }
    }
    const id = this.key(decoder.decode(buf.subarray(start, start + len)));
    if (this.#keyBytes[id] === undefined) {
      this.#keyBytes[id] = buf.slice(start, start + len);
      if (ids) ids.push(id);
      else this.#byHash.set(h, [id]);
    }
    return id;
  }

  key(k: string): number {
    let id = this.#keyIds.get(k);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(k);
      this.#keyIds.set(k, id);
    }
    return id;
  }

  bindingKey(proc: number, site: number, sites: Map<number, SiteInfo>): number {
    const m = (this.bindingSites[proc] ??= new Map());
    let k = m.get(site);
    if (k === undefined) {
      const info = sites.get(site);
      k = info && info.binding === true && typeof info.target === 'string' ? this.key(info.target) : -1;
      m.set(site, k);
    }
    return k;
  }

  /** Indexes one value record: keyframes of first-seen objects, and the write it describes. */
  record(st: ThreadStack, row: number, kind: number, bindingKey: number, buf: Uint8Array, start: number, end: number): void {
    const s = this.scan;
    s.reset(buf, start, end);
    const tag = s.byte();
    if (tag !== Tag.LIST) {
      this.#item(st, row, -1, tag);
      return;
    }
    const n = s.varint();
    if (n > end - s.pos) throw new RecordingError('damaged value record: list longer than its record');
    const isWrite = kind === Kind.WRITE || kind === Kind.DELETE;
    if (kind === Kind.MUTATE) {
      // [target, method, contents now]: the contents are a new keyframe of the target.
      for (let i = 0; i < n; i++) this.#item(st, row, i, s.byte(), i === 2);
      return;
    }
    if (isWrite && bindingKey >= 0) {
      this.#write(st.ctx, 0, bindingKey, row);
      for (let i = 0; i < n; i++) this.#item(st, row, i, s.byte());
      return;
    }
    let target = -1;
    for (let i = 0; i < n; i++) {
      const t = s.byte();
      if (isWrite && i === 0) target = this.#item(st, row, 0, t);
      else if (isWrite && i === 1) {
        if (target < 0) s.skipBody(t, 1);
        else if (t === Tag.STRING) {
          const len = s.varint();
          const at = s.pos;
          s.bytes(len);
          this.#write(st.ctx, target, this.keyBytes(s.buf, at, len), row);
        } else this.#write(st.ctx, target, this.key(keyText(s, t)), row);
      } else this.#item(st, row, i, t);
    }
  }

  /**
   * Skips one top-level value (tag read), noting a keyframe when the object is seen for the first
   * time (or always, with `fresh`: a container's contents after a mutating call); returns its id or -1.
   */
  #item(st: ThreadStack, row: number, item: number, tag: number, fresh = false): number {
    const s = this.scan;
    if (tag === Tag.REF) return s.varint();
    if (tag === Tag.FUNCTION) {
      const id = s.varint();
      s.skipString();
      if (id > st.maxId) st.maxId = id;
      return id;
    }
    if (!hasObjectId(tag)) {
      s.skipBody(tag, 1);
      return -1;
    }
    const at = s.pos;
    const id = s.varint();
    s.pos = at;
    s.skipBody(tag, 1);
    if (id > st.maxId || (fresh && id > 0)) {
      if (id > st.maxId) st.maxId = id;
      this.kObj.push(objKey(st.ctx, id));
      this.kRow.push(row);
      this.kItem.push(item);
    }
    return id > 0 ? id : -1;
  }

  #write(ctx: number, id: number, key: number, row: number): void {
    this.wObj.push(objKey(ctx, id));
    this.wKey.push(key);
    this.wRow.push(row);
  }

  /** Writes the tables sorted: writes by (obj, key, row), keyframes by obj. */
  finish(dir: string, contexts: number): { writes: number; objects: number } {
    // Writes arrive in row order: a stable sort by (obj, key) group keeps each run in row order.
    const n = this.wRow.n;
    const groups = new Map<number, Map<number, number>>();
    const gObj: number[] = [];
    const gKey: number[] = [];
    const gid = new Uint32Array(n);
    const obj = this.wObj.a;
    const key = this.wKey.a;
    // One Map lookup per write when (obj, key) fits a safe integer; nested maps otherwise.
    const flatOk = this.keys.length <= 2048 && contexts <= 1024;
    const flat = new Map<number, number>();
    for (let i = 0; i < n && flatOk; i++) {
      const c = obj[i]! * 2048 + key[i]!;
      let g = flat.get(c);
      if (g === undefined) {
        g = gObj.length;
        flat.set(c, g);
        gObj.push(obj[i]!);
        gKey.push(key[i]!);
      }
      gid[i] = g;
    }
    for (let i = flatOk ? n : 0; i < n; i++) {
      let byKey = groups.get(obj[i]!);
      if (!byKey) groups.set(obj[i]!, (byKey = new Map()));
      let g = byKey.get(key[i]!);
      if (g === undefined) {
        g = gObj.length;
        byKey.set(key[i]!, g);
        gObj.push(obj[i]!);
        gKey.push(key[i]!);
      }
      gid[i] = g;
    }
    const order = [...gObj.keys()].sort((a, b) => gObj[a]! - gObj[b]! || gKey[a]! - gKey[b]!);
    const start = new Uint32Array(gObj.length + 1);
    const count = new Uint32Array(gObj.length);
    for (let i = 0; i < n; i++) count[gid[i]!]!++;
    let at = 0;
    for (const g of order) {
      start[g] = at;
      at += count[g]!;
    }
    const sObj = new Float64Array(n);
    const sKey = new Uint32Array(n);
    const sRow = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const to = start[gid[i]!]!++;
      sObj[to] = obj[i]!;
      sKey[to] = key[i]!;
      sRow[to] = this.wRow.a[i]!;
    }
    writeColumn(dir, writeColumns.obj, sObj);
    writeColumn(dir, writeColumns.key, sKey);
    writeColumn(dir, writeColumns.row, sRow);
    // Keyframes: ids ascend within a context, so sorting by obj is a stable sort by context.
    const k = this.kRow.n;
    const idx = [...Array(k).keys()].sort((a, b) => this.kObj.a[a]! - this.kObj.a[b]! || a - b);
    writeColumn(dir, objectColumns.obj, Float64Array.from(idx, (i) => this.kObj.a[i]!));
    writeColumn(dir, objectColumns.row, Int32Array.from(idx, (i) => this.kRow.a[i]!));
    writeColumn(dir, objectColumns.item, Int32Array.from(idx, (i) => this.kItem.a[i]!));
    fs.writeFileSync(path.join(dir, KEYS_FILE), JSON.stringify(this.keys), { mode: 0o600 });
    return { writes: n, objects: k };
  }
}

/** A write's key as text: a string as is, a number in decimal, a symbol as Symbol(description). */
function keyText(s: ValueScan, tag: number): string {
  switch (tag) {
    case Tag.STRING:
      return s.string();
    case Tag.STRING_TRUNCATED:
      s.varint();
      return s.string();
    case Tag.INT: {
      const z = s.varint();
      return String(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
    }
    case Tag.SYMBOL:
      return `Symbol(${s.string()})`;
    default:
      s.skipBody(tag, 1);
      return '?';
  }
}

function writeColumn(dir: string, spec: { file: string }, a: Float64Array | Int32Array | Uint32Array): void {
  const fd = fs.openSync(path.join(dir, spec.file), 'w', 0o600);
  writeAll(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  fs.closeSync(fd);
}

function damagedChunk(chunk: { chunkSeq: number; thread: number }, what: string): never {
  throw new RecordingError(`damaged chunk ${chunk.chunkSeq} of thread ${chunk.thread}: ${what}`);
}

/** Builds the index of `rec` into `dir` (which must not exist yet). */
export function buildIndex(rec: Recording, dir: string, progress?: Progress): IndexMeta {
  makePrivateDir(dir);
  const source = sourceFingerprint(rec);
  const col = <K extends keyof typeof eventColumns>(k: K) => new ColumnWriter(dir, eventColumns[k], 16);
  const kindW = col('kind');
  const siteW = col('site');
  const timeW = col('time');
  const seqW = col('seq');
  const parentW = col('parent');
  const linkW = col('link');
  const valueW = col('value');
  const causeW = col('cause');
  const asyncW = col('async');
  const links = new LinkTable();
  const callRowW = new ColumnWriter(dir, callColumns.row, 16);
  const callKeyW = new ColumnWriter(dir, callColumns.key, 16);
  const callDurW = new ColumnWriter(dir, callColumns.dur, 16);
  const valRowW = new ColumnWriter(dir, valueColumns.row, 16);
  const valOffW = new ColumnWriter(dir, valueColumns.offset, 16);
  const valuesFd = fs.openSync(path.join(dir, VALUES_FILE), 'w', 0o600);
  /** Calls that ended in a later chunk than they started: [call row, exit row] pairs. */
  const fixups = new Growable(new Int32Array(1024));
  const state = new StateTables();
  const contexts: [number, number][] = [];
  const x = new Scratch();
  const chunks: number[] = [];
  let row = 0;
  let valueBytes = 0;
  const total = source.reduce((n, p) => n + p.segmentBytes, 0);
  let before = 0;

  rec.processes.forEach((proc, procIndex) => {
    const stacks = new Map<number, ThreadStack>();
    let sites: Map<number, SiteInfo> | null = null;
    for (const chunk of proc.chunks()) {
      let s = stacks.get(chunk.thread);
      if (!s) {
        s = new ThreadStack(contexts.length, proc.pid, chunk.thread);
        contexts.push([procIndex, chunk.thread]);
        stacks.set(chunk.thread, s);
      }
      const data = chunk.data;
      const vbuf = chunk.values;
      const vlen = vbuf.length;
      x.ensure(data.length);
      const { kind: K, site: S, time: T, seq: Q, parent: PA, link: L, value: V, cause: CA, actx: AX, valRow, valOff, callRow, callKey, callDur } = x;
      const cz = s.cz;
      const first = row;
      let n = 0;
      let nv = 0;
      let nc = 0;
      let vpos = 0;
      let time = chunk.time;
      let minTime = Infinity;
      let maxTime = -Infinity;
      const { act, call: callStack, time: timeStack, site: siteStack, seq: seqStack } = s;
      // The word walk of recording/events.ts's visitChunk, inlined on purpose: this is the hot loop
      // of index building, and a visitor call per event (with its closure's state) costs more than
      // the loop itself. A change to the word layout must be made in both.
      for (let i = 0; i < data.length; i++) {
        const w = data[i]!;
        const kb = w >>> KIND_SHIFT;
        const kind = kb & KIND_MASK;
        const site = w & SITE_MASK;
        if (kind === Kind.TIME) {
          if (i + 1 >= data.length) damagedChunk(chunk, 'time word cut off');
          const u = data[++i]! >>> 0;
          time += (u - (time % TWO32) + TWO32) % TWO32;
          continue;
        }
        if (kind < Kind.CALL || kind > MAX_KIND) damagedChunk(chunk, `unknown event kind ${kind}`);
        const seq = chunk.position + i;
        let payload = 0;
        if (hasPayload(kind)) {
          if (i + 1 >= data.length) damagedChunk(chunk, 'payload word cut off');
          payload = data[++i]!;
        }
        const r = first + n;
        K[n] = kind;
        S[n] = site;
        T[n] = time;
        Q[n] = seq;
        if (time < minTime) minTime = time;
        if (time > maxTime) maxTime = time;
        let parent = act.length ? act[act.length - 1]! : -1;
        let l = -1;
        if (kind === Kind.CALL) {
          act.push(r);
          callStack.push(r);
          timeStack.push(time);
          siteStack.push(site);
          seqStack.push(seq);
        } else if (kind === Kind.RETURN || kind === Kind.THROW || kind === Kind.SUSPEND) {
          if (act.length) {
            const call = callStack.pop()!;
            const t0 = timeStack.pop()!;
            const csite = siteStack.pop()!;
            const cseq = seqStack.pop()!;
            parent = act.pop()!;
            if (kind === Kind.SUSPEND) {
              if (call >= 0) s.suspended.set(cseq & TOKEN_MASK, [call, t0, csite, cseq]);
              if (cseq >= 0) cz.suspends.set(cseq & TOKEN_MASK, r);
            } else if (call >= 0) {
              l = call;
              if (call >= first) L[call - first] = r;
              else {
                fixups.push(call);
                fixups.push(r);
              }
              callRow[nc] = call;
              callKey[nc] = siteKey(procIndex, csite);
              callDur[nc++] = time - t0;
            }
          }
        } else if (kind === Kind.RESUME) {
          const token = payload & TOKEN_MASK;
          const frame = s.suspended.get(token);
          if (frame) s.suspended.delete(token);
          l = frame ? frame[0] : -1;
          act.push(r);
          callStack.push(l);
          timeStack.push(frame ? frame[1] : time);
          siteStack.push(frame ? frame[2] : site);
          seqStack.push(frame ? frame[3] : -1);
        }
        PA[n] = parent;
        L[n] = l;
        // Causality (src/correlate/tracker.ts): the causal parent and the async context.
        if (cz.first) firstEvent(cz, links, r);
        if (kind >= Kind.ASYNC_INIT || kind === Kind.ERROR) {
          let v: Value | undefined;
          if ((kb & HAS_VALUE) !== 0 && kind >= Kind.SEND && vpos + 2 <= vlen) v = new ValueReader(vbuf, vpos, vlen).record();
          CA[n] = causalEvent(cz, links, kind, r, payload, parent, v);
          AX[n] = kind <= Kind.ASYNC_END ? payload : cz.ctxId;
        } else {
          if (kind === Kind.RESUME) {
            const susp = cz.suspends.get(payload & TOKEN_MASK);
            if (susp !== undefined) cz.suspends.delete(payload & TOKEN_MASK);
            CA[n] = susp ?? plainCause(cz, parent);
          } else CA[n] = plainCause(cz, parent);
          AX[n] = cz.ctxId;
        }
        if ((kb & HAS_VALUE) !== 0) {
          if (vpos + 2 > vlen) throw new RecordingError('damaged value record: value cut short');
          const len = 2 + (vbuf[vpos]! | (vbuf[vpos + 1]! << 8));
          if (vpos + len > vlen) throw new RecordingError('damaged value record: record longer than its chunk');
          V[n] = valueBytes + vpos;
          valRow[nv] = r;
          valOff[nv++] = valueBytes + vpos;
          if (kind !== Kind.CALL && kind !== Kind.RETURN) {
            // Writes, deletes, throws, marks, errors: indexed for state (calls and returns below).
            let bk = -1;
            if (kind === Kind.WRITE) bk = state.bindingKey(procIndex, site, (sites ??= proc.sites()));
            state.record(s, r, kind, bk, vbuf, vpos + 2, vpos + len);
          } else if (mayHoldObject(vbuf, vpos + 2, vpos + len)) {
            // Arguments and results: only records that may hold an object need a scan for keyframes.
            state.record(s, r, kind, -1, vbuf, vpos + 2, vpos + len);
          }
          vpos += len;
        } else {
          V[n] = -1;
          if (kind === Kind.WRITE) {
            // Values off: a binding write is still known by its site.
            const bk = state.bindingKey(procIndex, site, (sites ??= proc.sites()));
            if (bk >= 0) state.record(s, r, kind, bk, EMPTY_LIST, 0, EMPTY_LIST.length);
          }
        }
        n++;
      }
      row += n;
      if (n > 0) {
        kindW.pushAll(K.subarray(0, n));
        siteW.pushAll(S.subarray(0, n));
        timeW.pushAll(T.subarray(0, n));
        seqW.pushAll(Q.subarray(0, n));
        parentW.pushAll(PA.subarray(0, n));
        linkW.pushAll(L.subarray(0, n));
        valueW.pushAll(V.subarray(0, n));
        causeW.pushAll(CA.subarray(0, n));
        asyncW.pushAll(AX.subarray(0, n));
        chunks.push(first, n, procIndex, chunk.thread, minTime, maxTime);
      }
      if (nv > 0) {
        valRowW.pushAll(valRow.subarray(0, nv));
        valOffW.pushAll(valOff.subarray(0, nv));
        writeAll(valuesFd, vbuf.subarray(0, vpos));
        valueBytes += vpos;
      }
      if (nc > 0) {
        callRowW.pushAll(callRow.subarray(0, nc));
        callKeyW.pushAll(callKey.subarray(0, nc));
        callDurW.pushAll(callDur.subarray(0, nc));
      }
      progress?.(before + chunk.offset, total);
    }
    before += source[procIndex]?.segmentBytes ?? 0;
  });

  for (const w of [kindW, siteW, timeW, seqW, parentW, valueW, causeW, asyncW, callRowW, callKeyW, callDurW, valRowW, valOffW]) w.close();
  linkW.close();
  fs.closeSync(valuesFd);
  applyFixups(path.join(dir, eventColumns.link.file), fixups.view);
  applyFixups(path.join(dir, eventColumns.cause.file), Int32Array.from(links.resolve().flat()));
  fs.writeFileSync(path.join(dir, LINKS_FILE), JSON.stringify(links), { mode: 0o600 });
  const { writes, objects } = state.finish(dir, contexts.length);
  const table = new Float64Array(chunks);
  fs.writeFileSync(path.join(dir, CHUNKS_FILE), new Uint8Array(table.buffer), { mode: 0o600 });
  const meta: IndexMeta = {
    version: INDEX_VERSION,
    rows: row,
    calls: callRowW.count,
    values: valRowW.count,
    valueBytes,
    chunks: chunks.length / CHUNK_FIELDS,
    writes,
    objects,
    contexts,
    processes: rec.processes.map((p) => p.pid),
    complete: rec.complete,
    source,
  };
  fs.writeFileSync(path.join(dir, META_FILE), JSON.stringify(meta, null, 2), { mode: 0o600 });
  progress?.(total, total);
  return meta;
}

const EMPTY_LIST = new Uint8Array([Tag.LIST, 0]);

/**
 * False when a record certainly holds no object with an id: a LIST of small scalars (the common
 * case for arguments like `fib(15)`) is decided by its bytes without a full scan.
 */
function mayHoldObject(buf: Uint8Array, start: number, end: number): boolean {
  let p = start;
  if (buf[start] === Tag.LIST) {
    if (buf[start + 1]! >= 0x80) return true;
    p = start + 2; // LIST, count (< 128 items)
  }
  while (p < end) {
    const t = buf[p++]!;
    if (t === Tag.INT) {
      while (p < end && buf[p]! >= 0x80) p++;
      p++;
    } else if (t === Tag.UNDEFINED || t === Tag.NULL || t === Tag.TRUE || t === Tag.FALSE) continue;
    else if (t === Tag.FLOAT) p += 8;
    else if (t === Tag.REF) {
      while (p < end && buf[p]! >= 0x80) p++;
      p++;
    } else return true;
  }
  return false;
}

/** Sets link[call] = exit for calls whose exit came in a later chunk (pwrite, in row order). */
function applyFixups(file: string, pairs: Int32Array): void {
  if (pairs.length === 0) return;
  const fd = fs.openSync(file, 'r+');
  const one = new Int32Array(1);
  const bytes = new Uint8Array(one.buffer);
  for (let i = 0; i < pairs.length; i += 2) {
    one[0] = pairs[i + 1]!;
    fs.writeSync(fd, bytes, 0, 4, pairs[i]! * 4);
  }
  fs.closeSync(fd);
}
