/**
 * The event index's on-disk columns: one raw little-endian file per column, one entry per event
 * ("row"), rows numbered across the whole recording (processes in start order, chunks in file
 * order). New columns are added here; a new column or a changed meaning bumps INDEX_VERSION, and
 * an index of another version is rebuilt, never read.
 */
import fs from 'node:fs';
import path from 'node:path';

export const INDEX_VERSION = 3;
export const INDEX_DIR = 'index';
export const META_FILE = 'meta.json';

type TypedCtor = Uint8ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor | Float64ArrayConstructor;
export type Typed = Uint8Array | Int32Array | Uint32Array | Float64Array;

export interface ColumnSpec {
  file: string;
  type: TypedCtor;
}

/** Per-event columns. */
export const eventColumns = {
  /** Event kind (src/format/events.ts Kind), without the has-value flag. */
  kind: { file: 'kind.u8', type: Uint8Array },
  /** Site id (per process). */
  site: { file: 'site.u32', type: Uint32Array },
  /** µs since the process's time origin. */
  time: { file: 'time.f64', type: Float64Array },
  /** Position of the event in its thread's stream. */
  seq: { file: 'seq.f64', type: Float64Array },
  /**
   * Activations: a call starts one, and so does each resume of a suspended frame. For call and
   * resume rows: the activation on top of the thread's stack when it started (-1: none). For
   * every other row: the activation the event happened in (-1: outside any).
   */
  parent: { file: 'parent.i32', type: Int32Array },
  /** call: its return/throw row (-1: never ended); return, throw, resume: their call row; else -1. */
  link: { file: 'link.i32', type: Int32Array },
  /** Byte offset of the event's value record in values.bin, -1 when it has none. */
  value: { file: 'value.f64', type: Float64Array },
  /** The causal parent row (src/correlate/tracker.ts), -1: none known. */
  cause: { file: 'cause.i32', type: Int32Array },
  /**
   * ASYNC_* rows: the resource's async id; every other row: the async id of the callback it ran
   * in (0: none known, e.g. the program's first synchronous run).
   */
  async: { file: 'async.i32', type: Int32Array },
} as const satisfies Record<string, ColumnSpec>;

/** One row per call that ended, in the order they ended. */
export const callColumns = {
  row: { file: 'calls.row.i32', type: Int32Array },
  /** procIndex * 2^24 + site: sites are numbered per process. */
  key: { file: 'calls.key.f64', type: Float64Array },
  /** µs from call to return/throw. */
  dur: { file: 'calls.dur.f64', type: Float64Array },
} as const satisfies Record<string, ColumnSpec>;

/** One row per value record, in row order (for mapping a byte offset in values.bin to its event). */
export const valueColumns = {
  row: { file: 'values.row.i32', type: Int32Array },
  offset: { file: 'values.off.f64', type: Float64Array },
} as const satisfies Record<string, ColumnSpec>;

/**
 * State writes (WRITE and DELETE events), sorted by (obj, key, row) for binary search: every write
 * to one object's key is one run, in event order. `obj` is ctx * 2^32 + object id (ids are per
 * thread: ctx numbers the (process, thread) pairs, in meta.contexts); bindings (module-level,
 * closure and global variables) are object id 0 of their context, keyed by name.
 */
export const writeColumns = {
  obj: { file: 'writes.obj.f64', type: Float64Array },
  /** Index into keys.json. */
  key: { file: 'writes.key.u32', type: Uint32Array },
  row: { file: 'writes.row.i32', type: Int32Array },
} as const satisfies Record<string, ColumnSpec>;

/**
 * Keyframes: the first snapshot of each object (an OBJECT/ARRAY/MAP/SET… value with its id at the
 * top level of a value record: an argument, a result, a write's target or value), sorted by obj.
 */
