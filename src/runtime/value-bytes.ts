/**
 * The byte level of a value record (format in src/format/values.ts): its bounds, varints, and
 * strings, with credential shapes masked and secret-looking names found. ValueWriter builds the
 * values themselves on top of it (value-containers.ts, value-writer.ts).
 */
import { Tag, type ValueLimits } from '../format/values.js';
import { MIN_SECRET_LENGTH, PLAIN_VALUE_HEADERS, maskSecrets } from '../format/redact.js';
import { P } from './primordials.js';

/** Room a value needs before we start it; below this it is written as TRUNCATED (one byte). */
export const MIN_ROOM = 24;
/** Kept free at the end of a record so the bytes that close it always fit. */
const TAIL_RESERVE = 32;
const MAX_KEPT = 0xffff;
const PLAIN_HEADERS = new Set(PLAIN_VALUE_HEADERS);

/** What a key says about its value (ValueBytes.keyClass). */
export const enum KeyClass {
  OTHER = 0,
  /** Matches the redaction pattern: the value is written as REDACTED. */
  SECRET = 1,
  /** A standard header whose value is never a credential (used for header objects only). */
  PLAIN_HEADER = 2,
}

export class ValueBytes {
  readonly buf: Uint8Array;
  readonly dv: DataView;
  pos = 0;
  /** Where the current record's room ends (TAIL_RESERVE before its last byte). */
  protected end = 0;
  /** Members (keys, items, entries) kept per container. */
  protected readonly maxKept: number;
  /** Each key's class (KeyClass), decided once. */
  readonly #keyClass = new Map<string, KeyClass>();
  /** Strings found to hold no secret (bounded). */
  readonly #clean = new Map<string, boolean>();
  readonly #encoder = new TextEncoder();
  /** Bytes one record may take, length prefix included (at most what a u16 prefix can say). */
  readonly recordBytes: number;

  constructor(
    buf: Uint8Array,
    readonly limits: ValueLimits,
    readonly redact: RegExp,
    /** Credential shapes and secret environment values, masked in every string (format/redact.ts). */
    readonly secrets: RegExp | null = null,
  ) {
    this.buf = buf;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.maxKept = P.MathMin(limits.keys, MAX_KEPT);
    this.recordBytes = P.MathMax(128, P.MathMin(limits.recordBytes, 0xffff));
  }

  protected begin(): number {
    const at = this.pos;
    this.pos += 2;
    this.end = at + this.recordBytes - TAIL_RESERVE;
    return at;
  }

  /**
   * A string: tagged (STRING or STRING_TRUNCATED with the original length) as a value, untagged
   * (just cut) as a name, key or message. Bounded by the string limit and the record's room.
   * `scan` false: the recorder's own text, never a secret.
   */
  protected string(s: string, tagged: boolean, scan = true): void {
    if (scan && s.length >= MIN_SECRET_LENGTH && this.secrets !== null && this.#stringMasked(s, tagged)) return;
    const buf = this.buf;
    const len = s.length;
    if (len < 128 && len <= this.limits.stringBytes && this.pos + len + 2 <= this.end) {
      // ASCII fast path: one pass, no allocation; falls back on the first non-ASCII unit.
      const at = this.pos;
      let p = at + (tagged ? 2 : 1);
      for (let i = 0; i < len; i++) {
        const c = P.StringCharCodeAt(s, i);
        if (c >= 0x80) return this.#stringSlow(s, tagged);
        buf[p++] = c;
      }
      if (tagged) buf[at] = Tag.STRING;
      buf[p - len - 1] = len;
      this.pos = p;
      return;
    }
    this.#stringSlow(s, tagged);
  }

  /**
   * A string that may hold a secret: only its kept head (plus a margin, so a secret cut by the limit
   * is still seen whole) is searched; the masked text is written, with the original length.
   * Returns false, writing nothing, when there is no secret.
   */
  #stringMasked(s: string, tagged: boolean): boolean {
    const limit = this.limits.stringBytes + 256;
    const head = s.length > limit ? P.StringSlice(s, 0, limit) : s;
    // Programs pass the same strings again and again: remember which held no secret.
    if (head === s && P.MapGet(this.#clean, s) === true) return false;
    const masked = maskSecrets(head, this.secrets!, P.RegExpExec, P.StringSlice);
    if (masked === null) {
      if (head === s && s.length < 1024) {
        if (this.#clean.size >= 4096) P.MapClear(this.#clean);
        P.MapSet(this.#clean, s, true);
      }
      return false;
    }
    this.#stringSlow(masked, tagged, head === s ? masked.length : s.length);
    return true;
  }

  #stringSlow(s: string, tagged: boolean, originalLength = s.length): void {
    const header = 11; // tag + two varints
    const room = this.end - this.pos - header;
    const max = P.MathMin(this.limits.stringBytes, room > 0 ? room : 0);
    // A UTF-16 unit takes at most 3 UTF-8 bytes, so `max` units always cover `max` bytes.
    const head = s.length > max ? P.StringSlice(s, 0, max) : s;
    const scratchAt = this.pos + header;
    const { read, written } = P.TextEncoderEncodeInto(this.#encoder, head, P.Uint8ArraySubarray(this.buf, scratchAt, scratchAt + max));
    const complete = read === s.length && originalLength === s.length;
    if (tagged) {
      this.buf[this.pos++] = complete ? Tag.STRING : Tag.STRING_TRUNCATED;
      if (!complete) this.varint(originalLength);
    }
    this.varint(written);
    this.buf.copyWithin(this.pos, scratchAt, scratchAt + written);
    this.pos += written;
  }

  protected u16Placeholder(): number {
    const at = this.pos;
    this.pos += 2;
    return at;
  }

  protected patchU16(at: number, n: number): void {
    this.buf[at] = n & 0xff;
    this.buf[at + 1] = n >>> 8;
  }

  protected varint(n: number): void {
    const buf = this.buf;
    while (n >= 0x80) {
      buf[this.pos++] = (n & 0x7f) | 0x80;
      n = P.MathFloor(n / 128);
    }
    buf[this.pos++] = n;
  }

  protected isSecret(key: string): boolean {
    return this.keyClass(key) === KeyClass.SECRET;
  }

  /** Whether a key names a secret (its value is redacted), a standard header with a plain value, or neither. */
  protected keyClass(key: string): KeyClass {
    let c = P.MapGet(this.#keyClass, key);
    if (c === undefined) {
      this.redact.lastIndex = 0;
      c = P.RegExpExec(this.redact, key) !== null ? KeyClass.SECRET : P.SetHas(PLAIN_HEADERS, key) ? KeyClass.PLAIN_HEADER : KeyClass.OTHER;
      if (this.#keyClass.size < 10_000) P.MapSet(this.#keyClass, key, c);
    }
    return c;
  }

  protected accessor(d: PropertyDescriptor): void {
    this.buf[this.pos++] = Tag.ACCESSOR;
    this.buf[this.pos++] = (d.get ? 1 : 0) | (d.set ? 2 : 0);
  }
}
