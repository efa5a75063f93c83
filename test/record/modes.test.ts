import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, cinemaBin, fixture, record, stats, tempDir } from '../helpers.js';

function lastWorkArgument(dir: string, calls: number): number {
  const q = cinema(['query', dir, 'events', '--function', 'work', '--kind', 'call', '--offset', String(calls - 1), '--json']);
  const rows = JSON.parse(q.stdout) as { value: { items: number[] } }[];
  expect(rows).toHaveLength(1);
  return rows[0]!.value.items[0]!;
}

describe('recording modes', () => {
  it('lossless mode keeps every event of a long run', () => {
    const r = record([process.execPath, fixture('many-calls.mjs'), '300000']);
    expect(r.code).toBe(0);
    const s = stats(r.dir);
    expect(s.byKind.call).toBe(300000);
    expect(s.byKind.return).toBe(300000);
    expect(s.byKind.write).toBe(300000); // sum += work(i): a module-level binding
    expect(s.dropped).toBe(0);
  });

  it('flight mode keeps the most recent events within its memory and says how many aged out', () => {
    const r = record([process.execPath, fixture('many-calls.mjs'), '2000000'], ['--mode', 'flight', '--flight-mb', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`sum ${2000000 * 1999999}\n`);
    const s = stats(r.dir);
    expect(s.complete).toBe(true);
    expect(s.byKind.call).toBeGreaterThan(0);
    expect(s.byKind.call).toBeLessThan(2000000);
    const json = JSON.parse(cinema(['stats', r.dir, '--json']).stdout) as { evicted: number; dropped: number };
    // What is on disk plus what aged out (plus drops, if the drain fell behind) is everything:
    // per iteration a call, a return and the write to the module-level `sum`.
    expect(s.events + json.evicted + json.dropped).toBe(3 * 2000000);
    expect(lastWorkArgument(r.dir, s.byKind.call!)).toBe(1999999);
  });

  it('flight mode writes its window when the program dies of an uncaught error', () => {
    const r = record([process.execPath, fixture('many-calls.mjs'), '5000', 'throw'], ['--mode', 'flight']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('boom after work');
    const s = stats(r.dir);
    expect(s.byKind.call).toBe(5000);
    expect(s.byKind.error).toBe(1);
    const errors = JSON.parse(cinema(['query', r.dir, 'events', '--kind', 'error', '--json']).stdout) as { value: { type: string; message: string } }[];
    expect(errors[0]!.value).toMatchObject({ type: 'error', message: 'boom after work' });
  });

  it('a size cap keeps the newest data on disk and counts what it let go', () => {
    const r = record([process.execPath, fixture('many-calls.mjs'), '2000000'], ['--max-mb', '1']);
    expect(r.code).toBe(0);
    const json = JSON.parse(cinema(['stats', r.dir, '--json']).stdout) as { events: number; evicted: number; dropped: number; bytesOnDisk: number; byKind: { call: number } };
    expect(json.evicted).toBeGreaterThan(0);
    expect(json.events + json.evicted + json.dropped).toBe(3 * 2000000);
    // At most the cap plus the file being written (a quarter of the cap, at least 1 MiB).
    expect(json.bytesOnDisk).toBeLessThanOrEqual(2 * 1024 * 1024 + 64 * 1024);
    expect(lastWorkArgument(r.dir, json.byKind.call)).toBe(1999999);
  });

  it('--no-writes keeps call values and leaves state changes out', () => {
    const r = record([process.execPath, fixture('many-calls.mjs'), '1000'], ['--no-writes']);
    const s = stats(r.dir);
    expect(s.byKind.call).toBe(1000);
    expect(s.byKind.write).toBe(0);
    const [call] = JSON.parse(cinema(['query', r.dir, 'events', '--function', 'work', '--kind', 'call', '--limit', '1', '--json']).stdout) as { value: { items: number[] } }[];
    expect(call!.value.items).toEqual([0]);
  });

  it('--causality adds async context, messages and console output; without it there are none', () => {
    const withIt = stats(record([process.execPath, fixture('async.mjs')], ['--causality']).dir);
    expect(withIt.byKind['async-init']).toBeGreaterThan(0);
    expect(withIt.byKind['async-before']).toBe(withIt.byKind['async-after']);
    expect(withIt.byKind.log).toBe(1); // console.log('sum', …)
    const without = stats(record([process.execPath, fixture('async.mjs')]).dir);
    expect(without.byKind['async-init']).toBe(0);
    expect(without.byKind.call).toBe(withIt.byKind.call);
  });

  it('sampled mode records bursts and counts what it left out', () => {
    const r = record([process.execPath, fixture('many-calls.mjs'), '3000000'], ['--mode', 'sampled', '--burst-ms', '2', '--period-ms', '20']);
    expect(r.code).toBe(0);
    const json = JSON.parse(cinema(['stats', r.dir, '--json']).stdout) as { events: number; sampledOut: number; dropped: number };
    expect(json.sampledOut).toBeGreaterThan(0);
    expect(json.events).toBeGreaterThan(0);
    expect(json.events + json.sampledOut + json.dropped).toBe(3 * 3000000);
  });

  it('a program stopped by SIGTERM still leaves a complete recording and the signal status', async () => {
    const dir = path.join(tempDir(), 'rec');
    const cli = spawn(process.execPath, [cinemaBin, 'record', '--out', dir, '--', process.execPath, fixture('many-calls.mjs'), '1000', 'wait'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => cli.stdout.once('data', () => resolve()));
    const pid = Number((await import('node:fs')).readdirSync(path.join(dir, 'processes'))[0]);
    process.kill(pid, 'SIGTERM');
    const code = await new Promise<number | null>((resolve) => cli.once('close', resolve));
    expect(code).toBe(128 + 15);
    const s = stats(dir);
    expect(s.complete).toBe(true);
    expect(s.byKind.call).toBe(1000);
  });
});
