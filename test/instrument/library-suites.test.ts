/**
 * Real test suites of popular pure-JS libraries (the tape suites their npm packages publish),
 * run plain and fully instrumented under `cinema record` (the library, its tests and tape itself):
 * the same tests must pass and fail.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, fixture, node, stats, tempDir } from '../helpers.js';

const runner = fixture('suites/run-tape.cjs');
const SUITES: { pkg: string; skip?: string[] }[] = [
  { pkg: 'qs' },
  { pkg: 'minimist' },
  { pkg: 'deep-equal' },
  // ses-compat.js needs the `ses` package (SES lockdown), not installed.
  { pkg: 'object.assign', skip: ['ses-compat.js'] },
];

function totals(out: string): { tests: number; pass: number; fail: number } {
  const n = (k: string) => Number(new RegExp(`^# ${k}\\s+(\\d+)$`, 'm').exec(out)?.[1] ?? 0);
  return { tests: n('tests'), pass: n('pass'), fail: n('fail') };
}

function check(s: { pkg: string; skip?: string[] }, options: string[]): void {
  const args = [runner, s.pkg, ...(s.skip ?? [])];
  const plain = node(args);
  const want = totals(plain.stdout);
  expect(want.tests).toBeGreaterThan(100);
  expect(want.fail).toBe(0);
  const dir = path.join(tempDir(), 'rec');
  const r = cinema(['record', '-q', '--out', dir, ...options, '--exclude', '**/never-excluded/**', '--', process.execPath, ...args], { timeout: 120_000 });
  expect(totals(r.stdout)).toEqual(want);
  expect(r.code).toBe(plain.code);
  const st = stats(dir);
  // Node 20.19+ hands ES modules loaded by require() to Module.prototype._compile, which parses them as CommonJS (a known bug: they run uninstrumented).
  expect((st.processes[0]!.skippedFiles as { file: string }[]).filter((f) => !f.file.endsWith('.mjs'))).toEqual([]);
  expect(st.functions).toBeGreaterThan(50);
}

describe('library test suites, fully instrumented', () => {
  for (const s of SUITES) {
    it(`${s.pkg} --no-values: same pass/fail counts as plain`, () => check(s, ['--no-values']), 150_000);
    it(`${s.pkg} with values and state writes: same pass/fail counts as plain`, () => check(s, []), 150_000);
  }
});
