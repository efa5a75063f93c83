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

/**
 * The fixed parts of the texts below for one set of names, joined once per transform: built per
 * function from a dozen pieces, they were a quarter of the walk's allocations.
 */
interface Pieces {
  /** Entry call up to the id, by values (`P.c(`, `P.cv(`) and for more than 4 parameters (`P.cn(`). */
  c: string;
  cv: string;
  cn: string;
  /** `let …;` before the entry call, by [token][values]. */
  decl: string[][];
  /** After the entry call, by [concise][values]: `;try{`, `;try{return R=(`. */
  open: string[][];
  /** A tail up to the first id, by [token]; between the ids, by [token][values]; after the last id, by [values]. */
  /** Recording a pending resumption (an await or yield that threw into the frame), by [token]. */
  resumed: string[];
  tail1: string[];
  tail2: string[][];
  tail3: string[];
  /** Frames that leave without a catch: `let …` around the entry call by [token], `try{` by [concise]. */
  fdecl1: string[];
  fdecl2: string[];
  fopen: string[];
  /** Their tail up to the id by [concise][token], between the ids and after the last by [values]. */
  ftail1: string[][];
  ftail2: string[];
  ftail3: string[];
}

const PIECES = new WeakMap<Names, Pieces>();

function piecesOf(n: Names): Pieces {
  let p = PIECES.get(n);
  if (p !== undefined) return p;
  const { P, T, R, E, I, A } = n;
  const C = n.C ?? P;
  const vars = [`${T}=0`, `${T}=0,${R}`];
  // An await that rejects (a generator resumed with throw()) resumes the frame by throwing: record
  // the resumption before the frame's throw or exit (the frame's own catch may have handled it).
  const resumed = ['', `${A}&&(${P}.w(${A},${I},void 0),${A}=0);`];
  const exit = [`${T}||${P}.x(`, `${T}||${P}.xv(`];
  p = {
    c: `${C}.c(`,
    cv: `${C}.cv(`,
    cn: `${C}.cn(`,
    decl: [vars.map((v) => `let ${v};`), vars.map((v) => `let ${v},${A}=0,${I}=`)],
    open: [
      [';try{', ';try{'],
      ['return(', `return ${R}=(`].map((o) => `;try{${o}`),
    ],
    resumed,
    tail1: resumed.map((r) => `}catch(${E}){${T}=1;${r}${P}.t(`),
    tail2: resumed.map((r) => exit.map((x) => `,${E});throw ${E}}finally{${r}${x}`)),
    tail3: [')}', `,${R})}`],
    // `P` read after the entry call: with run-time ids that call is what initialises it.
    fdecl1: [`let ${R}=(`, `let ${A}=0,${I}=`],
    fdecl2: [`,${P});`, `,${R}=${P};`],
    fopen: ['try{', `try{return ${R}=(`],
    // A generator left at a yield (return() or throw() from its consumer) cannot tell which: it is
    // recorded as resumed and returning, since for-of's early exit calls return().
    ftail1: [`;${R}=void 0`, ');'].map((fall) => ['', `${A}&&(${P}.w(${A},${I},void 0),${A}=0,${R}===${P}&&(${R}=void 0));`].map((res) => `${fall}}finally{${res}${R}===${P}?${P}.u(`)),
    ftail2: [`):${P}.x(`, `):${P}.xv(`],
    ftail3: [')}', `,${R})}`],
  };
  PIECES.set(n, p);
  return p;
}

function entryCall(p: Pieces, id: string, values: boolean, params: string[]): string {
  if (!values) return `${p.c}${id})`;
  if (params.length === 0) return `${p.cv}${id},0)`;
  if (params.length <= 4) return `${p.cv}${id},${params.length},${params.join(',')})`;
  return `${p.cn}${id},[${params.join(',')}])`;
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
  const p = piecesOf(n);
  const lead = concise ? '{' : semicolon ? ';' : '';
  const call = entryCall(p, id, values, params);
  const t = token ? 1 : 0;
  if (exit === 'finally') return lead + p.fdecl1[t]! + call + p.fdecl2[t]! + p.fopen[concise ? 1 : 0]!;
  const v = values ? 1 : 0;
  return lead + p.decl[t]![v]! + call + p.open[concise ? 1 : 0]![v]!;
}

/**
 * Inserted before a body's closing brace, or after a concise body; `decl` declares write temporaries:
 * `}catch(E){T=1;P.t(id,E);throw E}finally{T||P.xv(id,R)}` (concise bodies: `);…}`), or without a
 * catch `;R=void 0}finally{R===P?P.u(id):P.xv(id,R)}` (concise bodies: `);}finally{…}}`).
 */
export function bodyTail(n: Names, id: string, values: boolean, concise: boolean, decl = '', token = false, exit: Exit = 'catch'): string {
  const p = piecesOf(n);
  const t = token ? 1 : 0;
  const v = values ? 1 : 0;
  if (exit === 'finally') {
    const tail = p.ftail1[concise ? 1 : 0]![t]! + id + p.ftail2[v]! + id + p.ftail3[v]!;
    return concise ? tail + decl + '}' : decl ? tail + decl : tail;
  }
  const handlers = p.tail1[t]! + id + p.tail2[t]![v]! + id + p.tail3[v]!;
  return concise ? `);${handlers}${decl}}` : decl ? handlers + decl : handlers;
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
  return `${piecesOf(n).resumed[token ? 1 : 0]}${n.P}.k(${id},${binding});`;
}

/** The module prologue: how instrumented code reaches the probe object. */
export function prologue(n: Names, module: 'esm' | 'cjs', probesImport: string | undefined): string {
  if (module === 'esm' && probesImport !== undefined) {
    return `${INSTRUMENTED_MARK}import ${n.P} from ${JSON.stringify(probesImport)};`;
  }
  return `${INSTRUMENTED_MARK}const ${n.P} = globalThis[Symbol.for(${JSON.stringify(PROBES_KEY)})];`;
}