export const objectColumns = {
  obj: { file: 'objects.obj.f64', type: Float64Array },
  row: { file: 'objects.row.i32', type: Int32Array },
  /** Which item of the record's LIST holds the snapshot (-1: the record is the value itself). */
  item: { file: 'objects.item.i32', type: Int32Array },
} as const satisfies Record<string, ColumnSpec>;

/** Property keys and binding names of the writes table, as a JSON array of strings. */
export const KEYS_FILE = 'keys.json';
/** Link endpoints by key (src/correlate/tracker.ts LinkTable), for links across recordings. */
export const LINKS_FILE = 'links.json';
export const CTX_SHIFT = 0x1_0000_0000;
export const objKey = (ctx: number, id: number): number => ctx * CTX_SHIFT + id;

export const VALUES_FILE = 'values.bin';
export const CHUNKS_FILE = 'chunks.f64';

/** Fields of one chunk-table entry (Float64 each). A chunk's rows are one thread's, in order. */
export const ChunkField = { FIRST_ROW: 0, ROWS: 1, PROC: 2, THREAD: 3, MIN_TIME: 4, MAX_TIME: 5 } as const;
export const CHUNK_FIELDS = 6;

export const siteKey = (proc: number, site: number): number => proc * 0x100_0000 + site;

/** Buffered append-only writer of one column file. */
export class ColumnWriter<T extends Typed> {
  readonly #fd: number;
  #buf: T;
  #n = 0;
  count = 0;

  constructor(dir: string, spec: ColumnSpec, capacity = 1 << 16) {
    this.#fd = fs.openSync(path.join(dir, spec.file), 'w', 0o600);
    this.#buf = new spec.type(capacity) as T;
  }

  push(v: number): void {
    if (this.#n === this.#buf.length) this.flush();
    this.#buf[this.#n++] = v;
    this.count++;
  }

  /** Writes a whole typed array (bulk path). */
  pushAll(a: T): void {
    this.flush();
    writeAll(this.#fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    this.count += a.length;
  }

  flush(): void {
    if (this.#n === 0) return;
    const b = this.#buf;
    writeAll(this.#fd, new Uint8Array(b.buffer, b.byteOffset, this.#n * b.BYTES_PER_ELEMENT));
    this.#n = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.#fd);
  }
}

export function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}

/** Random and range reads of one column file (pread: the column is never loaded whole). */
export class ColumnReader<T extends Typed> {
  readonly #fd: number;
  readonly #type: TypedCtor;
  readonly #one: T;
  readonly #oneBytes: Uint8Array;
  readonly length: number;

  constructor(dir: string, spec: ColumnSpec) {
    this.#fd = fs.openSync(path.join(dir, spec.file), 'r');
    this.#type = spec.type;
    this.#one = new spec.type(1) as T;
    this.#oneBytes = new Uint8Array(this.#one.buffer);
    this.length = fs.fstatSync(this.#fd).size / spec.type.BYTES_PER_ELEMENT;
  }

  get(row: number): number {
    const size = this.#type.BYTES_PER_ELEMENT;
    if (row < 0 || row >= this.length) throw new RangeError(`row ${row} out of range`);
    fs.readSync(this.#fd, this.#oneBytes, 0, size, row * size);
    return this.#one[0]!;
  }

  /** Rows [from, from + count) as a new typed array. */
  range(from: number, count: number): T {
    const n = Math.max(0, Math.min(count, this.length - from));
    const out = new this.#type(n) as T;
    const bytes = new Uint8Array(out.buffer);
    let off = 0;
    while (off < bytes.length) off += fs.readSync(this.#fd, bytes, off, bytes.length - off, from * this.#type.BYTES_PER_ELEMENT + off);
    return out;
  }

  close(): void {
    fs.closeSync(this.#fd);
  }
}

/** Expected byte size of a column file holding `rows` rows. */
export const columnBytes = (spec: ColumnSpec, rows: number): number => rows * spec.type.BYTES_PER_ELEMENT;
