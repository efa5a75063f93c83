/**
 * The text the transformer inserts. Every piece is a single line, so original line numbers hold.
 * This is the contract with the runtime's probe object (src/format/probes.ts).
 */
import { INSTRUMENTED_MARK, PROBES_KEY, RESERVED_PREFIX } from '../format/probes.js';

/** Identifiers the transformer introduces; all start with `P`, which does not occur in the source. */
export interface Names {
  /** The probe object. */
  P: string;
  /** Exit-by-throw flag. */
  T: string;
  /** Return value. */
  R: string;
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
  return { P, T: P + 'T', R: P + 'R', E: P + 'E', I: P + 'I', A: P + 'A' };
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
  tail1: string[];
  tail2: string[][];
  tail3: string[];
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
    tail1: resumed.map((r) => `}catch(${E}){${T}=1;${r}${P}.t(`),
    tail2: resumed.map((r) => exit.map((x) => `,${E});throw ${E}}finally{${r}${x}`)),
    tail3: [')}', `,${R})}`],
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
 * Inserted at the start of a body (after its directives), or in place of a concise body's start:
 * `let T=0,R;C.cv(id,…);try{` (async functions and generators: `let T=0,R,A=0,I=C.cv(id,…);try{`;
 * concise bodies: `{…try{return R=(`).
 */
export function bodyHead(
  n: Names,
  id: string,
  values: boolean,
  token: boolean,
  params: string[],
  concise: boolean,
  semicolon: boolean,
): string {
  const p = piecesOf(n);
  const v = values ? 1 : 0;
  const lead = concise ? '{' : semicolon ? ';' : '';
  return lead + p.decl[token ? 1 : 0]![v]! + entryCall(p, id, values, params) + p.open[concise ? 1 : 0]![v]!;
}

/**
 * Inserted before a body's closing brace, or after a concise body; `decl` declares write temporaries:
 * `}catch(E){T=1;P.t(id,E);throw E}finally{T||P.xv(id,R)}` (concise bodies: `);…}`).
 */
export function bodyTail(n: Names, id: string, values: boolean, concise: boolean, decl = '', token = false): string {
  const p = piecesOf(n);
  const t = token ? 1 : 0;
  const handlers = p.tail1[t]! + id + p.tail2[t]![values ? 1 : 0]! + id + p.tail3[values ? 1 : 0]!;
  return concise ? `);${handlers}${decl}}` : decl ? handlers + decl : handlers;
}

/** The module prologue: how instrumented code reaches the probe object. */
export function prologue(n: Names, module: 'esm' | 'cjs', probesImport: string | undefined): string {
  if (module === 'esm' && probesImport !== undefined) {
    return `${INSTRUMENTED_MARK}import ${n.P} from ${JSON.stringify(probesImport)};`;
  }
  return `${INSTRUMENTED_MARK}const ${n.P} = globalThis[Symbol.for(${JSON.stringify(PROBES_KEY)})];`;
}
