/**
 * Encodes plain data (what imported traces carry: attributes, statuses, exception events) as value
 * records (src/format/values.ts), so imported recordings are read by the same reader as recorded
 * ones. Objects get id 0 (never referenced again): an imported value is always a full snapshot.
 */
import { Tag } from '../format/values.js';

/** A list of values (a call's arguments, a log's arguments). */
export class ListValue {
  constructor(readonly items: Encodable[]) {}
}

export class ErrorValue {
  constructor(
    readonly name: string,
    readonly message: string,
    readonly stack = '',
  ) {}
}

export type Encodable = null | undefined | boolean | number | string | bigint | ListValue | ErrorValue | Encodable[] | { [key: string]: Encodable };

/** A record may hold 64 KiB; imported values are cut well before that. */
const MAX_RECORD = 16 * 1024;
const MAX_STRING = 2048;
const MAX_ITEMS = 64;
const MAX_DEPTH = 8;
const encoder = new TextEncoder();

export class ValueEncoder {
  #bytes: number[] = [];

  /** One length-prefixed record. */
  record(v: Encodable): Uint8Array {
    this.#bytes = [];
    this.#value(v, 0);
    if (this.#bytes.length > MAX_RECORD) this.#bytes = [Tag.TRUNCATED];
    const out = new Uint8Array(2 + this.#bytes.length);
    out[0] = this.#bytes.length & 0xff;
    out[1] = this.#bytes.length >> 8;
    out.set(this.#bytes, 2);
    return out;
  }

  #value(v: Encodable, depth: number): void {
    const b = this.#bytes;
    if (v === undefined) b.push(Tag.UNDEFINED);
    else if (v === null) b.push(Tag.NULL);
    else if (v === true) b.push(Tag.TRUE);
    else if (v === false) b.push(Tag.FALSE);
    else if (typeof v === 'number') this.#number(v);
    else if (typeof v === 'bigint') {
      b.push(Tag.BIGINT);
      this.#string(v.toString());
    } else if (typeof v === 'string') {
      const bytes = encoder.encode(v);
      if (bytes.length <= MAX_STRING) {
        b.push(Tag.STRING);
        this.#varint(bytes.length);
        for (const x of bytes) b.push(x);
      } else {
        b.push(Tag.STRING_TRUNCATED);
        this.#varint(v.length);
        this.#string(v.slice(0, MAX_STRING / 4));
      }
    } else if (depth >= MAX_DEPTH) {
      b.push(Tag.DEPTH_LIMIT);
      this.#string(Array.isArray(v) ? 'Array' : 'Object');
    } else if (v instanceof ListValue) {
      b.push(Tag.LIST);
      this.#varint(v.items.length);
      for (const x of v.items) this.#value(x, depth + 1);
    } else if (v instanceof ErrorValue) {
      b.push(Tag.ERROR);
      this.#varint(0);
      this.#string(v.name);
      this.#string(v.message);
      this.#string(v.stack);
    } else if (Array.isArray(v)) {
      b.push(Tag.ARRAY);
      this.#varint(0);
      this.#varint(v.length);
      const kept = Math.min(v.length, MAX_ITEMS);
      this.#u16(kept);
      for (let i = 0; i < kept; i++) this.#value(v[i], depth + 1);
    } else {
      // Like JSON: a property whose value is undefined is left out.
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      b.push(Tag.OBJECT);
      this.#varint(0);
      this.#string('Object');
      this.#varint(keys.length);
      const kept = Math.min(keys.length, MAX_ITEMS);
      this.#u16(kept);
      for (let i = 0; i < kept; i++) {
        this.#string(keys[i]!);
        this.#value(v[keys[i]!], depth + 1);
      }
    }
  }

  #number(n: number): void {
    if (Number.isSafeInteger(n) && !Object.is(n, -0)) {
      this.#bytes.push(Tag.INT);
      this.#varint(n >= 0 ? n * 2 : -n * 2 - 1);
      return;
    }
    this.#bytes.push(Tag.FLOAT);
    const f = new Uint8Array(new Float64Array([n]).buffer);
    for (const x of f) this.#bytes.push(x);
  }

  #string(s: string): void {
    const bytes = encoder.encode(s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s);
    this.#varint(bytes.length);
    for (const x of bytes) this.#bytes.push(x);
  }

  #u16(n: number): void {
    this.#bytes.push(n & 0xff, n >> 8);
  }

  #varint(n: number): void {
    while (n >= 0x80) {
      this.#bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.#bytes.push(n);
  }
}
