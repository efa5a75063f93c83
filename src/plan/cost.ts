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
  /** Per host object written as a brief tag ("request #7"), whatever its size (src/plan/value-kinds.ts). */
  brief: number;
  /**
   * Per HTTP request a server receives, at any plan: recording the exchange's events, its async
   * context, the recorder's threads. The model without it put a server's cost ~30x too low.
   */
  request: number;
}

/**
 * ns added per call / write, the mean of two runs of `node bench/plan-cost.mjs --rounds 4` (Node 20,
 * the shared 2-core machine, end to end: probes, try/finally, drain; BENCHMARKS.md). The runs
 * spread by up to 2x: the model is an estimate, not a promise.
 */
/**
 * A brief tag: ~0.25–0.5 µs per (req, res) pair written again and again, 1–5 µs for a first
 * sighting under load (bench/host-values.mjs; a full snapshot of the pair: 24–36 µs, ~1 KB).
 */
const BRIEF_NS = 300;
/**
 * Server CPU per request that recording an HTTP exchange costs with no function recorded, with
 * full causality (async_hooks events, the two HTTP phase values): `--level off --causality` minus
 * plain in bench/plan.mjs on a quiet machine, 69 µs on Node 24 and 53 µs on Node 20 (sessions 5
 * and 6; it was 90–120 µs before ADR 0022). Light causality costs 28–34 µs (REQUEST_LIGHT_NS).
 */
const REQUEST_NS = 70_000;
/** The same with `--causality-mode light` (one context per request, no async_hooks). */
export const REQUEST_LIGHT_NS = 30_000;

export const defaultCostModel: CostModel = {
  call: { off: 4, boundary: 95, calls: 305, full: 410 },
  write: 640,
  writeCheck: 5,
  byte: 45,
  brief: BRIEF_NS,
  request: REQUEST_NS,
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
  const values = level === 'calls' || level === 'full';
  const bytes = (values ? p.callBytes : 0) + (level === 'full' ? p.writeBytes : 0);
  return p.calls * model.call[level] + p.writes * writes + bytes * model.byte + (values ? p.briefs * model.brief : 0);
}

export interface BudgetResult {
  functions: Budgeted[];
  compile: 'full' | 'plan';
  /** Functions and the requests' base cost. */
  estimatedPercent: number;
  /** The functions' part alone, which the budget pass fits. */
  functionsPercent: number;
  functionsFit: boolean;
  met: boolean;
  basisUs: number;
  /** The requests' base cost, included in the estimate. */
  fixedNs: number;
}

/**
 * Demotes one level at a time, always the function whose demotion saves the most, leaves before
 * callers of other recorded functions, never below a function's floor. If every function compiled
 * with all probes cannot fit, compiles each at its level (`off` functions then cost nothing).
 */
export function applyBudget(assigned: Assigned[], profiles: (FunctionProfile | null)[], percent: number, basisUs: number, model: CostModel, requests = 0): BudgetResult {
  const budgetNs = (percent / 100) * basisUs * 1000;
  // What no level can remove: the base cost of each request a server received. It is in the
  // estimate, but the functions are fitted to the budget on their own: demoting every function
  // because the server's floor alone exceeds the budget would lose the record and save nothing.
  const fixedNs = requests * model.request;
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
    const functionsFit = cost <= budgetNs;
    if (functionsFit || !compileAll) {
      const met = functionsFit && cost + fixedNs <= budgetNs;
      const functions = assigned.map((a, i): Budgeted => {
        const p = profiles[i]!;
        const why = [...a.why];
        if (levels[i] !== a.level) why.push(`demoted from ${a.level} for the budget: ${p.calls} calls${p.children === 0 ? ', a leaf' : ''}, saves ${fmtMs(costOf(model, p, a.level, compileAll) - costOf(model, p, levels[i]!, compileAll))}`);
        else if (p && a.floor !== 'off' && levelNames.indexOf(a.level) <= levelNames.indexOf(a.floor) && p.calls > 0) why.push(`kept at ${a.level}: not demoted below ${a.floor}`);
        return { ...a, level: levels[i]!, why, profile: p, costNs: costOf(model, p, levels[i]!, compileAll) };
      });
      const percent = (ns: number) => (basisUs > 0 ? (ns / 1000 / basisUs) * 100 : 0);
      return { functions, compile: compileAll ? 'full' : 'plan', estimatedPercent: percent(cost + fixedNs), functionsPercent: percent(cost), functionsFit, met, basisUs, fixedNs };
    }
  }
  throw new Error('unreachable');
}

function fmtMs(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${(ns / 1e3).toFixed(1)} µs`;
}
