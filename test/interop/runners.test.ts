import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, fixture, root, tempDir } from '../helpers.js';

interface Ev { kind: string; name?: string; value?: unknown }
const runners = fixture('runners');
const failing = (out: string, slug: string) => path.join(out, slug);

/** Runs a suite with one known failure (average([]) is NaN) under --failures-only and checks what was kept. */
function failuresOnly(command: string[], testName: string, slug: string) {
  const out = tempDir('cinema-runner-');
  const r = cinema(['record', '--failures-only', '--out', out, '--', ...command], { timeout: 120_000 });
  expect(r.code).toBe(1); // the runner's own exit status
  // Asking for the dump leaves nothing behind (a SIGUSR2 would make Node 24's test processes write diagnostic reports).
  expect(fs.readdirSync(root).filter((f) => /^report\..*\.json$/.test(f))).toEqual([]);
  const dir = failing(out, slug);
  // One line in the runner's failure output opens the test's recording; cinema sums up on stderr.
  expect(r.stdout + r.stderr).toContain(`↳ recording of this failure: cinema ui ${dir}`);
  expect(r.stderr).toContain(`cinema: ✗ ${testName} (`);
  expect(r.stderr).toContain('cinema: 1 of 2 tests failed');
  // Only the failed test keeps a recording: no other directory, nothing left of the whole run.
  expect(fs.readdirSync(out)).toEqual([slug]);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { mode: string; test: { name: string } };
  expect(manifest).toMatchObject({ mode: 'flight', test: { name: testName } });
  const events = JSON.parse(cinema(['query', dir, 'events', '--json', '--limit', '500']).stdout) as Ev[];
  const ret = events.find((e) => e.kind === 'return' && e.name === 'average');
  expect(ret?.value).toEqual({ type: 'number', text: 'NaN' });
  const marks = events.filter((e) => e.kind === 'mark').map((e) => Object.fromEntries((e.value as { entries: [string, unknown][] }).entries));
  expect(marks.filter((m) => m.test === testName).map((m) => m.phase)).toEqual(['start', 'end']);
  expect(marks.find((m) => m.test === testName && m.phase === 'end')).toMatchObject({ failed: true });
  return r;
}

describe('test runners', () => {
  it('node --test: only the failing test keeps a recording, named after it', () => {
    failuresOnly(['node', '--test', path.join(runners, 'node-test.test.cjs')], 'average of nothing is 0', 'average-of-nothing-is-0');
  });

  it('mocha: the same through a root hook plugin', () => {
    failuresOnly(['npx', 'mocha', path.join(runners, 'mocha.test.cjs')], 'math average of nothing is 0', 'math-average-of-nothing-is-0');
  });

  it('jest: the same through a test environment; the code under test (run through node:vm) is recorded', () => {
    failuresOnly(['npx', 'jest', '--config', path.join(runners, 'jest.config.cjs'), '--rootDir', runners], 'math > average of nothing is 0', 'math-average-of-nothing-is-0');
  });

  it('vitest: the same through a setup file added to the project config; plain recording records the code under test (run through its module runner)', () => {
    failuresOnly(['npx', 'vitest', 'run', '--root', runners], 'math > average of nothing is 0', 'math-average-of-nothing-is-0');
    const dir = path.join(tempDir(), 'rec');
    const r = cinema(['record', '--out', dir, '--', 'npx', 'vitest', 'run', '--root', runners], { timeout: 120_000 });
    expect(r.code).toBe(1);
    const calls = JSON.parse(cinema(['query', dir, 'events', '-f', 'average', '--json']).stdout) as Ev[];
    expect(calls.map((c) => c.kind)).toEqual(['call', 'return']);
  });

  it('a command that is no known test runner gets a clear note and keeps nothing', () => {
    const out = tempDir();
    const r = cinema(['record', '--failures-only', '--out', out, '--', 'node', fixture('fib.mjs')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('cinema: no test boundaries were recorded: --failures-only knows node --test, mocha, jest and vitest');
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('a passing run keeps nothing; --failures-only with another mode is a usage error', () => {
    const out = tempDir();
    const r = cinema(['record', '--failures-only', '--out', out, '--', 'node', '--test', '--test-name-pattern', 'sum adds', path.join(runners, 'node-test.test.cjs')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('cinema: 0 of 1 tests failed; no recording kept');
    expect(fs.readdirSync(out)).toEqual([]);
    const u = cinema(['record', '--failures-only', '--mode', 'lossless', '--', 'node', '-e', '1']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('--failures-only records in flight mode');
  });
});
