/**
 * Hostile programs: one that replaces the built-ins (counting every call to them) or freezes all
 * intrinsics must give the same output recorded as plain, the recording must hold the right
 * events; hostile values (huge, deep, cyclic, revoked proxies, throwing accessors, typed arrays,
 * shared memory) are captured within bounds without running program code.
 */
import { describe, expect, it } from 'vitest';
import { cinema, fixture, node, record, stats } from '../helpers.js';

interface EventJson {
  kind: string;
  name: string;
  value: any;
}
const events = (dir: string, args: string[]): EventJson[] => {
  const q = cinema(['query', dir, 'events', '--json', '--limit', '100000', ...args]);
  expect(q.code).toBe(0);
  return JSON.parse(q.stdout) as EventJson[];
};

describe('a program that replaces or freezes the built-ins', () => {
  for (const how of ['count', 'freeze'] as const) {
    it(`${how}: same output and counts as the plain run, and the recording has the program's events`, () => {
      const plain = node([fixture('hostile.mjs'), how]);
      expect(plain.code).toBe(0);
      const r = record([process.execPath, fixture('hostile.mjs'), how]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(plain.stdout);
      const out = JSON.parse(r.stdout);
      expect(out.result).toEqual({ total: 435, items: 30, seen: 4, caught: 10, doubled: 870, typed: 3 });
      if (how === 'count') expect(Object.keys(out.counts).length).toBeGreaterThan(80);
      else expect(out.counts.frozen).toBe(1);
      const s = stats(r.dir);
      expect(s.complete).toBe(true);
      const calls = Object.fromEntries(s.hottest.map((h) => [h.name, h.calls]));
      expect(calls.tally).toBe(30);
      expect(s.byKind.throw).toBe(10);
      // risky's throws carry no value (ADR 0020); the catch clause that received each records it.
      const caughtValues = events(r.dir, ['--kind', 'catch']);
      expect(caughtValues).toHaveLength(10);
      expect(caughtValues[0]!.value).toMatchObject({ type: 'error', name: 'TypeError', message: 'bad 0' });
      const later = events(r.dir, ['--function', 'later', '--kind', 'return']);
      expect(later.at(-1)!.value).toBe(870);
    });
  }

  it('count with --causality: the same, but for Array#pop, which Node\'s own async_hooks call', () => {
    const plain = JSON.parse(node([fixture('hostile.mjs'), 'count']).stdout);
    const r = record([process.execPath, fixture('hostile.mjs'), 'count'], ['--causality']);
    const got = JSON.parse(r.stdout);
    expect(got.result).toEqual(plain.result);
    const { 'Array#pop': pop, ...rest } = got.counts;
    const { 'Array#pop': plainPop, ...plainRest } = plain.counts;
    expect(rest).toEqual(plainRest);
    expect(pop).toBeGreaterThanOrEqual(plainPop);
    expect(stats(r.dir).byKind['async-init']).toBeGreaterThan(0);
  });
});

describe('hostile values', () => {
  it('are captured within bounds and never by running program code', () => {
    const plain = node([fixture('hostile-values.mjs')]);
    const r = record([process.execPath, fixture('hostile-values.mjs')], ['--no-writes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stderr).not.toMatch(/RAN:/);
    const calls = events(r.dir, ['--function', 'take', '--kind', 'call']);
    const v = Object.fromEntries(calls.map((c) => [c.value.items[0], c.value.items[1]]));
    expect(v.huge).toMatchObject({ type: 'string', length: 100 * 1024 * 1024, truncated: true });
    expect(v.huge.value.length).toBeLessThanOrEqual(256);
    expect(v.million).toMatchObject({ type: 'array', length: 1_000_000 });
    expect(v.million.items).toHaveLength(24);
    // 100 000 levels deep: cut at the depth limit
    expect(JSON.stringify(v.deep)).toContain('depth-limit');
    expect(JSON.stringify(v.deep).length).toBeLessThan(1000);
    // a cycle: the object refers to itself by id
    const cycle = Object.fromEntries(v.cycle.entries);
    expect(cycle.self).toEqual({ type: 'ref', id: v.cycle.id });
    expect(v.revoked.type).toBe('proxy');
    expect(v.throwing.entries).toEqual([['boom', { type: 'accessor', get: true, set: false }]]);
    expect(v.typed).toMatchObject({ type: 'bytes', class: 'Float64Array', length: 24, hex: Buffer.from(new Float64Array([1.5, 2.5, 3.5]).buffer).toString('hex') });
    expect(v.shared).toMatchObject({ type: 'bytes', class: 'Int32Array', length: 16 });
    expect(v.sab).toMatchObject({ type: 'opaque', class: 'SharedArrayBuffer' });
    expect(v.trapProto).toMatchObject({ type: 'object', entries: [['own', 1]] });
    expect(v.lyingArray.items).toEqual([1, { type: 'accessor', get: true, set: false }, 3]);
    expect(v.tagged.entries.map((e: [string, { type: string }]) => e[1].type)).toEqual(['function', 'function', 'function']);
    expect(v.detached).toMatchObject({ type: 'bytes', length: 0 });
    expect(v.detachedView).toMatchObject({ type: 'bytes', class: 'DataView', length: 0 });
  });
});
