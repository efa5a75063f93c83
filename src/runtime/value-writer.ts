/**
 * Bounded, side-effect-free snapshots of values into a chunk's value stream (format in
 * src/format/values.ts). Never runs program code: no getters, no Proxy traps, no toString or
 * toJSON; own data properties are read through their descriptors, accessors and proxies are
 * shown as such. Every record fits in `limits.recordBytes`, so the caller checks room once.
 */
import { Tag, type ValueLimits } from '../format/values.js';
import { MIN_SECRET_LENGTH, maskSecrets } from '../format/redact.js';
import { hostClassOf } from './host-objects.js';
import { hostTag, idStore } from './object-refs.js';
import { P } from './primordials.js';
import { stackOf } from './error-stack.js';

const ObjectPrototype = Object.prototype;

/** A DataView's byte length; 0 when its buffer was transferred away (the getter throws then). */
function dataViewLength(view: ArrayBufferView): number {
  try {
    return P.DataViewLength(view);
  } catch {
    return 0;
  }
}

/** Room a value needs before we start it; below this it is written as TRUNCATED (one byte). */
const MIN_ROOM = 24;
/** Kept free at the end of a record so the bytes that close it always fit. */
const TAIL_RESERVE = 32;
const MAX_KEPT = 0xffff;

export class ValueWriter {
  readonly buf: Uint8Array;
  readonly dv: DataView;
  pos = 0;
  #end = 0;
  readonly #ids = idStore();
  #nextId = 1;
  readonly #classNames = new WeakMap<object, string>();
  /**
   * The last two host objects written (a handler's req and res, passed on from call to call): met
   * again, they skip the id lookup, which on an IncomingMessage (a dictionary-mode object) is a
   * slow miss. Strong references to two objects per thread, replaced by the next ones.
   */
  #host0: object | null = null;
  #host1: object | null = null;
  #hostClass0 = '';
  #hostClass1 = '';
  readonly #redactCache = new Map<string, boolean>();
  /** Strings found to hold no secret (bounded). */
  readonly #clean = new Map<string, boolean>();
  readonly #encoder = new TextEncoder();
  readonly #keys: number;
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
    this.#keys = P.MathMin(limits.keys, MAX_KEPT);
    this.recordBytes = P.MathMax(128, P.MathMin(limits.recordBytes, 0xffff));
  }

  /** Writes one value record at `pos`: a u16 byte length, then the value. */
  value(v: unknown): void {
    const at = this.#begin();
    this.#value(v, 0);
    this.#patchU16(at, this.pos - at - 2);
  }

  /** Writes an argument list (LIST, count, values) as one record; `n` ≤ 4 values come inline. */
  list(n: number, a: unknown, b: unknown, c: unknown, d: unknown): void {
    const at = this.#begin();
    this.buf[this.pos++] = Tag.LIST;
    this.#varint(n);
    if (n > 0) this.#value(a, 0);
    if (n > 1) this.#value(b, 0);
    if (n > 2) this.#value(c, 0);
    if (n > 3) this.#value(d, 0);
    this.#patchU16(at, this.pos - at - 2);
  }

  listArray(args: unknown[]): void {
    const at = this.#begin();
    const n = args.length;
    this.buf[this.pos++] = Tag.LIST;
    this.#varint(n);
    for (let i = 0; i < n; i++) this.#value(args[i], 0);
    this.#patchU16(at, this.pos - at - 2);
  }

  /**
   * A property write: LIST [target, key, value]. With `own`, the value is the property's own data
   * value read through its descriptor (an accessor is shown as such); otherwise `given`.
   */
  write(target: unknown, key: unknown, given: unknown, own: boolean): void {
    const at = this.#begin();
    this.buf[this.pos++] = Tag.LIST;
    this.buf[this.pos++] = 3;
    this.#value(target, 0);
    this.#value(key, 0);
    if (typeof key === 'string' && this.#isSecret(key)) this.buf[this.pos++] = Tag.REDACTED;
    else if (!own || target === null || (typeof target !== 'object' && typeof target !== 'function') || P.isProxy(target)) this.#value(given, 0);
    else {
      const kt = typeof key;
      const d = kt === 'string' || kt === 'number' || kt === 'symbol' ? P.getOwnPropertyDescriptor(target, key as PropertyKey) : undefined;
      if (d === undefined) this.#value(given, 0); // set through an inherited setter, or not a plain key
      else if ('value' in d) this.#value(d.value, 0);
      else this.#accessor(d);
    }
    this.#patchU16(at, this.pos - at - 2);
  }

  /**
   * A Map, Set or array changed by a method: LIST [target, method, contents now]. The contents are
   * written in full even when the target was seen before (a keyframe of the container).
   * Returns false (writing nothing) when the target is not a Map, Set or array.
   */
  mutation(target: unknown, method: string): boolean {
    if (target === null || typeof target !== 'object' || P.isProxy(target)) return false;
    const kind = P.isArray(target) ? 1 : P.isMap(target) ? 2 : P.isSet(target) ? 3 : 0;
    if (kind === 0) return false;
    const at = this.#begin();
    this.buf[this.pos++] = Tag.LIST;
    this.buf[this.pos++] = 3;
    this.#value(target, 0);
    this.#value(method, 0);
    const id = this.#ids.get(target)!;
    // Members shallowly: objects as references (or class names), so a push in a hot loop costs a
    // pass over the items, not a snapshot of each.
    const shallow = this.limits.depth;
    if (kind === 1) this.#array(target as unknown[], id, shallow);
    else if (kind === 2) this.#map(target as Map<unknown, unknown>, id, shallow);
    else this.#set(target as Set<unknown>, id, shallow);
    this.#patchU16(at, this.pos - at - 2);
    return true;
  }

  /**
   * An object the recorder makes itself (an HTTP phase…), written without building it: `keys`
   * (never secret, short ASCII) and `values` in order, no object id, no descriptors to read.
   * Values whose bit is set in `trusted` are the recorder's own strings (ids it generated): they
   * skip the secret scan, which is most of the cost of a long fresh string.
   */
  fields(keys: readonly string[], values: readonly unknown[], trusted: number): void {
    const at = this.#begin();
    const buf = this.buf;
    buf[this.pos++] = Tag.OBJECT;
    buf[this.pos++] = 0; // varint 0: no id
    this.#string('Object', false);
    const n = keys.length;
    this.#varint(n);
    const countAt = this.#u16Placeholder();
    let kept = 0;
    for (; kept < n; kept++) {
      const key = keys[kept]!;
      if (this.pos + MIN_ROOM + key.length > this.#end) break;
      this.#string(key, false);
      const v = values[kept];
      if ((trusted >> kept) & 1 && typeof v === 'string') this.#string(v, true, false);
      else this.#value(v, 1);
    }
    this.#patchU16(countAt, kept);
    this.#patchU16(at, this.pos - at - 2);
  }

  /** A delete: LIST [target, key]. */
  remove(target: unknown, key: unknown): void {
    this.list(2, target, key, undefined, undefined);
  }

  #begin(): number {
    const at = this.pos;
    this.pos += 2;
    this.#end = at + this.recordBytes - TAIL_RESERVE;
    return at;
  }

  #value(v: unknown, depth: number): void {
    const buf = this.buf;
    if (this.pos + MIN_ROOM > this.#end) {
      buf[this.pos++] = Tag.TRUNCATED;
      return;
    }
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
          buf[this.pos++] = Tag.INT;
          this.#varint(v >= 0 ? v * 2 : -v * 2 - 1);
        } else {
          buf[this.pos++] = Tag.FLOAT;
          this.dv.setFloat64(this.pos, v, true);
          this.pos += 8;
        }
        return;
      case 'string':
        this.#string(v, true);
        return;
      case 'boolean':
        buf[this.pos++] = v ? Tag.TRUE : Tag.FALSE;
        return;
      case 'undefined':
        buf[this.pos++] = Tag.UNDEFINED;
        return;
      case 'bigint':
        buf[this.pos++] = Tag.BIGINT;
        this.#string(P.BigIntToString(v), false);
        return;
      case 'symbol':
        buf[this.pos++] = Tag.SYMBOL;
        this.#string(P.SymbolDescription(v) ?? '', false);
        return;
      case 'function':
        this.#function(v);
        return;
      default:
        if (v === null) buf[this.pos++] = Tag.NULL;
        else this.#object(v as object, depth);
    }
  }

  #id(o: object): number {
    const id = this.#nextId++;
    this.#ids.set(o, id);
    return id;
  }

  #function(f: Function): void {
    const known = this.#ids.get(f);
    this.buf[this.pos++] = Tag.FUNCTION;
    this.#varint(known ?? this.#id(f));
    const d = P.isProxy(f) ? undefined : P.getOwnPropertyDescriptor(f, 'name');
    this.#string(d && 'value' in d && typeof d.value === 'string' ? d.value : '', false);
  }

  #object(o: object, depth: number): void {
    const buf = this.buf;
    if (o === this.#host0) return this.#brief(o, this.#hostClass0);
    if (o === this.#host1) return this.#brief(o, this.#hostClass1);
    const seen = this.#ids.get(o);
    if (seen !== undefined) {
      buf[this.pos++] = Tag.REF;
      this.#varint(seen);
      return;
    }
    if (P.isProxy(o)) {
      buf[this.pos++] = Tag.PROXY;
      this.#varint(this.#id(o));
      return;
    }
    const proto = P.getPrototypeOf(o) as object | null;
    const host = proto === ObjectPrototype ? '' : hostClassOf(proto);
    if (host !== '') {
      this.#host1 = this.#host0;
      this.#hostClass1 = this.#hostClass0;
      this.#host0 = o;
      this.#hostClass0 = host;
      return this.#brief(o, host);
    }
    if (depth > this.limits.depth) {
      // Not remembered as seen: a later, shallower sighting can still snapshot it.
      buf[this.pos++] = Tag.DEPTH_LIMIT;
      this.#string(this.#className(o), false);
      return;
    }
    // Values seen directly (an argument, a result, a write's target) and their direct members get
    // ids, so `cart.items` can be followed through its own writes; deeper objects do not: giving
    // every nested object an id cost a WeakMap entry each and dominated recording with values.
    const id = depth <= 1 ? this.#id(o) : 0;
    if (proto === ObjectPrototype) return this.#plain(o, id, depth);
    if (P.isArray(o)) return this.#array(o as unknown[], id, depth);
    this.#special(o, id, depth);
  }

  /** A host object, named (every time: as cheap as a reference, and it says which): "request #7", "Socket #2". */
  #brief(o: object, cls: string): void {
    const tag = hostTag(o);
    this.buf[this.pos++] = Tag.BRIEF;
    this.#string(cls, false);
    this.#string(tag.label, false);
    this.#varint(tag.id);
  }

  /** Everything that is not a plain object or an array. */
  #special(o: object, id: number, depth: number): void {
    const buf = this.buf;
    if (P.isDate(o)) {
      buf[this.pos++] = Tag.DATE;
      this.dv.setFloat64(this.pos, P.DateGetTime(o), true);
      this.pos += 8;
      return;
    }
    if (P.isRegExp(o)) {
      buf[this.pos++] = Tag.REGEXP;
      this.#string(P.RegExpSource(o), false);
      this.#string(P.RegExpFlags(o), false);
      return;
    }
    if (P.isNativeError(o)) return this.#error(o as Error, id);
    if (P.isMap(o)) return this.#map(o as Map<unknown, unknown>, id, depth);
    if (P.isSet(o)) return this.#set(o as Set<unknown>, id, depth);
    if (P.isView(o)) return this.#bytes(o as ArrayBufferView, id);
    if (P.isPromise(o) || P.isWeakMap(o) || P.isWeakSet(o) || P.isModuleNamespace(o) || P.isArrayBuffer(o) || P.isBoxedPrimitive(o)) {
      buf[this.pos++] = Tag.OPAQUE;
      this.#varint(id);
      this.#string(this.#className(o), false);
      return;
    }
    this.#plain(o, id, depth);
  }

  #plain(o: object, id: number, depth: number): void {
    this.buf[this.pos++] = Tag.OBJECT;
    this.#varint(id);
    this.#string(this.#className(o), false);
    const keys = P.ownKeys(o);
    let strings = 0;
    for (let i = 0; i < keys.length; i++) if (typeof keys[i] === 'string') strings++;
    this.#varint(strings);
    const countAt = this.#u16Placeholder();
    let kept = 0;
    for (let i = 0; i < keys.length && kept < this.#keys; i++) {
      const key = keys[i];
      if (typeof key !== 'string') continue;
      if (this.pos + MIN_ROOM + key.length > this.#end) break;
      this.#string(key, false);
      kept++;
      if (this.#isSecret(key)) {
        this.buf[this.pos++] = Tag.REDACTED;
        continue;
      }
      const d = P.getOwnPropertyDescriptor(o, key);
      if (d === undefined) this.buf[this.pos++] = Tag.UNDEFINED;
      else if ('value' in d) this.#value(d.value, depth + 1);
      else this.#accessor(d);
    }
    this.#patchU16(countAt, kept);
  }

  #array(a: unknown[], id: number, depth: number): void {
    const length = (P.getOwnPropertyDescriptor(a, 'length')!.value as number) >>> 0;
    this.buf[this.pos++] = Tag.ARRAY;
    this.#varint(id);
    this.#varint(length);
    const countAt = this.#u16Placeholder();
    let kept = 0;
    // A flat name/value list (rawHeaders: ['Authorization', 'Bearer …', …]): a value after a secret name is redacted.
    let afterSecretName = false;
    for (; kept < length && kept < this.#keys; kept++) {
      if (this.pos + MIN_ROOM > this.#end) break;
      const d = P.getOwnPropertyDescriptor(a, kept);
      if (d === undefined) this.buf[this.pos++] = Tag.UNDEFINED;
      else if (!('value' in d)) this.#accessor(d);
      else if (afterSecretName) this.buf[this.pos++] = Tag.REDACTED;
      else this.#value(d.value, depth + 1);
      afterSecretName = !afterSecretName && d !== undefined && 'value' in d && typeof d.value === 'string' && d.value.length < 64 && this.#isSecret(d.value);
    }
    this.#patchU16(countAt, kept);
  }

  #accessor(d: PropertyDescriptor): void {
    this.buf[this.pos++] = Tag.ACCESSOR;
    this.buf[this.pos++] = (d.get ? 1 : 0) | (d.set ? 2 : 0);
  }

  #error(e: Error, id: number): void {
    this.buf[this.pos++] = Tag.ERROR;
    this.#varint(id);
    const name = this.#dataString(e, 'name', true) || this.#className(e);
    const message = this.#dataString(e, 'message', false);
    this.#string(name, false);
    this.#string(message, false);
    // The first line as Node's default formatter writes it (Error.prototype.toString).
    this.#string(stackOf(e, message === '' ? name : name === '' ? message : `${name}: ${message}`), false);
  }

  #map(m: Map<unknown, unknown>, id: number, depth: number): void {
    const size = P.MapSize(m);
    this.buf[this.pos++] = Tag.MAP;
    this.#varint(id);
    this.#varint(size);
    const countAt = this.#u16Placeholder();
    const it = P.MapEntries(m);
    let kept = 0;
    for (; kept < this.#keys && this.pos + 2 * MIN_ROOM <= this.#end; kept++) {
      const r = P.MapIteratorNext(it);
      if (r.done) break;
      const k = r.value[0];
      this.#value(k, depth + 1);
      if (typeof k === 'string' && this.#isSecret(k)) this.buf[this.pos++] = Tag.REDACTED;
      else this.#value(r.value[1], depth + 1);
    }
    this.#patchU16(countAt, kept);
  }

  #set(s: Set<unknown>, id: number, depth: number): void {
    const size = P.SetSize(s);
    this.buf[this.pos++] = Tag.SET;
    this.#varint(id);
    this.#varint(size);
    const countAt = this.#u16Placeholder();
    const it = P.SetValues(s);
    let kept = 0;
    for (; kept < this.#keys && this.pos + MIN_ROOM <= this.#end; kept++) {
      const r = P.SetIteratorNext(it);
      if (r.done) break;
      this.#value(r.value, depth + 1);
    }
    this.#patchU16(countAt, kept);
  }

  #bytes(view: ArrayBufferView, id: number): void {
    const tag = P.TypedArrayTag(view);
    const length = tag === undefined ? dataViewLength(view) : P.TypedArrayLength(view);
    this.buf[this.pos++] = Tag.TYPED_ARRAY;
    this.#varint(id);
    this.#string(tag ?? 'DataView', false);
    this.#varint(length);
    const room = this.#end - this.pos - 8;
    const kept = P.MathMin(length, this.#keys * 4, room > 0 ? room : 0);
    this.#varint(kept);
    // Through the built-in getters: a program may shadow `buffer` or `byteOffset` with accessors of its own.
    if (kept === 0) return; // empty, or its buffer was transferred away (detached: no view may be made on it)
    const buffer = tag === undefined ? P.DataViewBuffer(view) : P.TypedArrayBuffer(view);
    const offset = tag === undefined ? P.DataViewOffset(view) : P.TypedArrayOffset(view);
    P.Uint8ArraySet(this.buf, new Uint8Array(buffer, offset, kept), this.pos);
    this.pos += kept;
  }

  /**
   * A string: tagged (STRING or STRING_TRUNCATED with the original length) as a value, untagged
   * (just cut) as a name, key or message. Bounded by the string limit and the record's room.
   * `scan` false: the recorder's own text, never a secret.
   */
  #string(s: string, tagged: boolean, scan = true): void {
    if (scan && s.length >= MIN_SECRET_LENGTH && this.secrets !== null && this.#stringMasked(s, tagged)) return;
    const buf = this.buf;
    const len = s.length;
    if (len < 128 && len <= this.limits.stringBytes && this.pos + len + 2 <= this.#end) {
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
    const room = this.#end - this.pos - header;
    const max = P.MathMin(this.limits.stringBytes, room > 0 ? room : 0);
    // A UTF-16 unit takes at most 3 UTF-8 bytes, so `max` units always cover `max` bytes.
    const head = s.length > max ? P.StringSlice(s, 0, max) : s;
    const scratchAt = this.pos + header;
    const { read, written } = P.TextEncoderEncodeInto(this.#encoder, head, P.Uint8ArraySubarray(this.buf, scratchAt, scratchAt + max));
    const complete = read === s.length && originalLength === s.length;
    if (tagged) {
      this.buf[this.pos++] = complete ? Tag.STRING : Tag.STRING_TRUNCATED;
      if (!complete) this.#varint(originalLength);
    }
    this.#varint(written);
    this.buf.copyWithin(this.pos, scratchAt, scratchAt + written);
    this.pos += written;
  }

  #u16Placeholder(): number {
    const at = this.pos;
    this.pos += 2;
    return at;
  }

  #patchU16(at: number, n: number): void {
    this.buf[at] = n & 0xff;
    this.buf[at + 1] = n >>> 8;
  }

  #varint(n: number): void {
    const buf = this.buf;
    while (n >= 0x80) {
      buf[this.pos++] = (n & 0x7f) | 0x80;
      n = P.MathFloor(n / 128);
    }
    buf[this.pos++] = n;
  }

  #isSecret(key: string): boolean {
    let r = P.MapGet(this.#redactCache, key);
    if (r === undefined) {
      this.redact.lastIndex = 0;
      r = P.RegExpExec(this.redact, key) !== null;
      if (this.#redactCache.size < 10_000) P.MapSet(this.#redactCache, key, r);
    }
    return r;
  }

  /** A string-valued data property, own or (when `inherited`) from the prototype chain; '' otherwise. */
  #dataString(o: object, key: string, inherited: boolean): string {
    for (let cur: object | null = o; cur !== null; cur = inherited ? (P.getPrototypeOf(cur) as object | null) : null) {
      if (P.isProxy(cur)) return '';
      const d = P.getOwnPropertyDescriptor(cur, key);
      if (d) return 'value' in d && typeof d.value === 'string' ? d.value : '';
    }
    return '';
  }

  #className(o: object): string {
    const proto = P.getPrototypeOf(o) as object | null;
    if (proto === null) return 'Object';
    const cached = P.WeakMapGet(this.#classNames as unknown as WeakMap<object, number>, proto) as unknown as string | undefined;
    if (cached !== undefined) return cached;
    let name = 'Object';
    if (!P.isProxy(proto)) {
      const d = P.getOwnPropertyDescriptor(proto, 'constructor');
      const ctor: unknown = d && 'value' in d ? d.value : undefined;
      if (typeof ctor === 'function' && !P.isProxy(ctor)) {
        const nd = P.getOwnPropertyDescriptor(ctor, 'name');
        if (nd && 'value' in nd && typeof nd.value === 'string' && nd.value) name = nd.value;
      }
    }
    P.WeakMapSet(this.#classNames, proto, name);
    return name;
  }
}
