/**
 * Site ids allocated at run time (`siteBase: 'runtime'`), for code instrumented ahead of time, in
 * bundles and in the transform cache, where no id can be known when the text is made.
 *
 * The module's prologue declares the probe object `P` and the base `B` as `var`s and a hoisted
 * initialiser `L` that takes the recorder's probe object (or a no-op one when the program is not
 * being recorded), registers the module's site table through `load` and stores the base it
 * returns. Site ids are written `B+k`. Function entries call `(P||L()).c(B+k)`: a hoisted function
 * called before its module's body ran (ES module cycles, scope-hoisted bundles) initialises the
 * module itself instead of failing on an undefined `P`. Every other probe runs after an entry or
 * the prologue.
 */
import { INSTRUMENTED_MARK, PROBES_KEY } from '../format/probes.js';
import type { ModuleSites } from '../format/sites.js';
import type { Names } from './templates.js';

/**
 * The probe object used when nothing records: every probe returns what instrumented code expects
 * (a token from entries, the passed-through value from the others). Keep in step with the Probes
 * interface in src/format/probes.ts (test/instrument/runtime-base.test.ts checks it).
 */
export const NOOP_PROBES: Record<string, string> = {
  load: '() => 0',
  c: '() => 0',
  cv: '() => 0',
  cn: '() => 0',
  x: '() => {}',
  xv: '() => {}',
  t: '() => {}',
  u: '() => {}',
  k: '() => {}',
  s: '(i, v) => v',
  w: '(i, t, v) => v',
  pw: '(i, o, k, r) => r',
  pp: '(i, o, k, r) => r',
  pd: '(i, o, k, r) => r',
  bw: '(i, v) => v',
  mu: '(i, o, m, r) => r',
};

const noopSource = `{ ${Object.entries(NOOP_PROBES)
  .map(([k, v]) => `${k}: ${v}`)
  .join(', ')} }`;

/** Names of the base variable and the initialiser, next to the template names. */
export function baseName(n: Names): string {
  return `${n.P}B`;
}

function initName(n: Names): string {
  return `${n.P}L`;
}

/** The hoisted function that returns the module's column shifts (see `columnShifts`). */
function shiftsName(n: Names): string {
  return `${n.P}S`;
}

/**
 * Appended on a line of its own after the module's last line: a hoisted function returning the
 * generated file's path and its column shifts (Edits.render), which `load` receives uncalled and
 * the runtime reads only when it formats a stack (src/runtime/stack-columns.ts). At the end, its
 * text moves no original line or column, and the prologue that names it keeps a fixed length.
 */
export function columnShifts(n: Names, file: string, shifts: number[]): string {
  return `\nfunction ${shiftsName(n)}() { return [${JSON.stringify(file)}, [${shifts.join(',')}]]; }`;
}

/**
 * The walk's names and id prefix for run-time ids: site k is `B+k`, entry probes go through
 * `(P||L())` (written straight away: rewriting placeholders afterwards cost a tenth of a transform).
 */
export function runtimeIds(n: Names): { names: Names; prefix: string } {
  return { names: { ...n, C: `(${n.P}||${initName(n)}())` }, prefix: `${baseName(n)}+` };
}

/** The prologue of run-time-base code: one line, hoisting-safe, falls back to no-op probes. */
export function runtimePrologue(n: Names, sites: ModuleSites): string {
  const P = n.P;
  // A string literal of the JSON: only `\` and the quote need escaping (JSON has no raw line
  // breaks; U+2028/9 are allowed in literals), far cheaper than stringifying the JSON again; string
  // replaceAll, not a regular expression: the JSON rarely has either, and then it is a search.
  const json = `'${JSON.stringify(sites).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  return (
    `${INSTRUMENTED_MARK}var ${P}, ${baseName(n)}; ` +
    `function ${initName(n)}() { ${P} = globalThis[Symbol.for(${JSON.stringify(PROBES_KEY)})] || ${noopSource}; ` +
    `${baseName(n)} = ${P}.load(${sites.sites.length}, ${json}, ${shiftsName(n)}); return ${P}; } ${P} || ${initName(n)}();`
  );
}
