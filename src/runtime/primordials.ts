/**
 * Our own copies of the built-ins the runtime uses, taken before the program runs (as Node's
 * `primordials` are), so a program that patches or freezes intrinsics can neither break
 * recording nor observe it.
 */
import { types } from 'node:util';

const { apply, ownKeys, getPrototypeOf } = Reflect;
const { bind, call } = Function.prototype;
/** `uncurry(f)(self, ...args)` is `f.call(self, ...args)` without looking anything up later. */
const uncurry = bind.bind(call) as <A extends unknown[], R>(fn: (...args: A) => R) => (self: unknown, ...args: A) => R;

function getter(proto: object, key: string | symbol): (self: unknown) => unknown {
  return uncurry(Object.getOwnPropertyDescriptor(proto, key)!.get as () => unknown);
}

const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;

export const P = {
  apply,
  ownKeys,
  getPrototypeOf,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  ObjectKeys: Object.keys,
  defineProperty: Object.defineProperty,
  isArray: Array.isArray,
  ArraySlice: uncurry(Array.prototype.slice) as <T>(a: T[], start?: number, end?: number) => T[],
  isView: ArrayBuffer.isView,
  isProxy: types.isProxy,
  isNativeError: types.isNativeError,
  isMap: types.isMap,
  isSet: types.isSet,
  isDate: types.isDate,
  isRegExp: types.isRegExp,
  isPromise: types.isPromise,
  isWeakMap: types.isWeakMap,
  isWeakSet: types.isWeakSet,
  isModuleNamespace: types.isModuleNamespaceObject,
  isBoxedPrimitive: types.isBoxedPrimitive,
  isArrayBuffer: types.isAnyArrayBuffer,
  WeakMapGet: uncurry(WeakMap.prototype.get) as <V>(m: WeakMap<object, V>, k: object) => V | undefined,
  WeakMapSet: uncurry(WeakMap.prototype.set) as (m: WeakMap<object, unknown>, k: object, v: unknown) => unknown,
  MapGet: uncurry(Map.prototype.get) as <K, V>(m: Map<K, V>, k: K) => V | undefined,
  MapSet: uncurry(Map.prototype.set) as <K, V>(m: Map<K, V>, k: K, v: V) => Map<K, V>,
  MapClear: uncurry(Map.prototype.clear) as (m: Map<unknown, unknown>) => void,
  MapEntries: uncurry(Map.prototype.entries) as (m: Map<unknown, unknown>) => IterableIterator<[unknown, unknown]>,
  MapSize: getter(Map.prototype, 'size') as (m: unknown) => number,
  SetHas: uncurry(Set.prototype.has) as <T>(s: Set<T>, v: T) => boolean,
  SetAdd: uncurry(Set.prototype.add) as <T>(s: Set<T>, v: T) => Set<T>,
  SetValues: uncurry(Set.prototype.values) as (s: Set<unknown>) => IterableIterator<unknown>,
  SetSize: getter(Set.prototype, 'size') as (s: unknown) => number,
  MapIteratorNext: uncurry((getPrototypeOf(new Map().entries()) as Iterator<unknown>).next) as (it: unknown) => IteratorResult<[unknown, unknown]>,
  SetIteratorNext: uncurry((getPrototypeOf(new Set().values()) as Iterator<unknown>).next) as (it: unknown) => IteratorResult<unknown>,
  DateGetTime: uncurry(Date.prototype.getTime) as (d: unknown) => number,
  RegExpSource: getter(RegExp.prototype, 'source') as (r: unknown) => string,
  RegExpFlags: getter(RegExp.prototype, 'flags') as (r: unknown) => string,
  RegExpExec: uncurry(RegExp.prototype.exec) as (r: RegExp, s: string) => RegExpExecArray | null,
  TypedArrayLength: getter(TypedArrayPrototype, 'byteLength') as (t: unknown) => number,
  TypedArrayOffset: getter(TypedArrayPrototype, 'byteOffset') as (t: unknown) => number,
  TypedArrayBuffer: getter(TypedArrayPrototype, 'buffer') as (t: unknown) => ArrayBufferLike,
  TypedArrayTag: getter(TypedArrayPrototype, Symbol.toStringTag) as (t: unknown) => string | undefined,
  DataViewLength: getter(DataView.prototype, 'byteLength') as (t: unknown) => number,
  DataViewOffset: getter(DataView.prototype, 'byteOffset') as (t: unknown) => number,
  DataViewBuffer: getter(DataView.prototype, 'buffer') as (t: unknown) => ArrayBufferLike,
  StringCharCodeAt: uncurry(String.prototype.charCodeAt) as (s: string, i: number) => number,
  StringSlice: uncurry(String.prototype.slice) as (s: string, a: number, b?: number) => string,
  BigIntToString: uncurry(BigInt.prototype.toString) as (b: bigint) => string,
  SymbolDescription: getter(Symbol.prototype, 'description') as (s: symbol) => string | undefined,
  FunctionToString: uncurry(Function.prototype.toString) as (f: unknown) => string,
  ErrorCtor: Error,
  /** Node's own Error.prepareStackTrace (formats stacks, source maps); anything else is the program's. */
  NodePrepareStackTrace: (Error as { prepareStackTrace?: unknown }).prepareStackTrace,
  /** V8's `stack` accessor (Node 22+); undefined where `stack` is a data property. */
  ErrorStackGetter: Object.getOwnPropertyDescriptor(new Error(), 'stack')?.get,
  TextEncoderEncodeInto: uncurry(TextEncoder.prototype.encodeInto) as (e: { encodeInto(s: string, d: Uint8Array): unknown }, s: string, d: Uint8Array) => { read: number; written: number },
  Uint8ArraySubarray: uncurry(Uint8Array.prototype.subarray) as (u: Uint8Array, a: number, b: number) => Uint8Array,
  Uint8ArraySet: uncurry(Uint8Array.prototype.set) as (u: Uint8Array, src: ArrayLike<number>, off: number) => void,
  AtomicsLoad: Atomics.load,
  AtomicsStore: Atomics.store,
  AtomicsAdd: Atomics.add,
  AtomicsWait: Atomics.wait,
  AtomicsNotify: Atomics.notify,
  JSONStringify: JSON.stringify,
  JSONParse: JSON.parse,
  MathMin: Math.min,
  MathMax: Math.max,
  MathFloor: Math.floor,
  NumberIsInteger: Number.isInteger,
  ObjectIs: Object.is,
  Symbol_for: Symbol.for,
} as const;
