/**
 * Static levels: full detail where bugs hide (code that changes state, handlers), values where
 * data crosses a boundary (exported API, I/O, branching code), entry/exit only for trivial code.
 * Each choice comes with its reasons, for `--explain` and for the plan file.
 */
import type { LevelName } from '../format/levels.js';
import type { FunctionInfo } from './analyze.js';

export interface Assigned {
  fn: FunctionInfo;
  level: LevelName;
  /** Lowest level the budget may demote it to (handlers keep their values). */
  floor: LevelName;
  why: string[];
}

/** Complexity from which a function is "branching code" worth its values. */
export const COMPLEX = 4;

export function assignStatic(fn: FunctionInfo): Assigned {
  const m = fn.metrics;
  const why: string[] = [];
  const facts: string[] = [];
  if (m.handler) facts.push('request handler');
  if (fn.exported) facts.push(fn.importedBy ? `exported, module imported by ${fn.importedBy}` : 'exported');
  if (m.io.length) facts.push(`I/O: ${m.io.slice(0, 4).join(', ')}`);
  if (m.loops) facts.push(`${m.loops} loop${m.loops > 1 ? 's' : ''}`);
  if (m.complexity >= COMPLEX) facts.push(`complexity ${m.complexity}`);
  let level: LevelName;
  if (fn.writes.length) {
    level = 'full';
    why.push(`writes state: ${fn.writes.slice(0, 4).join(', ')}${fn.writes.length > 4 ? ` (+${fn.writes.length - 4})` : ''}`);
  } else if (facts.length) {
    level = 'calls';
  } else if (fn.lines <= 3 && m.complexity === 1 && m.calls === 0) {
    level = 'boundary';
    why.push(`trivial: ${fn.lines} line${fn.lines > 1 ? 's' : ''}, no branches, no calls`);
  } else {
    level = 'calls';
    why.push(`${fn.lines} line${fn.lines > 1 ? 's' : ''}, complexity ${m.complexity}`);
  }
  why.push(...facts);
  return { fn, level, floor: m.handler ? 'calls' : 'off', why };
}
