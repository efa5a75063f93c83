/**
 * Object identity inside the recorded program: the per-writer id store, and the names the runtime
 * itself gives to host objects it knows better than their properties (an HTTP request is "request
 * #7", exchange 7 of http-capture), read by the value writer when it writes a BRIEF tag.
 */
import { P } from './primordials.js';

/** A base class whose constructor returns the object it is given: `super(o)` makes `this` be `o`. */
const ReturnsItsArgument = function (o: object) {
  return o;
} as unknown as new (o: object) => object;

export interface IdStore {
  get(o: object): number | undefined;
  set(o: object, id: number): void;
}

/**
 * Object ids, kept in a private field stamped on the object (the "return override" trick): 4–7x
 * cheaper than a WeakMap entry per object (measured 26–56 vs 180–210 ns for set + get), and as
 * invisible to the program — private names cannot be reflected on, proxies see no trap. Objects
 * that refuse a new field (where an engine applies non-extensibility to private fields) go to a
 * WeakMap. One store per thread's writer: its own class, so its own private name.
 */
export function idStore(): IdStore {
  const fallback = new WeakMap<object, number>();
  let anyFallback = false;
  class Stamp extends ReturnsItsArgument {
    #id: number;
    constructor(o: object, id: number) {
      super(o);
      this.#id = id;
    }
    static get(o: object): number | undefined {
      return #id in o ? (o as Stamp).#id : undefined;
    }
  }
  return {
    get(o) {
      const id = Stamp.get(o);
      return id !== undefined || !anyFallback ? id : P.WeakMapGet(fallback, o);
    },
    set(o, id) {
      try {
        new Stamp(o, id);
      } catch {
        anyFallback = true;
        P.WeakMapSet(fallback, o, id);
      }
    },
  };
}

export interface ObjectTag {
  /** 'request', 'response' (http capture), or '' for a host object nobody named. */
  label: string;
  /** With a label, its HTTP exchange id; else a number of the object's own, unique in the process. */
  id: number;
}

/**
 * Numbers of the host objects no namer names, for the writer of this thread (a worker loads its
 * own copy), kept for each object's life. Not the writer's id stamps: stamping a private field on an IncomingMessage (a dictionary-mode object)
 * took ~10 µs per object in a profile of bench/host-values.mjs (whose rounds each add a new
 * private name), a fifth of the snapshot it would replace; a WeakMap entry is ~0.2–0.4 µs.
 */
const tags = new WeakMap<object, ObjectTag>();
let nextUnnamed = 1;
/**
 * Names asked for only when the writer meets a host object (HTTP capture's exchanges): naming
 * every request up front cost two WeakMap entries per request whether or not a value ever
 * showed it.
 */
let namer: (obj: object) => ObjectTag | undefined = () => undefined;

/** Sets the function asked for the name of a host object (one per thread: the last set wins). */
export function nameHostObjects(f: (obj: object) => ObjectTag | undefined): void {
  namer = f;
}

/** The name of a host object: the number it was given, its namer's name (asked each time: a lookup), or a number given now and kept. */
export function hostTag(obj: object): ObjectTag {
  let tag = P.WeakMapGet(tags, obj) ?? namer(obj);
  if (tag === undefined) P.WeakMapSet(tags, obj, (tag = { label: '', id: nextUnnamed++ }));
  return tag;
}
