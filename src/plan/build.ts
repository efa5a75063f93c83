/**
 * `cinema plan`: static analysis, then (with a recording) the budget, into a plan document and the
 * explanation of every function's level.
 */
import path from 'node:path';
import type { PlanDocument, PlanFunction } from '../format/levels.js';
import { Recording } from '../recording/recording.js';
import { analyzeProject, type Analysis } from './analyze.js';
import { assignStatic } from './assign.js';
import { REQUEST_LIGHT_NS, applyBudget, defaultCostModel, type Budgeted, type CostModel } from './cost.js';
import { profileKey, readProfile } from './profile.js';
import { SCHEMA_ID } from '../format/plan-schema.js';

export interface PlanOptions {
  dir: string;
  /** An earlier recording of the program: call counts drive the budget. */
  from?: string;
  /** Highest estimated overhead, percent of the basis time. */
  budget?: number;
  /** `active`: time inside recorded functions (conservative); `wall`: first to last event. */
  basis?: 'active' | 'wall';
  /** The basis in µs, when known better than the recording can tell (a CPU profile, a benchmark). */
  basisUs?: number;
  exclude?: string[];
  model?: CostModel;
}

export interface PlanResult {
  plan: PlanDocument;
  analysis: Analysis;
  functions: Budgeted[];
  /** Lines of `--explain`. */
  notes: string[];
}

export function buildPlan(options: PlanOptions): PlanResult {
  const analysis = analyzeProject(options.dir, options.exclude);
  const assigned = analysis.functions.map(assignStatic);
  const notes: string[] = [`${analysis.files.length} files, ${analysis.functions.length} functions${analysis.skipped.length ? `, ${analysis.skipped.length} files not parsed` : ''}`];
  for (const s of analysis.skipped) notes.push(`not parsed: ${s.file}: ${s.reason}`);
  let functions: Budgeted[] = assigned.map((a) => ({ ...a, profile: null, costNs: 0 }));
  let compile: PlanDocument['compile'] = 'full';
  let budget: PlanDocument['budget'];
  if (options.from !== undefined) {
    const rec = Recording.open(options.from);
    const profile = readProfile(rec);
    const profiles = assigned.map((a) => profile.functions.get(profileKey(path.join(analysis.root, a.fn.file), a.fn.name, a.fn.line)) ?? null);
    const seen = profiles.filter((p) => p !== null && p.calls > 0).length;
    const basis = options.basisUs !== undefined ? 'given' : (options.basis ?? 'active');
    const basisUs = options.basisUs ?? (basis === 'wall' ? profile.durationUs : profile.activeUs);
    notes.push(`recording ${options.from}: ${profile.events} events, ${seen} of these functions called, basis: ${basis} time ${(basisUs / 1000).toFixed(1)} ms`);
    if (seen === 0) notes.push('no function of this folder was called in the recording: was it made from another folder or an older version?');
    const model = options.model ?? defaultCostModel;
    const result = applyBudget(assigned, profiles, options.budget ?? 100, basisUs, model, profile.requests);
    if (profile.requests > 0) {
      notes.push(`a server: ${profile.requests} HTTP requests received × ${(model.request / 1000).toFixed(1)} µs base cost each = ${(result.fixedNs / 1e6).toFixed(1)} ms (${round(result.estimatedPercent - result.functionsPercent)}%), at any level; the functions are fitted to the budget on their own: ${round(result.functionsPercent)}%`);
      if (model.request > REQUEST_LIGHT_NS) notes.push(`that base cost is full causality's (cinema record --causality); with --causality-mode light it is about ${REQUEST_LIGHT_NS / 1000} µs per request`);
    }
    functions = result.functions;
    compile = result.compile;
    budget = { percent: options.budget ?? 100, estimatedPercent: round(result.estimatedPercent), source: path.resolve(options.from) };
    const why = !result.functionsFit ? ': cannot meet the budget without going below the floors (handlers keep their values)' : result.met ? '' : ": cannot meet the budget: the server's base cost alone exceeds it";
    notes.push(`estimated overhead ${round(result.estimatedPercent)}% of ${basis} time (budget ${options.budget ?? 'none'}%)${why}`);
    if (compile === 'plan') notes.push('compile: plan — every function compiled at its level (off functions carry no probes; levels can only go down at run time)');
  } else if (options.budget !== undefined) {
    notes.push('--budget needs --from REC (call counts from a recording); levels are static only');
  }
  const plan: PlanDocument = {
    $schema: SCHEMA_ID,
    version: 1,
    root: path.resolve(options.dir),
    default: 'calls',
    compile,
    rules: [],
    functions: functions.map(entry),
    ...(budget ? { budget } : {}),
  };
  return { plan, analysis, functions, notes };
}

export function entry(b: Budgeted): PlanFunction {
  return { file: b.fn.file, name: b.fn.name, ...(b.fn.ambiguous ? { line: b.fn.line } : {}), level: b.level, why: b.why };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** One line per function: where, level, why (and its calls and estimated cost with a recording). */
export function explainLines(result: PlanResult): string[] {
  const lines = result.functions.map((b) => {
    const p = b.profile;
    const usage = p ? ` [${p.calls} calls${p.writes ? `, ${p.writes} writes` : ''}, ~${(b.costNs / 1e6).toFixed(2)} ms]` : '';
    return `${b.fn.file}:${b.fn.line} ${b.fn.name} → ${b.level}: ${b.why.join('; ')}${usage}`;
  });
  return [...result.notes, ...lines];
}
