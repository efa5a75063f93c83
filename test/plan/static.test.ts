import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, root, tempDir } from '../helpers.js';
import { parsePlan, planJsonSchema } from '../../src/format/plan-schema.js';
import type { PlanDocument } from '../../src/format/levels.js';
import { shop } from './helpers.js';

function planOf(dir: string): PlanDocument {
  const r = cinema(['plan', dir]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parsePlan(JSON.parse(r.stdout), 'stdout');
}

const levelOf = (plan: PlanDocument, name: string) => plan.functions.find((f) => f.name === name)?.level;

describe('cinema plan: static levels', () => {
  it('gives state writers full, handlers and API calls, trivial private code boundary', () => {
    const plan = planOf(shop);
    expect(levelOf(plan, 'Cart.add')).toBe('full');
    expect(levelOf(plan, 'Cart.constructor')).toBe('full');
    expect(levelOf(plan, 'handle')).toBe('calls');
    expect(levelOf(plan, 'loadPrices')).toBe('calls');
    expect(levelOf(plan, 'same')).toBe('boundary');
    // Writes through its own locals (out.push) are not program state.
    expect(levelOf(plan, 'parseLine')).toBe('calls');
    expect(plan.functions.map((f) => f.file).sort()).toEqual(['main.js', 'src/cart/cart.js', 'src/cart/cart.js', 'src/cart/cart.js', 'src/store.js', 'src/store.js', 'src/store.js', 'src/util.js', 'src/util.js', 'src/util.js', 'src/util.js']);
    expect(plan.compile).toBe('full');
  });

  it('explains every level', () => {
    const r = cinema(['plan', shop, '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('src/cart/cart.js:9 Cart.add → full: writes state: this.items, this.total');
    expect(r.stdout).toContain('src/store.js:15 handle → calls: request handler');
    expect(r.stdout).toMatch(/src\/util\.js:\d+ same → boundary: trivial/);
    expect(r.stdout).toContain('I/O: readFileSync');
  });

  it('names functions of the same name apart by line, and skips files it cannot parse', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.js'), 'export const a = [1].map((x) => x + 1);\nexport const b = [2].map((x) => x * 2);\n');
    fs.writeFileSync(path.join(dir, 'broken.js'), 'function (\n');
    const r = cinema(['plan', dir, '--explain', '--json']);
    expect(r.code).toBe(0);
    const { plan, notes } = JSON.parse(r.stdout) as { plan: PlanDocument; notes: string[] };
    const anon = plan.functions.filter((f) => f.name === '<anonymous>');
    expect(anon.map((f) => f.line)).toEqual([1, 2]);
    expect(notes.some((n) => n.startsWith('not parsed: broken.js'))).toBe(true);
  });

  it('writes a plan file whose root is relative to it, valid against the published schema', () => {
    const out = path.join(tempDir(), 'plan.json');
    const r = cinema(['plan', shop, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cinema plan: 11 functions \(2 full, 7 calls, 2 boundary, 0 off\) → /);
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as PlanDocument;
    expect(path.resolve(path.dirname(out), doc.root)).toBe(shop);
    const published = JSON.parse(fs.readFileSync(path.join(root, 'docs', 'plan.schema.json'), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(planJsonSchema())));
  });

  it('rejects bad arguments with one line', () => {
    expect(cinema(['plan', path.join(shop, 'missing')]).stderr.trim()).toMatch(/^cinema plan: not a folder: .*missing \(see cinema plan --help\)$/);
    expect(cinema(['plan', shop, '--budget', '1']).stderr.trim()).toBe('cinema plan: --budget needs --from REC: the call counts of a recording (see cinema plan --help)');
    expect(cinema(['plan', shop, '--from', shop, '--budget', 'x']).code).toBe(2);
    const r = cinema(['plan', shop, '--from', path.join(shop, 'src')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
