/**
 * Value records: how captured values are encoded in a chunk's value stream.
 *
 * Each record starts with its byte length (u16 little endian), so readers can skip it.
 * A value is a tag byte followed by its payload. Integers are unsigned LEB128 varints unless said
 * otherwise; "string" inside a payload means varint byte length + UTF-8 bytes, cut to the limit. An object is written in full (a snapshot) the first time a thread sees it and as a
 * reference to its id afterwards, so a reference means "as last seen", a snapshot "exact now".
 */
export const Tag = {
  UNDEFINED: 0,
  NULL: 1,
  TRUE: 2,
  FALSE: 3,
  /** zigzag varint */
  INT: 4,
  /** float64 little endian */
  FLOAT: 5,
  /** varint byte length, utf-8 bytes */
  STRING: 6,
  /** varint original length (utf-16 units), varint byte length, utf-8 bytes of the kept prefix */
  STRING_TRUNCATED: 7,
  /** decimal string */
  BIGINT: 8,
  /** description string (or empty) */
  SYMBOL: 9,
  /** varint id, name string */
  FUNCTION: 10,
  /**
   * varint id of an object snapshotted earlier in this thread: its value as last seen. Ids are
   * given to objects captured directly (arguments, results, write targets) and to their direct
   * members; an object met only deeper has id 0 and is snapshotted again wherever it appears.
   */
  REF: 11,
  /** varint id, class name string, varint own string-key count, u16 kept count, then kept × (key string, value) */
  OBJECT: 12,
  /** varint id, varint length, u16 kept count, then kept × value */
  ARRAY: 13,
  /** varint id, name string, message string, stack string */
  ERROR: 14,
  /** varint id, varint size, u16 kept count, kept × (key value, value) */
  MAP: 15,
  /** varint id, varint size, u16 kept count, kept × value */
  SET: 16,
  /** float64 time value */
  DATE: 17,
  /** varint id, class name string, varint byte length, varint kept bytes, bytes */
  TYPED_ARRAY: 18,
  /** varint id: a Proxy, never looked into */
  PROXY: 19,
  /** an accessor property: has getter, has setter flags byte; the accessor is never called */
  ACCESSOR: 20,
  /** a value cut by the depth limit: class name string */
  DEPTH_LIMIT: 21,
  /** a secret, removed at capture time */
  REDACTED: 22,
  /** no payload: the value was cut because its record ran out of room */
  TRUNCATED: 23,
  /** source string, flags string */
  REGEXP: 24,
  /** varint id, class name string: an object we deliberately do not look into (Promise, WeakMap, module namespace…) */
  OPAQUE: 25,
  /** varint count, then count × value (the argument list of a call) */
  LIST: 26,
  /**
   * class name string, label string, varint number: a Node host object (an HTTP request or
   * response, a socket, a server, a framework's request/reply) named instead of snapshotted. With
   * a label ('request', 'response') the number is its HTTP exchange id; without, a number of the
   * object's own, unique in its process (not an object id: host objects are never REF'd).
   */
  BRIEF: 27,
} as const;

export interface ValueLimits {
  /** Nesting depth of snapshots (top level is depth 0). */
  depth: number;
  /** Keys or items kept per object, array, map or set. */
  keys: number;
  /** Bytes kept per string. */
  stringBytes: number;
  /** Bytes one value record may take; the rest is cut with TRUNCATED. */
  recordBytes: number;
}

export const defaultLimits: ValueLimits = { depth: 2, keys: 24, stringBytes: 256, recordBytes: 8 * 1024 };

/** Keys whose values never reach the disk (matched case-insensitively, anywhere in the key). */
export const defaultRedactPattern = 'pass(word|wd)?|secret|token|authorization|cookie|api[-_]?key|private[-_]?key|credential|session';
