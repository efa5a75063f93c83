/**
 * The containers of a value snapshot: plain objects, arrays, maps, sets, typed arrays, errors and
 * the other built-ins, with their members read through descriptors and built-in getters only (never
 * program code). Members are written by the subclass's `member` (value-writer.ts).
 */
import { Tag } from '../format/values.js';
import { P } from './primordials.js';
import { stackOf } from './error-stack.js';
import { MIN_ROOM, ValueBytes } from './value-bytes.js';

/** A DataView's byte length; 0 when its buffer was transferred away (the getter throws then). */
function dataViewLength(view: ArrayBufferView): number {
  try {
    return P.DataViewLength(view);
  } catch {
    return 0;
  }
}

export abstract class ValueContainers extends ValueBytes {
  readonly #classNames = new WeakMap<object, string>();

  /** Writes one member of a container at `depth` (ValueWriter's dispatch on the value's type). */
  protected abstract member(v: unknown, depth: number): void;

  /** Everything that is not a plain object or an array. */
  protected special(o: object, id: number, depth: number): void {
    const buf = this.buf;
    if (P.isDate(o)) {
      buf[this.pos++] = Tag.DATE;
      this.dv.setFloat64(this.pos, P.DateGetTime(o), true);
      this.pos += 8;
      return;
    }
    if (P.isRegExp(o)) {
      buf[this.pos++] = Tag.REGEXP;
      this.string(P.RegExpSource(o), false);
      this.string(P.RegExpFlags(o), false);
      return;
    }
    if (P.isNativeError(o)) return this.#error(o as Error, id);
    if (P.isMap(o)) return this.map(o as Map<unknown, unknown>, id, depth);
    if (P.isSet(o)) return this.set(o as Set<unknown>, id, depth);
    if (P.isView(o)) return this.#bytes(o as ArrayBufferView, id);
    if (P.isPromise(o) || P.isWeakMap(o) || P.isWeakSet(o) || P.isModuleNamespace(o) || P.isArrayBuffer(o) || P.isBoxedPrimitive(o)) {
      buf[this.pos++] = Tag.OPAQUE;
      this.varint(id);
      this.string(this.className(o), false);
      return;
    }
    this.plain(o, id, depth);
  }

  protected plain(o: object, id: number, depth: number): void {
    const cls = this.className(o);
    const keys = P.ownKeys(o);
    let strings = 0;
    for (let i = 0; i < keys.length; i++) if (typeof keys[i] === 'string') strings++;
    const countAt = this.objectHead(id, cls, strings);
    let kept = 0;
    for (let i = 0; i < keys.length && kept < this.maxKept; i++) {
      const key = keys[i];
      if (typeof key !== 'string') continue;
      if (this.pos + MIN_ROOM + key.length > this.end) break;
      this.string(key, false);
      kept++;
      if (this.isSecret(key)) {
        this.buf[this.pos++] = Tag.REDACTED;
        continue;
      }
      const d = P.getOwnPropertyDescriptor(o, key);
      if (d === undefined) this.buf[this.pos++] = Tag.UNDEFINED;
      else if ('value' in d) this.member(d.value, depth + 1);
      else this.accessor(d);
    }
    this.patchU16(countAt, kept);
  }

  protected array(a: unknown[], id: number, depth: number): void {
    const length = (P.getOwnPropertyDescriptor(a, 'length')!.value as number) >>> 0;
    const countAt = this.#head(Tag.ARRAY, id, length);
    let kept = 0;
    // A flat name/value list (rawHeaders: ['Authorization', 'Bearer …', …]): a value after a secret name is redacted.
    let afterSecretName = false;
    for (; kept < length && kept < this.maxKept; kept++) {
      if (this.pos + MIN_ROOM > this.end) break;
      const d = P.getOwnPropertyDescriptor(a, kept);
      if (d === undefined) this.buf[this.pos++] = Tag.UNDEFINED;
      else if (!('value' in d)) this.accessor(d);
      else if (afterSecretName) this.buf[this.pos++] = Tag.REDACTED;
      else this.member(d.value, depth + 1);
      afterSecretName = !afterSecretName && d !== undefined && 'value' in d && typeof d.value === 'string' && d.value.length < 64 && this.isSecret(d.value);
    }
    this.patchU16(countAt, kept);
  }

  /** An object's head: OBJECT, id (0: none), class name, key count, and a placeholder for how many keys were kept. */
  protected objectHead(id: number, cls: string, size: number): number {
    this.buf[this.pos++] = Tag.OBJECT;
    this.varint(id);
    this.string(cls, false);
    this.varint(size);
    return this.u16Placeholder();
  }

  /** A container's head: tag, id, size, and a placeholder for how many members were kept. */
  #head(tag: number, id: number, size: number): number {
    this.buf[this.pos++] = tag;
    this.varint(id);
    this.varint(size);
    return this.u16Placeholder();
  }

  #error(e: Error, id: number): void {
    this.buf[this.pos++] = Tag.ERROR;
    this.varint(id);
    const name = this.#dataString(e, 'name', true) || this.className(e);
    const message = this.#dataString(e, 'message', false);
    this.string(name, false);
    this.string(message, false);
    // The first line as Node's default formatter writes it (Error.prototype.toString).
    this.string(stackOf(e, message === '' ? name : name === '' ? message : `${name}: ${message}`), false);
  }

  protected map(m: Map<unknown, unknown>, id: number, depth: number): void {
    const size = P.MapSize(m);
    const countAt = this.#head(Tag.MAP, id, size);
    const it = P.MapEntries(m);
    let kept = 0;
    for (; kept < this.maxKept && this.pos + 2 * MIN_ROOM <= this.end; kept++) {
      const r = P.MapIteratorNext(it);
      if (r.done) break;
      const k = r.value[0];
      this.member(k, depth + 1);
      if (typeof k === 'string' && this.isSecret(k)) this.buf[this.pos++] = Tag.REDACTED;
      else this.member(r.value[1], depth + 1);
    }
    this.patchU16(countAt, kept);
  }

  protected set(s: Set<unknown>, id: number, depth: number): void {
    const size = P.SetSize(s);
    const countAt = this.#head(Tag.SET, id, size);
    const it = P.SetValues(s);
    let kept = 0;
    for (; kept < this.maxKept && this.pos + MIN_ROOM <= this.end; kept++) {
      const r = P.SetIteratorNext(it);
      if (r.done) break;
      this.member(r.value, depth + 1);
    }
    this.patchU16(countAt, kept);
  }

  #bytes(view: ArrayBufferView, id: number): void {
    const tag = P.TypedArrayTag(view);
    const length = tag === undefined ? dataViewLength(view) : P.TypedArrayLength(view);
    this.buf[this.pos++] = Tag.TYPED_ARRAY;
    this.varint(id);
    this.string(tag ?? 'DataView', false);
    this.varint(length);
    const room = this.end - this.pos - 8;
    const kept = P.MathMin(length, this.maxKept * 4, room > 0 ? room : 0);
    this.varint(kept);
    // Through the built-in getters: a program may shadow `buffer` or `byteOffset` with accessors of its own.
    if (kept === 0) return; // empty, or its buffer was transferred away (detached: no view may be made on it)
    const buffer = tag === undefined ? P.DataViewBuffer(view) : P.TypedArrayBuffer(view);
    const offset = tag === undefined ? P.DataViewOffset(view) : P.TypedArrayOffset(view);
    P.Uint8ArraySet(this.buf, new Uint8Array(buffer, offset, kept), this.pos);
    this.pos += kept;
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

  protected className(o: object): string {
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
