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

function entryCall(n: Names, id: string, values: boolean, params: string[]): string {
  const P = n.C ?? n.P;
  if (!values) return `${P}.c(${id})`;
  if (params.length === 0) return `${P}.cv(${id},0)`;
  if (params.length <= 4) return `${P}.cv(${id},${params.length},${params.join(',')})`;
  return `${P}.cn(${id},[${params.join(',')}])`;
}

// The texts below carry no optional whitespace: they are most of the output (4-5x the input),
// and every inserted character costs in rendering, the map writer and V8's parse.

/** Inserted at the start of a body (after its directives), or in place of a concise body's start. */
export function bodyHead(
  n: Names,
  id: string,
  values: boolean,
  token: boolean,
  params: string[],
  concise: boolean,
  semicolon: boolean,
): string {
  const call = entryCall(n, id, values, params);
  const vars = values ? `${n.T}=0,${n.R}` : `${n.T}=0`;
  const decl = token ? `let ${vars},${n.A}=0,${n.I}=${call};` : `let ${vars};${call};`;
  const open = concise ? (values ? `return ${n.R}=(` : 'return(') : '';
  return `${concise ? '{' : semicolon ? ';' : ''}${decl}try{${open}`;
}

/** Inserted before a body's closing brace, or after a concise body; `decl` declares write temporaries. */
export function bodyTail(n: Names, id: string, values: boolean, concise: boolean, decl = '', token = false): string {
  const exit = values ? `${n.P}.xv(${id},${n.R})` : `${n.P}.x(${id})`;
  const close = concise ? ');' : '';
  // An await that rejects (a generator resumed with throw()) resumes the frame by throwing: record
  // the resumption before the frame's throw or exit (the frame's own catch may have handled it).
  const resumed = token ? `${n.A}&&(${n.P}.w(${n.A},${n.I},void 0),${n.A}=0);` : '';
  const handlers = `}catch(${n.E}){${n.T}=1;${resumed}${n.P}.t(${id},${n.E});throw ${n.E}}finally{${resumed}${n.T}||${exit}}`;
  return `${close}${handlers}${decl}${concise ? '}' : ''}`;
}

/** The module prologue: how instrumented code reaches the probe object. */
export function prologue(n: Names, module: 'esm' | 'cjs', probesImport: string | undefined): string {
  if (module === 'esm' && probesImport !== undefined) {
    return `${INSTRUMENTED_MARK}import ${n.P} from ${JSON.stringify(probesImport)};`;
  }
  return `${INSTRUMENTED_MARK}const ${n.P} = globalThis[Symbol.for(${JSON.stringify(PROBES_KEY)})];`;
}
