/**
 * Bounded, side-effect-free snapshots of values into a chunk's value stream (format in
 * src/format/values.ts). Never runs program code: no getters, no Proxy traps, no toString or
 * toJSON; own data properties are read through their descriptors, accessors and proxies are
 * shown as such. Every record fits in `limits.recordBytes`, so the caller checks room once.
 * The byte level is value-bytes.ts, the containers value-containers.ts; here: the records the
 * probes write, the dispatch on a value's type, and object identities.
 */
import { Tag } from '../format/values.js';
import { hostClassOf } from './host-objects.js';
import { hostTag, idStore } from './object-refs.js';
import { P } from './primordials.js';
import { KeyClass, MIN_ROOM } from './value-bytes.js';
import { ValueContainers } from './value-containers.js';

const ObjectPrototype = Object.prototype;
/** Written in place of a record whose capture threw (ValueWriter.truncated). */
const TRUNCATED_MARK = Symbol('value capture failed');

export class ValueWriter extends ValueContainers {
  readonly #ids = idStore();
  #nextId = 1;
  /**
   * The last two host objects written (a handler's req and res, passed on from call to call): met
   * again, they skip the id lookup, which on an IncomingMessage (a dictionary-mode object) is a
   * slow miss. Strong references to two objects per thread, replaced by the next ones.
   */
  #host0: object | null = null;
  #host1: object | null = null;
  #hostClass0 = '';
  #hostClass1 = '';

  /** Writes one value record at `pos`: a u16 byte length, then the value. */
  value(v: unknown): void {
    const at = this.begin();
    this.member(v, 0);
    this.patchU16(at, this.pos - at - 2);
  }

  /** Writes an argument list (LIST, count, values) as one record; `n` ≤ 4 values come inline. */
  list(n: number, a: unknown, b: unknown, c: unknown, d: unknown): void {
    const at = this.begin();
    this.buf[this.pos++] = Tag.LIST;
    this.varint(n);
    if (n > 0) this.member(a, 0);
    if (n > 1) this.member(b, 0);
    if (n > 2) this.member(c, 0);
    if (n > 3) this.member(d, 0);
    this.patchU16(at, this.pos - at - 2);
  }

  listArray(args: unknown[]): void {
    const at = this.begin();
    const n = args.length;
    this.buf[this.pos++] = Tag.LIST;
    this.varint(n);
    for (let i = 0; i < n; i++) this.member(args[i], 0);
    this.patchU16(at, this.pos - at - 2);
  }

  /**
   * A property write: LIST [target, key, value]. With `own`, the value is the property's own data
   * value read through its descriptor (an accessor is shown as such); otherwise `given`.
   */
  write(target: unknown, key: unknown, given: unknown, own: boolean): void {
    const at = this.begin();
    this.buf[this.pos++] = Tag.LIST;
    this.buf[this.pos++] = 3;
    this.member(target, 0);
    this.member(key, 0);
    if (typeof key === 'string' && this.isSecret(key)) this.buf[this.pos++] = Tag.REDACTED;
    else if (!own || target === null || (typeof target !== 'object' && typeof target !== 'function') || P.isProxy(target)) this.member(given, 0);
    else {
      const kt = typeof key;
      const d = kt === 'string' || kt === 'number' || kt === 'symbol' ? P.getOwnPropertyDescriptor(target, key as PropertyKey) : undefined;
      if (d === undefined) this.member(given, 0); // set through an inherited setter, or not a plain key
      else if ('value' in d) this.member(d.value, 0);
      else this.accessor(d);
    }
    this.patchU16(at, this.pos - at - 2);
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
    const at = this.begin();
    this.buf[this.pos++] = Tag.LIST;
    this.buf[this.pos++] = 3;
    this.member(target, 0);
    this.member(method, 0);
    const id = this.#ids.get(target)!;
    // Members shallowly: objects as references (or class names), so a push in a hot loop costs a
    // pass over the items, not a snapshot of each.
    const shallow = this.limits.depth;
    if (kind === 1) this.array(target as unknown[], id, shallow);
    else if (kind === 2) this.map(target as Map<unknown, unknown>, id, shallow);
    else this.set(target as Set<unknown>, id, shallow);
    this.patchU16(at, this.pos - at - 2);
    return true;
  }

  /**
   * An object the recorder makes itself (an HTTP phase…), written without building it: `keys`
   * (never secret, short ASCII) and `values` in order, no object id, no descriptors to read.
   * Values whose bit is set in `trusted` are the recorder's own strings (ids it generated): they
   * skip the secret scan, which is most of the cost of a long fresh string. Values whose bit is
   * set in `fresh` are objects Node has just made that no program code has touched yet (a
   * request's headers as it arrives, a getHeaders() copy): see #fresh.
   */
  fields(keys: readonly string[], values: readonly unknown[], trusted: number, fresh = 0): void {
    const at = this.begin();
    const n = keys.length;
    const countAt = this.objectHead(0, 'Object', n);
    let kept = 0;
    for (; kept < n; kept++) {
      const key = keys[kept]!;
      if (this.pos + MIN_ROOM + key.length > this.end) break;
      this.string(key, false);
      const v = values[kept];
      if ((trusted >> kept) & 1 && typeof v === 'string') this.string(v, true, false);
      else if ((fresh >> kept) & 1) this.#fresh(v);
      else this.member(v, 1);
    }
    this.patchU16(countAt, kept);
    this.patchU16(at, this.pos - at - 2);
  }

