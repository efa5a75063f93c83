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
  label: string;
  id: number;
}

/** Tags of the whole process (any thread's writer may meet the object): few, one per HTTP exchange side. */
const tags = new WeakMap<object, ObjectTag>();

/** Names `obj` for the value writer: a host object it meets is written as `label #id`. */
export function tagObject(obj: object, label: string, id: number): void {
  P.WeakMapSet(tags, obj, { label, id });
}

export function tagOf(obj: object): ObjectTag | undefined {
  return P.WeakMapGet(tags as unknown as WeakMap<object, number>, obj) as unknown as ObjectTag | undefined;
}
