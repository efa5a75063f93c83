/**
 * Allocation-free walking of value records (src/format/values.ts) for the index builder: skip a
 * value, read the id of a top-level object, read a write's key. Decoding into `Value`s (the
 * ValueReader) is for answers; this is for scanning millions of records while indexing. Every
 * read is bounds-checked against `end`: a damaged record gives a RecordingError.
 */
import { Tag } from '../../format/values.js';
import { RecordingError } from '../../recording/errors.js';

const MAX_NESTING = 64;
const decoder = new TextDecoder();

export class ValueScan {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;

  reset(buf: Uint8Array, pos: number, end: number): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  byte(): number {
    if (this.pos >= this.end) damaged('value cut short');
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    return damaged('varint too long');
  }

  u16(): number {
    if (this.pos + 2 > this.end) damaged('value cut short');
    const v = this.buf[this.pos]! | (this.buf[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  bytes(n: number): void {
    if (n > this.end - this.pos) damaged('value cut short');
    this.pos += n;
  }

  string(): string {
    const n = this.varint();
    const start = this.pos;
    this.bytes(n);
    return decoder.decode(this.buf.subarray(start, start + n));
  }

  skipString(): void {
    this.bytes(this.varint());
  }

  /** Skips the value whose tag byte was already read. */
  skipBody(tag: number, depth: number): void {
    if (depth > MAX_NESTING) damaged('nesting too deep');
    switch (tag) {
      case Tag.UNDEFINED:
      case Tag.NULL:
      case Tag.TRUE:
      case Tag.FALSE:
      case Tag.REDACTED:
      case Tag.TRUNCATED:
        return;
      case Tag.INT:
      case Tag.REF:
      case Tag.PROXY:
        this.varint();
        return;
      case Tag.FLOAT:
      case Tag.DATE:
        this.bytes(8);
        return;
      case Tag.STRING:
      case Tag.BIGINT:
      case Tag.SYMBOL:
      case Tag.DEPTH_LIMIT:
        this.skipString();
        return;
      case Tag.STRING_TRUNCATED:
        this.varint();
        this.skipString();
        return;
      case Tag.FUNCTION:
      case Tag.OPAQUE:
        this.varint();
        this.skipString();
        return;
      case Tag.OBJECT: {
        this.varint();
        this.skipString();
        this.varint();
        const n = this.u16();
        for (let i = 0; i < n; i++) {
          this.skipString();
          this.skip(depth + 1);
        }
        return;
      }
      case Tag.ARRAY:
      case Tag.SET: {
        this.varint();
        this.varint();
        const n = this.u16();
        for (let i = 0; i < n; i++) this.skip(depth + 1);
        return;
      }
      case Tag.MAP: {
        this.varint();
        this.varint();
        const n = this.u16();
        for (let i = 0; i < 2 * n; i++) this.skip(depth + 1);
        return;
      }
      case Tag.ERROR:
        this.varint();
        this.skipString();
        this.skipString();
        this.skipString();
        return;
      case Tag.TYPED_ARRAY:
        this.varint();
        this.skipString();
        this.varint();
        this.bytes(this.varint());
        return;
      case Tag.ACCESSOR:
        this.byte();
        return;
      case Tag.BRIEF:
        this.skipString();
        this.skipString();
        this.varint();
        return;
      case Tag.REGEXP:
        this.skipString();
        this.skipString();
        return;
      case Tag.LIST: {
        const n = this.varint();
        if (n > this.end - this.pos) damaged('list longer than its record');
        for (let i = 0; i < n; i++) this.skip(depth + 1);
        return;
      }
      default:
        damaged(`unknown value tag ${tag}`);
    }
  }

  skip(depth: number): void {
    this.skipBody(this.byte(), depth);
  }
}

/** Tags whose payload starts with an object id (given to directly captured objects, 0 otherwise). */
export function hasObjectId(tag: number): boolean {
  return tag === Tag.OBJECT || tag === Tag.ARRAY || tag === Tag.MAP || tag === Tag.SET || tag === Tag.ERROR || tag === Tag.TYPED_ARRAY || tag === Tag.PROXY || tag === Tag.OPAQUE;
}

function damaged(why: string): never {
  throw new RecordingError(`damaged value record: ${why}`);
}
