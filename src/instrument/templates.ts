/**
 * The text the transformer inserts. Every piece is a single line, so original line numbers hold.
 * This is the contract with the runtime's probe object (src/format/probes.ts).
 */
import { INSTRUMENTED_MARK, PROBES_KEY, RESERVED_PREFIX } from '../format/probes.js';

/** Identifiers the transformer introduces; all start with `P`, which does not occur in the source. */
export interface Names {
  /** The probe object. */
  P: string;
  /** Exit-by-throw flag (async frames). */
  T: string;
  /** Return value; in a frame that leaves without a catch, `P` until a normal exit sets it (a throw leaves it so). */
  R: string;
  /** The frame's `R` saved at the start of one of its `finally` blocks (see `finallyHead`). */
  F: string;
  /** Caught error. */
  E: string;
  /** Entry token of an async function or generator. */
  I: string;
  /** Async functions and generators: the await/yield site they are suspended at (0: none). */
  A: string;
  /** The receiver of entry probes when it is not `P` (run-time ids: `(P||L())`, see runtime-base.ts). */
  C?: string;
}

/** Picks a prefix that no identifier (or any other text) in `code` starts with. */
export function pickNames(code: string): Names {
  let P = RESERVED_PREFIX;
  for (let n = 1; code.includes(P); n++) P = RESERVED_PREFIX + n;
  return { P, T: P + 'T', R: P + 'R', F: P + 'F', E: P + 'E', I: P + 'I', A: P + 'A' };
}

function entryCall(n: Names, id: string, values: boolean, params: string[]): string {
  const P = n.C ?? n.P;
  if (!values) return `${P}.c(${id})`;
  if (params.length === 0) return `${P}.cv(${id},0)`;
  if (params.length <= 4) return `${P}.cv(${id},${params.length},${params.join(',')})`;
  return `${P}.cn(${id},[${params.join(',')}])`;
}

// The texts below carry no optional whitespace: they are most of the output (4-5x the input),
// and every inserted character costs in rendering, the map writer and V8's parse.

/**
 * How a frame leaves. Async functions catch and rethrow (`catch (E) { P.t(id, E); throw E }`): their
 * errors reach Node through a promise, which takes its header from the error's call sites. Every
 * other frame has no catch (docs/adr/0020-leave-without-catch.md): V8 makes a new message (the
 * header Node prints for an uncaught error) at every JavaScript `throw`, but keeps it when an
 * exception leaves through a `finally`. `R` starts as `P`, which no program returns; each normal
 * exit sets it (returns are rewritten `return R=(…)`, falling off the end runs `R=void 0`), so the
 * `finally` tells a throw (`P.u`, no value: an instrumented catch records it with `P.k`) from a return.
 */
export type Exit = 'catch' | 'finally';

/** Inserted at the start of a body (after its directives), or in place of a concise body's start. */
export function bodyHead(
  n: Names,
  id: string,
  values: boolean,
  token: boolean,
  params: string[],
  concise: boolean,
  semicolon: boolean,
  exit: Exit = 'catch',
): string {
  const call = entryCall(n, id, values, params);
  const lead = concise ? '{' : semicolon ? ';' : '';
  if (exit === 'finally') {
    // `P` read after the entry call: with run-time ids that call is what initialises it.
    const decl = token ? `let ${n.A}=0,${n.I}=${call},${n.R}=${n.P};` : `let ${n.R}=(${call},${n.P});`;
    return `${lead}${decl}try{${concise ? `return ${n.R}=(` : ''}`;
  }
  const vars = values ? `${n.T}=0,${n.R}` : `${n.T}=0`;
  const decl = token ? `let ${vars},${n.A}=0,${n.I}=${call};` : `let ${vars};${call};`;
  const open = concise ? (values ? `return ${n.R}=(` : 'return(') : '';
  return `${lead}${decl}try{${open}`;
}

/** Inserted before a body's closing brace, or after a concise body; `decl` declares write temporaries. */
export function bodyTail(n: Names, id: string, values: boolean, concise: boolean, decl = '', token = false, exit: Exit = 'catch'): string {
  const normal = values ? `${n.P}.xv(${id},${n.R})` : `${n.P}.x(${id})`;
  if (exit === 'finally') {
    const fall = concise ? ');' : `;${n.R}=void 0`;
    // A generator left at a yield (return() or throw() from its consumer) cannot tell which: it is
    // recorded as resumed and returning, since for-of's early exit calls return().
    const resumed = token ? `${n.A}&&(${n.P}.w(${n.A},${n.I},void 0),${n.A}=0,${n.R}===${n.P}&&(${n.R}=void 0));` : '';
    return `${fall}}finally{${resumed}${n.R}===${n.P}?${n.P}.u(${id}):${normal}}${decl}${concise ? '}' : ''}`;
  }
  const close = concise ? ');' : '';
  // An await that rejects (a generator resumed with throw()) resumes the frame by throwing: record
  // the resumption before the frame's throw or exit (the frame's own catch may have handled it).
  const resumed = token ? `${n.A}&&(${n.P}.w(${n.A},${n.I},void 0),${n.A}=0);` : '';
  const handlers = `}catch(${n.E}){${n.T}=1;${resumed}${n.P}.t(${id},${n.E});throw ${n.E}}finally{${resumed}${n.T}||${normal}}`;
  return `${close}${handlers}${decl}${concise ? '}' : ''}`;
}

/**
 * A program's own `finally` in a frame that leaves without a catch: it may throw over a pending
 * return (or a `break` may cancel one), so `R` goes back to `P` while it runs and is restored when
 * it completes.
 */
export function finallyHead(n: Names): string {
  return `let ${n.F}=${n.R};${n.R}=${n.P};`;
}

export function finallyTail(n: Names): string {
  return `;${n.R}=${n.F}`;
}

/**
 * At the start of a catch body: records the caught value (`E` when the clause had no binding). In
 * an async function or generator whose await or yield threw into it, the resumption comes first,
 * so the catch belongs to the running frame.
 */
export function catchHead(n: Names, id: string, binding: string, token: boolean): string {
  const resumed = token ? `${n.A}&&(${n.P}.w(${n.A},${n.I},void 0),${n.A}=0);` : '';
  return `${resumed}${n.P}.k(${id},${binding});`;
}

/** The module prologue: how instrumented code reaches the probe object. */
export function prologue(n: Names, module: 'esm' | 'cjs', probesImport: string | undefined): string {
  if (module === 'esm' && probesImport !== undefined) {
    return `${INSTRUMENTED_MARK}import ${n.P} from ${JSON.stringify(probesImport)};`;
  }
  return `${INSTRUMENTED_MARK}const ${n.P} = globalThis[Symbol.for(${JSON.stringify(PROBES_KEY)})];`;
}
