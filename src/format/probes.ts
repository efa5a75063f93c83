/**
 * The contract between instrumented code and the runtime: the probe object that transformed
 * modules find at `globalThis[Symbol.for('execution-cinema')]`.
 *
 * Site ids are literals in transformed code: allocated when a module is transformed at load
 * time, or `base + localIndex` with `base` from `load` for ahead-of-time instrumented code.
 * Every probe is a plain function call with no closure or allocation on the caller's side.
 */

export const PROBES_KEY = 'execution-cinema';

/** Identifier prefix reserved for names the transformer introduces. */
export const RESERVED_PREFIX = '__ec';

/** Marker comment placed at the top of transformed code, so nothing is transformed twice. */
export const INSTRUMENTED_MARK = '/*execution-cinema:instrumented*/';

export interface Probes {
  /**
   * Registers a module's site table (JSON of ModuleSites) and returns its site base. `shifts`, when
   * given, returns the generated file's path and its column shifts (triples: original line,
   * original column, characters added there), read only when a stack is formatted.
   */
  load(siteCount: number, sitesJson: string, shifts?: () => [string, number[]]): number;
  /** Function entry without values. Returns a token (the event position) for RESUME. */
  c(site: number): number;
  /** Function entry with argument values; `n` is the argument count (at most 4 passed here). */
  cv(site: number, n: number, a?: unknown, b?: unknown, c?: unknown, d?: unknown): number;
  /** Function entry with more than four argument values. */
  cn(site: number, args: unknown[]): number;
  /** Normal exit without value. */
  x(site: number): void;
  /** Normal exit with the return value. */
  xv(site: number, value: unknown): void;
  /** Exit by exception (async frames, which catch and rethrow); the thrown value is captured only when the module records values. */
  t(site: number, error: unknown): void;
  /** Exit by exception of a frame that has no catch: the value is not known there (see `k`). */
  u(site: number): void;
  /** An instrumented catch clause received `error` (recorded at the values level). */
  k(site: number, error: unknown): void;
  /**
   * Suspension at an await/yield site; returns `value` unchanged. `pending` (with the frame's
   * `token`) is the site the frame is still marked suspended at, when an earlier await rejected
   * into the frame's own catch: that resumption is recorded first.
   */
  s<T>(site: number, value: T, pending?: number, token?: number): T;
  /** Resumption of the frame whose entry returned `token`; returns `value` unchanged. */
  w<T>(site: number, token: number, value: T): T;
  /** After `target[key] op= …`: records the property's own value now; returns `result`. */
  pw<T>(site: number, target: unknown, key: unknown, result: T): T;
  /**
   * After a write to a private field (no descriptor to read): records `result`, or for a postfix
   * `++`/`--` (`delta` ±1) the old value `result` moved by `delta`; returns `result`.
   */
  pp<T>(site: number, target: unknown, key: string, result: T, delta?: number): T;
  /** After `delete target[key]`; returns `result`. */
  pd<T>(site: number, target: unknown, key: unknown, result: T): T;
  /** After a write to a module-level, closure or global binding (named by the site): records `value`; returns it. */
  bw<T>(site: number, value: T): T;
  /** After `target.method(…)` with a mutating method name: records the new state when target is a Map, Set or array; returns `result`. */
  mu<T>(site: number, target: unknown, method: string, result: T): T;
}