  /**
   * A fresh plain object of data properties (fields' `fresh`): its keys from Object.keys and its
   * values read directly, no descriptors and no id (nothing can refer to a copy made for us).
   * Written as the snapshot of a plain object would be, secret keys redacted the same way (the
   * values of standard headers such as etag skip the credential scan: PLAIN_VALUE_HEADERS); a
   * header object was ~40 % of an HTTP phase's cost through the general path (descriptors,
   * Reflect.ownKeys on a null-prototype object, an id stamped on it). Anything else goes there.
   */
  #fresh(o: unknown): void {
    if (o === null || typeof o !== 'object' || P.isProxy(o)) return this.member(o, 1);
    const proto = P.getPrototypeOf(o) as object | null;
    if (proto !== ObjectPrototype && proto !== null) return this.member(o, 1);
    const buf = this.buf;
    const keys = P.ObjectKeys(o);
    const n = keys.length;
    const countAt = this.objectHead(0, 'Object', n);
    let kept = 0;
    for (; kept < n && kept < this.maxKept; kept++) {
      const key = keys[kept]!;
      if (this.pos + MIN_ROOM + key.length > this.end) break;
      this.string(key, false);
      const c = this.keyClass(key);
      if (c === KeyClass.SECRET) {
        buf[this.pos++] = Tag.REDACTED;
        continue;
      }
      const v = (o as Record<string, unknown>)[key];
      if (c === KeyClass.PLAIN_HEADER && typeof v === 'string') this.string(v, true, false);
      else this.member(v, 2);
    }
    this.patchU16(countAt, kept);
  }

  /** A delete: LIST [target, key]. */
  remove(target: unknown, key: unknown): void {
    this.list(2, target, key, undefined, undefined);
  }

  /** A record whose capture threw midway (a hostile value): rewound to `at`, a marker written instead. */
  truncated(at: number): void {
    this.pos = at;
    this.value(TRUNCATED_MARK);
  }

  protected member(v: unknown, depth: number): void {
    const buf = this.buf;
    if (this.pos + MIN_ROOM > this.end) {
      buf[this.pos++] = Tag.TRUNCATED;
      return;
    }
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
          buf[this.pos++] = Tag.INT;
          this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
        } else {
          buf[this.pos++] = Tag.FLOAT;
          this.dv.setFloat64(this.pos, v, true);
          this.pos += 8;
        }
        return;
      case 'string':
        this.string(v, true);
        return;
      case 'boolean':
        buf[this.pos++] = v ? Tag.TRUE : Tag.FALSE;
        return;
      case 'undefined':
        buf[this.pos++] = Tag.UNDEFINED;
        return;
      case 'bigint':
        buf[this.pos++] = Tag.BIGINT;
        this.string(P.BigIntToString(v), false);
        return;
      case 'symbol':
        buf[this.pos++] = Tag.SYMBOL;
        this.string(P.SymbolDescription(v) ?? '', false);
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
    this.varint(known ?? this.#id(f));
    const d = P.isProxy(f) ? undefined : P.getOwnPropertyDescriptor(f, 'name');
    this.string(d && 'value' in d && typeof d.value === 'string' ? d.value : '', false);
  }

  #object(o: object, depth: number): void {
    const buf = this.buf;
    if (o === this.#host0) return this.#brief(o, this.#hostClass0);
    if (o === this.#host1) return this.#brief(o, this.#hostClass1);
    const seen = this.#ids.get(o);
    if (seen !== undefined) {
      buf[this.pos++] = Tag.REF;
      this.varint(seen);
      return;
    }
    if (P.isProxy(o)) {
      buf[this.pos++] = Tag.PROXY;
      this.varint(this.#id(o));
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
      this.string(this.className(o), false);
      return;
    }
    // Values seen directly (an argument, a result, a write's target) and their direct members get
    // ids, so `cart.items` can be followed through its own writes; deeper objects do not: giving
    // every nested object an id cost a WeakMap entry each and dominated recording with values.
    const id = depth <= 1 ? this.#id(o) : 0;
    if (proto === ObjectPrototype) return this.plain(o, id, depth);
    if (P.isArray(o)) return this.array(o as unknown[], id, depth);
    this.special(o, id, depth);
  }

  /** A host object, named (every time: as cheap as a reference, and it says which): "request #7", "Socket #2". */
  #brief(o: object, cls: string): void {
    const tag = hostTag(o);
    this.buf[this.pos++] = Tag.BRIEF;
    this.string(cls, false);
    this.string(tag.label, false);
    this.varint(tag.id);
  }
}
