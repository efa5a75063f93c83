import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, cinemaBin, spawn, tempDir } from '../helpers.js';
import { events, planFixture } from './helpers.js';

const ticker = path.join(planFixture('ticker'), 'ticker.js');

async function until(what: string, ok: () => boolean, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ticks = (pidFile: string) => Number(fs.readFileSync(pidFile + '.n', 'utf8') || 0);

/** Waits for the program to run `n` more ticks. */
async function moreTicks(pidFile: string, n: number): Promise<void> {
  const from = ticks(pidFile);
  await until(`${n} ticks`, () => ticks(pidFile) >= from + n);
}

/** Records the ticker in the background: its pid file, the recording, and its exit code to come. */
function recordTicker(): { pidFile: string; rec: string; exited: Promise<number | null> } {
  const dir = tempDir();
  const pidFile = path.join(dir, 'pid');
  const rec = path.join(dir, 'rec');
  const child = spawn(process.execPath, [cinemaBin, 'record', '-q', '-o', rec, '--', process.execPath, ticker, pidFile], { stdio: 'ignore' });
  return { pidFile, rec, exited: new Promise((r) => child.once('exit', r)) };
}

async function started(pidFile: string): Promise<number> {
  await until('the program to start', () => fs.existsSync(pidFile + '.n'));
  return Number(fs.readFileSync(pidFile, 'utf8'));
}

describe('cinema control', () => {
  it('turns a running process down and up again; the recording shows both changes', async () => {
    const { pidFile, rec, exited } = recordTicker();
    try {
      const pid = await started(pidFile);
      await moreTicks(pidFile, 5);
      const down = cinema(['control', String(pid), '--level', 'boundary', '--function', 'price']);
      expect([down.code, down.stdout.trim()]).toEqual([0, `process ${pid}: 1 function now at boundary`]);
      await moreTicks(pidFile, 5);
      const up = cinema(['control', String(pid), '--level', 'full', '--include', 'test/plan/fixtures/**']);
      expect([up.code, up.stdout.trim()]).toEqual([0, `process ${pid}: 3 functions now at full`]);
      await moreTicks(pidFile, 5);
    } finally {
      fs.writeFileSync(pidFile + '.stop', '');
    }
    expect(await exited).toBe(0);

    const evs = events(rec).filter((e) => e.kind === 'mark' || e.name === 'price');
    const marks = evs.flatMap((e, i) => (e.kind === 'mark' ? [i] : []));
    expect(marks).toHaveLength(2);
    expect(evs[marks[0]!]!.value).toBe('cinema control: level boundary function price (1 functions)');
    const before = evs.slice(0, marks[0]);
    const between = evs.slice(marks[0]! + 1, marks[1]);
    const after = evs.slice(marks[1]! + 1);
    const calls = (part: typeof evs) => part.filter((e) => e.kind === 'call');
    for (const part of [before, between, after]) expect(calls(part).length).toBeGreaterThanOrEqual(4);
    expect(calls(before).every((e) => e.value !== undefined)).toBe(true);
    expect(before.some((e) => e.kind === 'write')).toBe(true);
    // Between the changes: entry and exit only (a call already running at the change may still carry its value).
    expect(calls(between).slice(1).every((e) => e.value === undefined)).toBe(true);
    expect(between.filter((e) => e.kind === 'write').length).toBeLessThanOrEqual(1);
    expect(calls(after).slice(1).every((e) => e.value !== undefined)).toBe(true);
    expect(after.filter((e) => e.kind === 'write').length).toBeGreaterThanOrEqual(3);
  });

  it('applies a change to code loaded after it', async () => {
    const { pidFile, rec, exited } = recordTicker();
    try {
      const pid = await started(pidFile);
      const r = cinema(['control', String(pid), '--level', 'boundary', '--include', '**/late.js']);
      expect([r.code, r.stdout.trim()]).toEqual([0, `process ${pid}: no loaded function matches; matching code it loads later starts at boundary`]);
      fs.writeFileSync(pidFile + '.load', '');
      // Not a number of ticks: importing (and instrumenting) late.js can take longer than many ticks.
      await until('late.js to run 3 times', () => fs.existsSync(pidFile + '.late') && Number(fs.readFileSync(pidFile + '.late', 'utf8') || 0) >= 3);
    } finally {
      fs.writeFileSync(pidFile + '.stop', '');
    }
    expect(await exited).toBe(0);
    const evs = events(rec);
    const late = evs.filter((e) => e.name === 'late' && e.kind === 'call');
    expect(late.length).toBeGreaterThanOrEqual(3);
    expect(late.every((e) => e.value === undefined)).toBe(true);
    expect(evs.filter((e) => e.name === 'price' && e.kind === 'call').every((e) => e.value !== undefined)).toBe(true);
  });

  it('rejects what it cannot do with one line', () => {
    const dir = tempDir();
    const notRecorded = cinema(['control', String(process.pid), '--level', 'full']);
    expect([notRecorded.code, notRecorded.stderr.trim()]).toEqual([1, `cinema control: process ${process.pid} is not being recorded by this user (or give --recording DIR)`]);
    expect(cinema(['control', '12', '--level', 'loud']).stderr.trim()).toBe("cinema control: --level must be one of off, boundary, calls, full, not 'loud' (see cinema control --help)");
    expect(cinema(['control', 'abc', '--level', 'off']).code).toBe(2);
    expect(cinema(['control', '12']).stderr).toContain('--level is required');
    const gone = cinema(['control', '12', '--level', 'off', '--recording', dir]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toMatch(/^cinema control: process 12 is not in /);
  });
});
