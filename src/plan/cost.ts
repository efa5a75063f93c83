/**
 * The cost model: what one call or state write costs the recorded program at each level, and the
 * budget pass that demotes hot leaf functions until the estimate fits. Costs are per event, in ns,
 * calibrated with bench/plan-cost.mjs on the development machine (see docs/adr and BENCHMARKS.md);
 * `--explain` prints the numbers behind each decision.
 */
import { levelNames, type LevelName } from '../format/levels.js';
import type { Assigned } from './assign.js';
import type { FunctionProfile } from './profile.js';

export interface CostModel {
  /** Per call (entry + exit) at each level when the function is compiled with every probe. */
  call: Record<LevelName, number>;
  /** Per state write at `full`; below `full` a compiled write probe costs `writeCheck`. */
  write: number;
  writeCheck: number;
  /** Per byte of value record (snapshotting and draining it), on top of the per-event costs. */
  byte: number;
}

/**
 * ns added per call / write, the mean of two runs of `node bench/plan-cost.mjs --rounds 4` (Node 20,
 * the shared 2-core machine, end to end: probes, try/finally, drain; BENCHMARKS.md). The runs
 * spread by up to 2x: the model is an estimate, not a promise.
 */
export const defaultCostModel: CostModel = {
  call: { off: 4, boundary: 95, calls: 305, full: 410 },
  write: 640,
  writeCheck: 5,
  byte: 45,
};

export interface Budgeted extends Assigned {
  profile: FunctionProfile | null;
  /** Estimated cost in ns at the final level. */
  costNs: number;
}

/** Cost of one function at a level; with `compile: 'plan'` an `off` function has no probes at all. */
export function costOf(model: CostModel, p: FunctionProfile | null, level: LevelName, compileAll: boolean): number {
  if (p === null) return 0;
  if (level === 'off' && !compileAll) return 0;
  const writes = level === 'full' ? model.write : compileAll ? model.writeCheck : 0;
  const bytes = (level === 'calls' || level === 'full' ? p.callBytes : 0) + (level === 'full' ? p.writeBytes : 0);
  return p.calls * model.call[level] + p.writes * writes + bytes * model.byte;
}

export interface BudgetResult {
  functions: Budgeted[];
  compile: 'full' | 'plan';
  estimatedPercent: number;
  met: boolean;
  basisUs: number;
}

/**
 * Demotes one level at a time, always the function whose demotion saves the most, leaves before
 * callers of other recorded functions, never below a function's floor. If every function compiled
 * with all probes cannot fit, compiles each at its level (`off` functions then cost nothing).
 */
export function applyBudget(assigned: Assigned[], profiles: (FunctionProfile | null)[], percent: number, basisUs: number, model: CostModel): BudgetResult {
  const budgetNs = (percent / 100) * basisUs * 1000;
  for (const compileAll of [true, false]) {
    const levels = assigned.map((a) => a.level);
    let cost = levels.reduce((sum, l, i) => sum + costOf(model, profiles[i]!, l, compileAll), 0);
    const floors = assigned.map((a) => levelNames.indexOf(a.floor));
    while (cost > budgetNs) {
      let best = -1;
      let bestKey = -Infinity;
      for (let i = 0; i < levels.length; i++) {
        const p = profiles[i];
        const at = levelNames.indexOf(levels[i]!);
        if (!p || p.calls === 0 || at <= floors[i]!) continue;
        const saving = costOf(model, p, levels[i]!, compileAll) - costOf(model, p, levelNames[at - 1]!, compileAll);
        // Leaves first: a demoted caller would hide the context its callees' events need.
        const key = saving + (p.children === 0 ? 1e15 : 0);
        if (saving > 0 && key > bestKey) {
          bestKey = key;
          best = i;
        }
      }
      if (best < 0) break;
      const p = profiles[best]!;
      const from = levels[best]!;
      levels[best] = levelNames[levelNames.indexOf(from) - 1]!;
      cost -= costOf(model, p, from, compileAll) - costOf(model, p, levels[best]!, compileAll);
    }
    const met = cost <= budgetNs;
    if (met || !compileAll) {
      const functions = assigned.map((a, i): Budgeted => {
        const p = profiles[i]!;
        const why = [...a.why];
        if (levels[i] !== a.level) why.push(`demoted from ${a.level} for the budget: ${p.calls} calls${p.children === 0 ? ', a leaf' : ''}, saves ${fmtMs(costOf(model, p, a.level, compileAll) - costOf(model, p, levels[i]!, compileAll))}`);
        else if (p && a.floor !== 'off' && levelNames.indexOf(a.level) <= levelNames.indexOf(a.floor) && p.calls > 0) why.push(`kept at ${a.level}: not demoted below ${a.floor}`);
        return { ...a, level: levels[i]!, why, profile: p, costNs: costOf(model, p, levels[i]!, compileAll) };
      });
      return { functions, compile: compileAll ? 'full' : 'plan', estimatedPercent: basisUs > 0 ? (cost / 1000 / basisUs) * 100 : 0, met, basisUs };
    }
  }
  throw new Error('unreachable');
}

function fmtMs(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${(ns / 1e3).toFixed(1)} µs`;
}
