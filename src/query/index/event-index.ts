/**
 * The event index of a recording, opened for queries: built lazily on first use (stored under
 * `<recording>/index/`), rebuilt when stale or damaged. Columns are read with pread, never loaded
 * whole, so queries over 100 M events stay within a small memory budget.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kind, kindNames } from '../../format/events.js';
import type { Recording, SiteInfo } from '../../recording/recording.js';
import { RecordingError } from '../../recording/errors.js';
import { ValueReader, type Value } from '../../recording/value-reader.js';
import type { EventView } from '../events.js';
import { buildIndex, type Progress } from './build.js';
import { CHUNK_FIELDS, CHUNKS_FILE, ChunkField, ColumnReader, INDEX_DIR, KEYS_FILE, META_FILE, VALUES_FILE, callColumns, eventColumns, objectColumns, valueColumns, writeColumns, type ColumnSpec, type Typed } from './columns.js';
import { whyNotUsable, writeChecksums, type IndexMeta } from './meta.js';

const TOKEN_MASK = 0x3fff_ffff;

export interface OpenIndexOptions {
  progress?: Progress;
  /** Where the index lives (default: inside the recording). */
  dir?: string;
}

export interface ChunkInfo {
  firstRow: number;
  rows: number;
  proc: number;
  thread: number;
  minTime: number;
  maxTime: number;
}

type Readers<C extends Record<string, ColumnSpec>> = { [K in keyof C]: ColumnReader<Typed> };

function readers<C extends Record<string, ColumnSpec>>(dir: string, cols: C): Readers<C> {
  const out = {} as Readers<C>;
  for (const k of Object.keys(cols) as (keyof C)[]) out[k] = new ColumnReader(dir, cols[k]!);
  return out;
}

export class EventIndex {
  readonly col: Readers<typeof eventColumns>;
  readonly calls: Readers<typeof callColumns>;
  readonly values: Readers<typeof valueColumns>;
  /** State writes sorted by (obj, key, row); keyframes (first snapshots) sorted by obj. */
  readonly writes: Readers<typeof writeColumns>;
  readonly objects: Readers<typeof objectColumns>;
  /** Property keys and binding names of the writes table. */
  readonly keys: string[];
  readonly chunks: ChunkInfo[];
  readonly #valuesFd: number;
  readonly #sites: Map<number, SiteInfo>[];

  private constructor(
    readonly rec: Recording,
    readonly dir: string,
    readonly meta: IndexMeta,
    /** Why the index was (re)built by this open, or null when an existing one was used. */
    readonly rebuilt: string | null,
  ) {
    this.col = readers(dir, eventColumns);
    this.calls = readers(dir, callColumns);
    this.values = readers(dir, valueColumns);
    this.writes = readers(dir, writeColumns);
    this.objects = readers(dir, objectColumns);
    this.keys = JSON.parse(fs.readFileSync(path.join(dir, KEYS_FILE), 'utf8')) as string[];
    const raw = new Uint8Array(fs.readFileSync(path.join(dir, CHUNKS_FILE)));
    const t = new Float64Array(raw.buffer, 0, raw.length >> 3);
    this.chunks = [];
    for (let i = 0; i + CHUNK_FIELDS <= t.length; i += CHUNK_FIELDS) {
      this.chunks.push({ firstRow: t[i + ChunkField.FIRST_ROW]!, rows: t[i + ChunkField.ROWS]!, proc: t[i + ChunkField.PROC]!, thread: t[i + ChunkField.THREAD]!, minTime: t[i + ChunkField.MIN_TIME]!, maxTime: t[i + ChunkField.MAX_TIME]! });
    }
    this.#valuesFd = fs.openSync(path.join(dir, VALUES_FILE), 'r');
    this.#sites = rec.processes.map((p) => p.sites());
  }

