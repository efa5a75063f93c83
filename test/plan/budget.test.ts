import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, record, tempDir } from '../helpers.js';
import type { LevelName, PlanDocument } from '../../src/format/levels.js';
import { defaultCostModel } from '../../src/plan/cost.js';
import { events, shop } from './helpers.js';

const main = path.join(shop, 'main.js');
const BASIS_MS = 500;
const BUDGET = 0.5;

/** The cost model applied to what a recording holds: per function, the level its events show. */
function recordedCostNs(evs: ReturnType<typeof events>, plan: PlanDocument): number {
  let ns = 0;
  const names = new Set(plan.functions.map((f) => f.name));
  for (const name of names) {
    const calls = evs.filter((e) => e.name === name && e.kind === 'call');
    const writes = evs.filter((e) => e.name === name && (e.kind === 'write' || e.kind === 'mutate' || e.kind === 'delete')).length;
    const level: LevelName = writes > 0 ? 'full' : calls.some((e) => e.value !== undefined) ? 'calls' : calls.length ? 'boundary' : 'off';
    ns += calls.length * defaultCostModel.call[level] + writes * defaultCostModel.write;
  }
  return ns;
}

describe('cinema plan --from --budget', () => {
  it('demotes hot leaves until the estimate fits, and the recorded workload stays within it', () => {
    const full = record(['node', main, '200']);
    expect(full.code).toBe(0);
    const out = path.join(tempDir(), 'plan.json');
    const r = cinema(['plan', shop, '--from', full.dir, '--budget', String(BUDGET), '--basis-ms', String(BASIS_MS), '--out', out, '--explain']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(fs.readFileSync(out, 'utf8')) as PlanDocument;
    expect(plan.budget!.percent).toBe(BUDGET);
    expect(plan.budget!.estimatedPercent).toBeLessThanOrEqual(BUDGET);
    const fn = (name: string) => plan.functions.find((f) => f.name === name)!;
    // round: 4,400 calls and a leaf, the first to go; checkout: 400 calls and a caller, kept.
    expect(['boundary', 'off']).toContain(fn('round').level);
    expect(fn('round').why!.at(-1)).toMatch(/^demoted from calls for the budget: 4400 calls, a leaf, saves /);
    expect(fn('checkout').level).toBe('calls');
    expect(r.stdout).toMatch(/estimated overhead [\d.]+% of given time \(budget 0\.5%\)/);

    // The plan applied: the cost model over what was really recorded fits the same budget.
    const planned = record(['node', main, '200'], ['--plan', out]);
    expect(planned.code).toBe(0);
    const before = recordedCostNs(events(full.dir), plan);
    const after = recordedCostNs(events(planned.dir), plan);
    expect(before).toBeGreaterThan((BUDGET / 100) * BASIS_MS * 1e6);
    expect(after).toBeLessThanOrEqual((BUDGET / 100) * BASIS_MS * 1e6);
    // Everything still recorded at least at entry/exit: no function went dark for this budget.
    expect(events(planned.dir).filter((e) => e.name === 'round' && e.kind === 'call').length).toBe(fn('round').level === 'off' ? 0 : 4400);
  });

  it('says when the budget cannot be met above the floors', () => {
    const full = record(['node', main, '50']);
    const r = cinema(['plan', shop, '--from', full.dir, '--budget', '0.0001', '--basis-ms', '1', '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cannot meet the budget');
    expect(r.stdout).toContain('compile: plan');
  });
});
