import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, record, tempDir } from '../helpers.js';
import type { PlanDocument } from '../../src/format/levels.js';
import { REQUEST_LIGHT_NS, costOf, defaultCostModel } from '../../src/plan/cost.js';
import { Recording } from '../../src/recording/recording.js';
import { readProfile, profileKey } from '../../src/plan/profile.js';
import { planFixture } from './helpers.js';

const dir = planFixture('server');
const server = path.join(dir, 'server.mjs');

describe('the cost model for servers', () => {
  const rec = record(['node', server, '6'], ['--causality']);

  it('counts the requests a server received and the host objects in its values', () => {
    expect(rec.code, rec.stderr).toBe(0);
    const profile = readProfile(Recording.open(rec.dir));
    expect(profile.requests).toBe(6);
    const handle = profile.functions.get(profileKey(server, 'handle', 9))!;
    // (req, res) each call: named by brief tags, not counted by their bytes.
    expect(handle.calls).toBe(6);
    expect(handle.briefs).toBe(12);
    expect(handle.callBytes).toBeLessThan(6 * 2 * 16);
    const greeting = profile.functions.get(profileKey(server, 'greeting', 5))!;
    expect([greeting.calls, greeting.briefs]).toEqual([6, 0]);
  });

  it('a brief tag costs its fixed price at calls and full, nothing below', () => {
    const p = { calls: 10, writes: 0, callBytes: 100, briefs: 20, writeBytes: 0, children: 0 };
    const m = defaultCostModel;
    expect(costOf(m, p, 'calls', true)).toBe(10 * m.call.calls + 100 * m.byte + 20 * m.brief);
    expect(costOf(m, p, 'boundary', true)).toBe(10 * m.call.boundary);
  });

  it('cinema plan adds each request’s base cost to the estimate, at any level', () => {
    const r = cinema(['plan', dir, '--from', rec.dir, '--budget', '1', '--basis-ms', '1000', '--explain']);
    expect(r.code, r.stderr).toBe(0);
    const base = (6 * defaultCostModel.request) / 1e6;
    expect(r.stdout).toContain(`a server: 6 HTTP requests received × ${(defaultCostModel.request / 1000).toFixed(1)} µs base cost each = ${base.toFixed(1)} ms (`);
    expect(r.stdout).toContain(`with --causality-mode light it is about ${REQUEST_LIGHT_NS / 1000} µs per request`);
    const estimate = Number(/estimated overhead ([\d.]+)%/.exec(r.stdout)![1]);
    expect(estimate).toBeGreaterThanOrEqual((base / 1000) * 100 - 0.001);
  });

  it('when the base cost alone exceeds the budget, the functions are still fitted on their own, not all turned off', () => {
    const out = path.join(tempDir(), 'plan.json');
    // A budget of half the requests' base cost: out of reach, but far above what the two functions cost.
    const baseMs = (6 * defaultCostModel.request) / 1e6;
    const r = cinema(['plan', dir, '--from', rec.dir, '--budget', '1', '--basis-ms', String(baseMs * 50), '--out', out, '--explain']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("cannot meet the budget: the server's base cost alone exceeds it");
    const plan = JSON.parse(fs.readFileSync(out, 'utf8')) as PlanDocument;
    expect(plan.functions.find((f) => f.name === 'handle')!.level).toBe('calls');
    expect(r.stdout).toMatch(/greeting → (boundary|calls)/);
    expect(r.stdout).not.toContain('demoted from');
  });
});