  /** Opens the index of `rec`, building it first when it is missing, stale or damaged. */
  static open(rec: Recording, options: OpenIndexOptions = {}): EventIndex {
    const dir = options.dir ?? path.join(rec.dir, INDEX_DIR);
    const why = whyNotUsable(rec, dir);
    if (why !== null) {
      const tmp = `${dir}.tmp-${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      try {
        buildIndex(rec, tmp, options.progress);
        writeChecksums(tmp);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(tmp, dir);
      } catch (e) {
        fs.rmSync(tmp, { recursive: true, force: true });
        if (e instanceof RecordingError) throw e;
        throw new RecordingError(`cannot build the index of ${rec.dir}: ${(e as Error).message}`);
      }
    }
    const meta = JSON.parse(fs.readFileSync(path.join(dir, META_FILE), 'utf8')) as IndexMeta;
    return new EventIndex(rec, dir, meta, why);
  }

  get rows(): number {
    return this.meta.rows;
  }

  kind(row: number): number {
    return this.col.kind.get(row);
  }

  /** The chunk (thread run) that holds `row`. */
  chunkOf(row: number): ChunkInfo {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunks[mid]!.firstRow <= row) lo = mid;
      else hi = mid - 1;
    }
    const c = this.chunks[lo];
    if (!c || row < c.firstRow || row >= c.firstRow + c.rows) throw new RangeError(`no event #${row}`);
    return c;
  }

  pidOf(proc: number): number {
    return this.meta.processes[proc]!;
  }

  site(proc: number, site: number): SiteInfo | undefined {
    return this.#sites[proc]?.get(site);
  }

  /** The call row of an activation (a call row, or a resume row of a suspended call). */
  callOf(activation: number): number {
    return this.kind(activation) === Kind.RESUME ? this.col.link.get(activation) : activation;
  }

  /** The event after `row` in the same thread, or -1. */
  nextInThread(row: number): number {
    const c = this.chunkOf(row);
    if (row + 1 < c.firstRow + c.rows) return row + 1;
    for (let i = this.chunks.indexOf(c) + 1; i < this.chunks.length; i++) {
      const n = this.chunks[i]!;
      if (n.proc === c.proc && n.thread === c.thread) return n.firstRow;
    }
    return -1;
  }

  /** The captured value of an event, if it has one. */
  value(row: number): Value | undefined {
    const off = this.col.value.get(row);
    return off < 0 ? undefined : this.valueAt(off);
  }

  /** Decodes the value record at byte `off` of values.bin. */
  valueAt(off: number): Value {
    const head = new Uint8Array(2);
    fs.readSync(this.#valuesFd, head, 0, 2, off);
    const buf = new Uint8Array(2 + (head[0]! | (head[1]! << 8)));
    fs.readSync(this.#valuesFd, buf, 0, buf.length, off);
    return new ValueReader(buf).record();
  }

  /** Reads `length` bytes of values.bin from `off` (for scans). */
  valueBytes(off: number, length: number): Uint8Array {
    const buf = new Uint8Array(Math.max(0, Math.min(length, this.meta.valueBytes - off)));
    let n = 0;
    while (n < buf.length) n += fs.readSync(this.#valuesFd, buf, n, buf.length - n, off + n);
    return buf;
  }

  /** An event as `cinema query events` shows it. */
  event(row: number, withValue = true): EventView & { id: number } {
    const c = this.chunkOf(row);
    const kind = this.kind(row);
    const site = this.col.site.get(row);
    const v: EventView & { id: number } = { id: row, pid: this.pidOf(c.proc), thread: c.thread, seq: this.col.seq.get(row), kind: kindNames[kind] ?? String(kind), site, time: this.col.time.get(row) };
    const info = this.site(c.proc, site);
    if (info) Object.assign(v, { name: info.name, file: info.file, line: info.line, column: info.column });
    if (kind === Kind.RESUME) {
      const call = this.col.link.get(row);
      if (call >= 0) v.token = this.col.seq.get(call) % (TOKEN_MASK + 1);
    }
    if (kind >= Kind.ASYNC_INIT && kind <= Kind.ASYNC_END) v.asyncId = this.col.async.get(row);
    if (withValue) {
      const value = this.value(row);
      if (value !== undefined) v.value = value;
    }
    return v;
  }

  close(): void {
    for (const group of [this.col, this.calls, this.values, this.writes, this.objects]) for (const r of Object.values(group)) r.close();
    fs.closeSync(this.#valuesFd);
  }
}

/** Checks an event id given by a person; throws a one-line error when out of range. */
export function checkRow(index: EventIndex, row: number): number {
  if (!Number.isInteger(row) || row < 0 || row >= index.rows) throw new RecordingError(`no event #${row} (this recording has events #0 to #${index.rows - 1})`);
  return row;
}
