/**
 * Builds the event index from a recording's segments in one pass: per-event columns streamed to
 * disk, the call/return pairing (`link`) kept in memory and written at the end, value records
 * copied into one file, and a table of the calls that ended with their durations.
 *
 * Each thread's stream nests: call … return/throw. An async frame leaves its thread's stack at
 * `suspend` and comes back at the `resume` whose token (low 30 bits of the call's seq) names it.
 * Streams that do not nest (sampled or flight recordings start mid-run) are handled by treating
 * an exit on an empty stack as unmatched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kind } from '../../format/events.js';
import { visitChunk } from '../../recording/events.js';
import { makePrivateDir } from '../../recording/layout.js';
import type { Recording } from '../../recording/recording.js';
import { CHUNK_FIELDS, INDEX_VERSION, CHUNKS_FILE, ColumnWriter, META_FILE, VALUES_FILE, callColumns, eventColumns, siteKey, valueColumns, writeAll } from './columns.js';
import { sourceFingerprint, type IndexMeta } from './meta.js';

const TOKEN_MASK = 0x3fff_ffff;

export type Progress = (done: number, total: number) => void;

/** One thread's stack of activations while building. */
class ThreadStack {
  act: number[] = [];
  call: number[] = [];
  time: number[] = [];
  site: number[] = [];
  seq: number[] = [];
  suspended = new Map<number, [call: number, time: number, site: number, seq: number]>();
  get top(): number {
    return this.act.length ? this.act[this.act.length - 1]! : -1;
  }
  push(act: number, call: number, time: number, site: number, seq: number): void {
    this.act.push(act);
    this.seq.push(seq);
    this.call.push(call);
    this.time.push(time);
    this.site.push(site);
  }
}

class GrowableInt32 {
  a = new Int32Array(1 << 16);
  set(i: number, v: number): void {
    if (i >= this.a.length) {
      const b = new Int32Array(Math.max(this.a.length * 2, i + 1));
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
}

/** Builds the index of `rec` into `dir` (which must not exist yet). */
export function buildIndex(rec: Recording, dir: string, progress?: Progress): IndexMeta {
  makePrivateDir(dir);
  const source = sourceFingerprint(rec);
  const col = <K extends keyof typeof eventColumns>(k: K) => new ColumnWriter(dir, eventColumns[k]);
  const kindW = col('kind');
  const siteW = col('site');
  const timeW = col('time');
  const seqW = col('seq');
  const parentW = col('parent');
  const valueW = col('value');
  const callRow = new ColumnWriter(dir, callColumns.row);
  const callKey = new ColumnWriter(dir, callColumns.key);
  const callDur = new ColumnWriter(dir, callColumns.dur);
  const valRow = new ColumnWriter(dir, valueColumns.row);
  const valOff = new ColumnWriter(dir, valueColumns.offset);
  const valuesFd = fs.openSync(path.join(dir, VALUES_FILE), 'w', 0o600);
  const link = new GrowableInt32();
  const chunks: number[] = [];
  let row = 0;
  let valueBytes = 0;
  const total = source.reduce((n, p) => n + p.segmentBytes, 0);
  let before = 0;

  rec.processes.forEach((proc, procIndex) => {
    const stacks = new Map<number, ThreadStack>();
    for (const chunk of proc.chunks()) {
      let st = stacks.get(chunk.thread);
      if (!st) stacks.set(chunk.thread, (st = new ThreadStack()));
      const s = st;
      const first = row;
      let minTime = Infinity;
      let maxTime = -Infinity;
      const vbuf = chunk.values;
      const pending: Uint8Array[] = [];
      visitChunk(chunk, (kind, site, seq, time, payload, hasValue, values) => {
        const r = row++;
        kindW.push(kind);
        siteW.push(site);
        timeW.push(time);
        seqW.push(seq);
        if (time < minTime) minTime = time;
        if (time > maxTime) maxTime = time;
        let parent = s.top;
        let l = -1;
        if (kind === Kind.CALL) {
          s.push(r, r, time, site, seq);
        } else if (kind === Kind.RETURN || kind === Kind.THROW || kind === Kind.SUSPEND) {
          if (s.act.length) {
            const call = s.call.pop()!;
            const t0 = s.time.pop()!;
            const csite = s.site.pop()!;
            const cseq = s.seq.pop()!;
            parent = s.act.pop()!;
            if (kind === Kind.SUSPEND) {
              if (call >= 0) s.suspended.set(cseq & TOKEN_MASK, [call, t0, csite, cseq]);
            } else if (call >= 0) {
              l = call;
              link.set(call, r);
              callRow.push(call);
              callKey.push(siteKey(procIndex, csite));
              callDur.push(time - t0);
            }
          }
        } else if (kind === Kind.RESUME) {
          const frame = s.suspended.get(payload & TOKEN_MASK);
          if (frame) s.suspended.delete(payload & TOKEN_MASK);
          l = frame ? frame[0] : -1;
          s.push(r, l, frame ? frame[1] : time, frame ? frame[2] : site, frame ? frame[3] : -1);
        }
        parentW.push(parent);
        link.set(r, l);
        if (hasValue) {
          const start = values.pos;
          const len = 2 + (vbuf[start]! | (vbuf[start + 1]! << 8));
          const bytes = vbuf.subarray(start, Math.min(start + len, vbuf.length));
          pending.push(bytes);
          valueW.push(valueBytes);
          valRow.push(r);
          valOff.push(valueBytes);
          valueBytes += bytes.length;
        } else valueW.push(-1);
      });
      for (const b of pending) writeAll(valuesFd, b);
      if (row > first) chunks.push(first, row - first, procIndex, chunk.thread, minTime, maxTime);
      progress?.(before + chunk.offset, total);
    }
    before += source[procIndex]?.segmentBytes ?? 0;
  });

  for (const w of [kindW, siteW, timeW, seqW, parentW, valueW, callRow, callKey, callDur, valRow, valOff]) w.close();
  fs.closeSync(valuesFd);
  const linkFd = fs.openSync(path.join(dir, eventColumns.link.file), 'w', 0o600);
  writeAll(linkFd, new Uint8Array(link.a.buffer, 0, row * 4));
  fs.closeSync(linkFd);
  const table = new Float64Array(chunks);
  fs.writeFileSync(path.join(dir, CHUNKS_FILE), new Uint8Array(table.buffer), { mode: 0o600 });
  const meta: IndexMeta = {
    version: INDEX_VERSION,
    rows: row,
    calls: callRow.count,
    values: valRow.count,
    valueBytes,
    chunks: chunks.length / CHUNK_FIELDS,
    processes: rec.processes.map((p) => p.pid),
    complete: rec.complete,
    source,
  };
  fs.writeFileSync(path.join(dir, META_FILE), JSON.stringify(meta, null, 2), { mode: 0o600 });
  progress?.(total, total);
  return meta;
}
