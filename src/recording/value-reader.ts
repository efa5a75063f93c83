/**
 * Decodes value records (src/format/values.ts) into plain JSON-friendly data for queries, the CLI,
 * the UI and MCP. Every read is bounds-checked: damaged bytes give a RecordingError, never a
 * crash, a hang or a huge allocation.
 */
import { Tag } from '../format/values.js';
import { RecordingError } from './errors.js';

export type Value =
  | null
  | boolean
  | number
  | string
  | { type: 'undefined' }
  | { type: 'number'; text: string }
  | { type: 'string'; value: string; length: number; truncated: true }
  | { type: 'bigint'; value: string }
  | { type: 'symbol'; description: string }
  | { type: 'function'; id: number; name: string }
  | { type: 'ref'; id: number }
  | { type: 'object'; id: number; class: string; keys: number; entries: [string, Value][] }
  | { type: 'array'; id: number; length: number; items: Value[] }
  | { type: 'error'; id: number; name: string; message: string; stack: string }
  | { type: 'map'; id: number; size: number; entries: [Value, Value][] }
  | { type: 'set'; id: number; size: number; items: Value[] }
  | { type: 'date'; time: number }
  | { type: 'regexp'; source: string; flags: string }
  | { type: 'bytes'; id: number; class: string; length: number; hex: string }
  | { type: 'proxy'; id: number }
  | { type: 'accessor'; get: boolean; set: boolean }
  | { type: 'depth-limit'; class: string }
  | { type: 'redacted' }
  | { type: 'truncated' }
  | { type: 'opaque'; id: number; class: string }
  /** A Node host object named, not snapshotted: `label #number` (number: the HTTP exchange) or, unlabelled, `class #number`. */
  | { type: 'brief'; class: string; label: string; number: number }
  | { type: 'list'; items: Value[] };

const decoder = new TextDecoder();
/** Nesting deeper than any writer produces means damage. */
const MAX_NESTING = 64;

/** The object id a captured value refers to (snapshot or reference), or 0. */
export function objectId(v: Value | undefined): number {
  if (v === null || v === undefined || typeof v !== 'object') return 0;
  return 'id' in v && typeof v.id === 'number' && v.type !== 'function' ? v.id : 0;
}

export class ValueReader {
  pos: number;
  readonly #end: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.#end = end;
  }

  /** Reads one length-prefixed record and returns its value. */
  record(): Value {
    const length = this.#u16();
    const end = this.pos + length;
    if (end > this.#end) this.#damaged('record longer than its chunk');
    const inner = new ValueReader(this.buf, this.pos, end);
    const v = inner.value(0);
    this.pos = end;
    return v;
  }

  /** Skips one length-prefixed record. */
  skip(): void {
    const length = this.#u16();
    if (this.pos + length > this.#end) this.#damaged('record longer than its chunk');
    this.pos += length;
  }

  value(depth: number): Value {
    if (depth > MAX_NESTING) this.#damaged('nesting too deep');
    const tag = this.#byte();
    switch (tag) {
      case Tag.UNDEFINED:
        return { type: 'undefined' };
      case Tag.NULL:
        return null;
      case Tag.TRUE:
        return true;
      case Tag.FALSE:
        return false;
      case Tag.INT: {
        const z = this.#varint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case Tag.FLOAT:
        return number(this.#f64());
      case Tag.STRING:
        return this.#string();
      case Tag.STRING_TRUNCATED: {
        const length = this.#varint();
        return { type: 'string', value: this.#string(), length, truncated: true };
      }
      case Tag.BIGINT:
        return { type: 'bigint', value: this.#string() };
      case Tag.SYMBOL:
        return { type: 'symbol', description: this.#string() };
      case Tag.FUNCTION:
        return { type: 'function', id: this.#varint(), name: this.#string() };
      case Tag.REF:
        return { type: 'ref', id: this.#varint() };
      case Tag.OBJECT: {
        const id = this.#varint();
        const cls = this.#string();
        const keys = this.#varint();
        const n = this.#u16();
        const entries: [string, Value][] = [];
        for (let i = 0; i < n; i++) entries.push([this.#string(), this.value(depth + 1)]);
        return { type: 'object', id, class: cls, keys, entries };
      }
      case Tag.ARRAY: {
        const id = this.#varint();
        const length = this.#varint();
        const n = this.#u16();
        const items: Value[] = [];
        for (let i = 0; i < n; i++) items.push(this.value(depth + 1));
        return { type: 'array', id, length, items };
      }
      case Tag.ERROR:
        return { type: 'error', id: this.#varint(), name: this.#string(), message: this.#string(), stack: this.#string() };
      case Tag.MAP: {
        const id = this.#varint();
        const size = this.#varint();
        const n = this.#u16();
        const entries: [Value, Value][] = [];
        for (let i = 0; i < n; i++) entries.push([this.value(depth + 1), this.value(depth + 1)]);
        return { type: 'map', id, size, entries };
      }
      case Tag.SET: {
        const id = this.#varint();
        const size = this.#varint();
        const n = this.#u16();
        const items: Value[] = [];
        for (let i = 0; i < n; i++) items.push(this.value(depth + 1));
        return { type: 'set', id, size, items };
      }
      case Tag.DATE:
        return { type: 'date', time: this.#f64() };
      case Tag.TYPED_ARRAY: {
        const id = this.#varint();
        const cls = this.#string();
        const length = this.#varint();
        const bytes = this.#bytes(this.#varint());
        return { type: 'bytes', id, class: cls, length, hex: Buffer.from(bytes).toString('hex') };
      }
      case Tag.PROXY:
        return { type: 'proxy', id: this.#varint() };
      case Tag.ACCESSOR: {
        const flags = this.#byte();
        return { type: 'accessor', get: (flags & 1) !== 0, set: (flags & 2) !== 0 };
      }
      case Tag.DEPTH_LIMIT:
        return { type: 'depth-limit', class: this.#string() };
      case Tag.REDACTED:
        return { type: 'redacted' };
      case Tag.TRUNCATED:
        return { type: 'truncated' };
      case Tag.REGEXP:
        return { type: 'regexp', source: this.#string(), flags: this.#string() };
      case Tag.OPAQUE:
        return { type: 'opaque', id: this.#varint(), class: this.#string() };
      case Tag.BRIEF:
        return { type: 'brief', class: this.#string(), label: this.#string(), number: this.#varint() };
      case Tag.LIST: {
        const n = this.#varint();
        if (n > this.#end - this.pos) this.#damaged('list longer than its record');
        const items: Value[] = [];
        for (let i = 0; i < n; i++) items.push(this.value(depth + 1));
        return { type: 'list', items };
      }
      default:
        return this.#damaged(`unknown value tag ${tag}`);
    }
  }

  #byte(): number {
    if (this.pos >= this.#end) this.#damaged('value cut short');
    return this.buf[this.pos++]!;
  }

  #u16(): number {
    if (this.pos + 2 > this.#end) this.#damaged('value cut short');
    const v = this.buf[this.pos]! | (this.buf[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  #varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.#byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    return this.#damaged('varint too long');
  }

  #f64(): number {
    const b = this.#bytes(8);
    return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
  }

  #bytes(n: number): Uint8Array {
    if (n > this.#end - this.pos) this.#damaged('value cut short');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  #string(): string {
    return decoder.decode(this.#bytes(this.#varint()));
  }

  #damaged(why: string): never {
    throw new RecordingError(`damaged value record: ${why}`);
  }
}

function number(n: number): Value {
  return Number.isFinite(n) && !Object.is(n, -0) ? n : { type: 'number', text: Object.is(n, -0) ? '-0' : String(n) };
}
