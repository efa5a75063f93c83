import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, record, tempDir } from '../helpers.js';
import type { PlanDocument } from '../../src/format/levels.js';
import { events, planFile, shop } from './helpers.js';

const main = path.join(shop, 'main.js');
const byName = (evs: ReturnType<typeof events>, name: string, kind: string) => evs.filter((e) => e.name === name && e.kind === kind);

describe('cinema record --level', () => {
  it('boundary records every call and return without values or writes', () => {
    const r = record(['node', main, '5'], ['--level', 'boundary']);
    expect(r.code).toBe(0);
    const evs = events(r.dir);
    const calls = byName(evs, 'Cart.add', 'call');
    expect(calls).toHaveLength(30);
    expect(calls.every((e) => e.value === undefined)).toBe(true);
    expect(byName(evs, 'Cart.add', 'return')).toHaveLength(30);
    expect(evs.filter((e) => e.kind === 'write' || e.kind === 'mutate')).toEqual([]);
  });

  it('off records no function events, and the program still runs', () => {
    const r = record(['node', main, '5'], ['--level', 'off']);
    expect(r.code).toBe(0);
    expect(events(r.dir).filter((e) => e.kind !== 'mark')).toEqual([]);
  });

  it('rejects an unknown level and --plan with --level', () => {
    const a = cinema(['record', '--level', 'loud', '--', 'node', main]);
    expect([a.code, a.stderr.trim()]).toEqual([2, "cinema record: --level must be one of off, boundary, calls, full, not 'loud' (see cinema record --help)"]);
    const b = cinema(['record', '--level', 'off', '--plan', 'x.json', '--', 'node', main]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('give --plan or --level, not both');
  });
});

describe('cinema record --plan', () => {
  const plan = (over: Partial<PlanDocument>): PlanDocument => ({ version: 1, root: shop, default: 'calls', compile: 'full', rules: [], functions: [], ...over });

  it('applies exact entries over rules over the default', () => {
    const file = planFile(
      plan({
        default: 'boundary',
        rules: [{ include: 'src/cart/**', level: 'full' }, { include: 'src/**', function: 'round', level: 'off' }],
        functions: [{ file: 'src/cart/cart.js', name: 'Cart.count', level: 'calls' }],
      }),
    );
    const r = record(['node', main, '4'], ['--plan', file]);
    expect(r.code).toBe(0);
    const evs = events(r.dir);
    expect(byName(evs, 'round', 'call')).toEqual([]);
    expect(byName(evs, 'double', 'call').every((e) => e.value === undefined)).toBe(true);
    expect(byName(evs, 'double', 'call')).toHaveLength(24);
    expect(byName(evs, 'Cart.add', 'call').every((e) => (e.value as { items: unknown[] }).items.length === 2)).toBe(true);
    expect(byName(evs, 'Cart.add', 'write').length).toBeGreaterThan(0);
    expect(byName(evs, 'Cart.count', 'return').every((e) => e.value !== undefined)).toBe(true);
    expect(byName(evs, 'Cart.count', 'write')).toEqual([]);
  });

  it('compile: plan leaves off functions without probes (not even in the site table)', () => {
    const file = planFile(plan({ compile: 'plan', functions: [{ file: 'src/util.js', name: 'round', level: 'off' }] }));
    const r = record(['node', main, '2'], ['--plan', file]);
    expect(r.code).toBe(0);
    const sites = fs.readFileSync(path.join(r.dir, 'processes', fs.readdirSync(path.join(r.dir, 'processes'))[0]!, 'sites.jsonl'), 'utf8');
    expect(sites).not.toContain('"name":"round"');
    expect(sites).toContain('"name":"double"');
  });

  it.each([
    ['{ not json', /: not valid JSON \(/],
    [JSON.stringify({ version: 1, root: '.', default: 'loud', compile: 'full', rules: [], functions: [] }), /plan\.json: default: Invalid option: expected one of "off"\|"boundary"\|"calls"\|"full"$/],
    [JSON.stringify({ version: 1, root: '.', default: 'off', compile: 'full', rules: [], functions: [{ file: 'a.js', level: 'full' }] }), /plan\.json: functions\[0\]\.name: Invalid input: expected string, received undefined$/],
    [JSON.stringify({ version: 2, root: '.', default: 'off', compile: 'full', rules: [], functions: [] }), /plan\.json: version: Invalid input: expected 1$/],
    [JSON.stringify({ version: 1, root: '.', default: 'off', compile: 'full', rules: [], functions: [], extra: 1 }), /plan\.json: \(top level\): Unrecognized key: "extra"$/],
    [JSON.stringify([]), /plan\.json: \(top level\): Invalid input: expected object, received array$/],
  ])('rejects a malformed plan with one line: %s', (text, message) => {
    const file = planFile(text);
    const r = cinema(['record', '--plan', file, '--', 'node', main]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cinema record: /);
    expect(lines[0]).toMatch(message);
  });

  it('says when the plan file is missing', () => {
    const missing = path.join(tempDir(), 'none.json');
    const r = cinema(['record', '--plan', missing, '--', 'node', main]);
    expect([r.code, r.stderr.trim()]).toEqual([2, `cinema record: plan not found: ${missing}`]);
  });
});
