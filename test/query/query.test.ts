import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cinema, fixture, record, tempDir } from '../helpers.js';

const json = <T>(args: string[]): T => {
  const r = cinema(['query', ...args, '--json']);
  if (r.code !== 0) throw new Error(`cinema query ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};
const argsOf = (f: { args?: { items?: unknown[] } }) => f.args?.items;

describe('queries over a recorded fib(15)', () => {
  let dir: string;
  beforeAll(() => {
    dir = record(['node', fixture('fib.mjs')]).dir;
  });

  it('call tree under the first call: fib(15) → fib(14), fib(13), result 610', () => {
    const t = json<{ name: string; args: { items: number[] }; result: number; children: { args: { items: number[] }; result: number }[] }>([dir, 'calltree', '0', '--depth', '1']);
    expect(t.name).toBe('fib');
    expect(t.args.items).toEqual([15]);
    expect(t.result).toBe(610);
    expect(t.children.map((c) => [c.args.items[0], c.result])).toEqual([[14, 377], [13, 233]]);
  });

  it('stack at the first fib(1) call is fib(1) … fib(15)', () => {
    const calls = json<{ id: number; value: { items: number[] } }[]>([dir, 'events', '--kind', 'call', '--limit', '20']);
    const first1 = calls.find((c) => c.value.items[0] === 1)!;
    const s = json<{ frames: { name: string; args: { items: number[] } }[] }>([dir, 'stack', String(first1.id)]);
    expect(s.frames.map((f) => argsOf(f)![0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('slowest counts every call of fib (1973) with ordered percentiles', () => {
    const [fib] = json<{ name: string; calls: number; p50Us: number; p95Us: number; p99Us: number; maxUs: number; slowestCall: number }[]>([dir, 'slowest']);
    expect(fib!.name).toBe('fib');
    expect(fib!.calls).toBe(1973);
    expect(fib!.p50Us).toBeLessThanOrEqual(fib!.p95Us);
    expect(fib!.p95Us).toBeLessThanOrEqual(fib!.p99Us);
    expect(fib!.p99Us).toBeLessThanOrEqual(fib!.maxUs);
    // The root call contains every other, so its duration is the maximum (ties are possible at
    // clock-tick resolution, so which call is named slowest is not fixed).
    const root = json<{ durationUs: number }>([dir, 'calltree', '0']);
    expect(root.durationUs).toBe(fib!.maxUs);
    const slowest = json<{ durationUs: number; name: string }>([dir, 'calltree', String(fib!.slowestCall)]);
    expect(slowest).toMatchObject({ name: 'fib', durationUs: fib!.maxUs });
  });

  it('search finds 610 as the result of fib(15), and events paging/filters work', () => {
    const hits = json<{ event: { kind: string; id: number }; path: string }[]>([dir, 'search', '610']);
    expect(hits.map((h) => [h.event.kind, h.path])).toEqual([['return', 'result']]);
    const page = json<{ id: number }[]>([dir, 'events', '--kind', 'return', '--offset', '2', '--limit', '3']);
    const all = json<{ id: number }[]>([dir, 'events', '--kind', 'return', '--limit', '5']);
    expect(page.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
    const late = json<{ time: number }[]>([dir, 'events', '--from', String(all[4]!.id >= 0 ? 0 : 0), '--to', '1e12', '--limit', '1']);
    expect(late).toHaveLength(1);
  });

  it('a damaged index is rebuilt, not trusted', () => {
    const before = json<unknown>([dir, 'calltree', '0', '--depth', '1']);
    fs.truncateSync(path.join(dir, 'index', 'parent.i32'), 8);
    expect(json<unknown>([dir, 'calltree', '0', '--depth', '1'])).toEqual(before);
    fs.writeFileSync(path.join(dir, 'index', 'meta.json'), '{garbage');
    expect(json<unknown>([dir, 'calltree', '0', '--depth', '1'])).toEqual(before);
  });

  it('one-line errors for bad event ids and unknown queries', () => {
    const r = cinema(['query', dir, 'stack', '999999']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const u = cinema(['query', dir, 'nope']);
    expect(u.code).toBe(2);
    expect(cinema(['query', 'stack', '--help']).stdout).toContain('cinema query [REC] stack EVENT');
  });
});

describe('errors and async stacks', () => {
  it('errors: the throw from dive(0) unwinds through dive(0..4), caught in safe(4); uncaught ends in an error', () => {
    const dir = record(['node', fixture('throws.mjs'), 'uncaught']).dir;
    const errs = json<{ kind: string; end: string; unwound: { name: string; args: { items: number[] } }[]; caughtBy?: { name: string; args: { items: number[] } } }[]>([dir, 'errors']);
    expect(errs[0]!.unwound.map((f) => argsOf(f)![0])).toEqual([0, 1, 2, 3, 4]);
    expect(errs[0]!.end).toBe('caught');
    expect(errs[0]!.caughtBy!.name).toBe('safe');
    expect(errs[1]!.unwound).toHaveLength(3);
    const last = errs.at(-1)!;
    expect(last.end).toBe('uncaught');
    expect(last.unwound.map((f) => argsOf(f)![0])).toEqual([0, 1, 2, 3]);
  });

  it('stack after an await shows the resumed frame and its async caller', () => {
    const dir = record(['node', fixture('async.mjs')]).dir;
    const resumes = json<{ id: number; name: string }[]>([dir, 'events', '--kind', 'resume', '--function', 'step', '--limit', '1']);
    const s = json<{ frames: { name: string; resumed?: boolean; async?: boolean }[] }>([dir, 'stack', String(resumes[0]!.id)]);
    expect(s.frames.map((f) => [f.name, !!f.resumed, !!f.async])).toEqual([['step', true, false], ['run', false, true]]);
  });
});

describe('edge recordings', () => {
  it('an empty recording answers with nothing', () => {
    const dir = path.join(tempDir(), 'rec');
    const r = cinema(['record', '--out', dir, '--', 'node', '-e', '0']);
    expect(r.code).toBe(0);
    expect(json<unknown[]>([dir, 'events'])).toEqual([]);
    expect(json<unknown[]>([dir, 'slowest'])).toEqual([]);
    expect(json<unknown[]>([dir, 'errors'])).toEqual([]);
    expect(json<unknown[]>([dir, 'search', 'x'])).toEqual([]);
  });

  it('a recording that grows (still being written) gets a fresh index', () => {
    const dir = record(['node', fixture('fib.mjs')]).dir;
    const seg = fs.readdirSync(path.join(dir, 'processes')).map((p) => path.join(dir, 'processes', p, 'events.seg'))[0]!;
    const full = fs.readFileSync(seg);
    const frames: number[] = [];
    for (let off = 16; off < full.length; off += 52 + full.readUInt32LE(off + 36)) frames.push(off);
    const info = path.join(path.dirname(seg), 'process.json');
    const done = fs.readFileSync(info, 'utf8');
    fs.writeFileSync(info, JSON.stringify({ ...JSON.parse(done), complete: false, endedAt: null }));
    fs.writeFileSync(seg, full.subarray(0, frames[1] ?? full.length));
    const part = json<unknown[]>([dir, 'events', '--kind', 'return', '--limit', '1000000']).length;
    fs.writeFileSync(seg, full);
    fs.writeFileSync(info, done);
    const whole = json<unknown[]>([dir, 'events', '--kind', 'return', '--limit', '1000000']).length;
    expect(whole).toBe(1973);
    if (frames.length > 1) expect(part).toBeLessThan(whole);
  });
});
