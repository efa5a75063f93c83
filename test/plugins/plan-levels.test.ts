/** Plans and levels applied ahead of time: `cinema instrument --plan/--level` and the bundler plugins. */
import fs from 'node:fs';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import ts from 'typescript';
import { build as vite } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanDocument } from '../../src/format/levels.js';
import { cinema as esbuildPlugin } from '../../src/plugins/esbuild.js';
import { cinema as vitePlugin } from '../../src/plugins/vite.js';
import { cinema, fixture, node, record, tempDir } from '../helpers.js';

const app = fixture('bundle-app');

interface Row {
  kind: string;
  name: string;
  file: string;
  line: number;
  value?: unknown;
}

/** The bundle runs plain with its output; recorded, its call events. */
function calls(file: string, output: string): Row[] {
  expect(node([file]).stdout).toBe(output);
  const r = record([process.execPath, file]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(cinema(['query', r.dir, 'events', '--kind', 'call', '--json']).stdout) as Row[];
}

const names = (rows: Row[]) => rows.map((e) => e.name);

function planFile(doc: PlanDocument): string {
  const file = path.join(tempDir('cinema-plan-'), 'plan.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

// Shop.sum off (its callback keeps the default), withTax at boundary, everything else at calls.
const plan: PlanDocument = {
  version: 1,
  root: app,
  default: 'calls',
  compile: 'full',
  rules: [],
  functions: [
    { file: 'shop.js', name: 'Shop.sum', level: 'off' },
    { file: 'tax.ts', name: 'withTax', level: 'boundary' },
  ],
};

describe('plans ahead of time: bundler plugins', () => {
  it('esbuild with a plan file compiles each function at its level', async () => {
    const out = path.join(tempDir('cinema-esbuild-'), 'bundle.mjs');
    const result = await esbuild({ entryPoints: [path.join(app, 'main.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent', plugins: [esbuildPlugin({ plan: planFile(plan) })] });
    expect(result.warnings).toEqual([]);
    const rows = calls(out, '$12.00\n');
    expect(names(rows)).toEqual(['Shop.add', 'Shop.add', '<anonymous>', '<anonymous>', 'withTax', 'money']);
    expect(rows.find((e) => e.name === 'withTax')!.value).toBeUndefined();
    expect(rows.filter((e) => e.name === 'Shop.add').every((e) => e.value !== undefined)).toBe(true);
  });

  it('vite with level boundary records every call without values', async () => {
    const outDir = tempDir('cinema-vite-');
    await vite({ configFile: false, logLevel: 'silent', root: app, plugins: [vitePlugin({ level: 'boundary' })], build: { ssr: path.join(app, 'main.ts'), outDir, minify: false, emptyOutDir: true } });
    const rows = calls(path.join(outDir, 'main.js'), '$12.00\n');
    expect(rows).toHaveLength(7);
    expect(rows.every((e) => e.value === undefined)).toBe(true);
  });

  it('a plugin with a bad level or a bad plan fails with one line', () => {
    expect(() => vitePlugin({ level: 'loud' as 'off' })).toThrow("execution-cinema: level must be one of off, boundary, calls, full, not 'loud'");
    const bad = path.join(tempDir('cinema-plan-'), 'plan.json');
    fs.writeFileSync(bad, JSON.stringify({ ...plan, default: 'most' }));
    expect(() => esbuildPlugin({ plan: bad })).toThrow(/plan\.json: default: /);
    expect(() => esbuildPlugin({ plan, level: 'off' })).toThrow('give plan or level, not both');
  });
});

describe('plans ahead of time: cinema instrument', () => {
  let src = '';
  beforeAll(() => {
    // The app as aot-cli.test.ts lays it out: lib/price.js compiled from lib/price.ts.
    src = path.join(tempDir('cinema-aot-src-'), 'src');
    fs.cpSync(fixture('aot-app'), src, { recursive: true });
    const tsFile = path.join(src, 'lib', 'price.ts');
    fs.writeFileSync(path.join(src, 'lib', 'price.js'), ts.transpileModule(fs.readFileSync(tsFile, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
  });

  it('--plan: an off function runs without probes, the rest at their levels', () => {
    const out = path.join(tempDir('cinema-aot-'), 'out');
    const doc: PlanDocument = { version: 1, root: src, default: 'calls', compile: 'plan', rules: [{ include: 'lib/legacy.cjs', level: 'off' }], functions: [{ file: 'lib/cart.js', name: 'Cart.add', level: 'boundary' }] };
    const r = cinema(['instrument', src, '--out', out, '--plan', planFile(doc), '-q']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const plain = node([path.join(out, 'main.js')]);
    const rows = calls(path.join(out, 'main.js'), plain.stdout);
    expect(rows.some((e) => e.name === 'shout')).toBe(false);
    const adds = rows.filter((e) => e.name === 'Cart.add');
    expect(adds).toHaveLength(2);
    expect(adds.every((e) => e.value === undefined)).toBe(true);
    expect(rows.find((e) => e.name === 'total')!.value).toBeDefined();
  });

  it('--level off: no function events; bad usage is one line and exit 2', () => {
    const out = path.join(tempDir('cinema-aot-'), 'out');
    expect(cinema(['instrument', src, '--out', out, '--level', 'off', '-q']).code).toBe(0);
    expect(calls(path.join(out, 'main.js'), node([path.join(src, 'main.js')]).stdout)).toEqual([]);
    const bad = cinema(['instrument', src, '--out', out, '--level', 'loud']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, "cinema instrument: --level must be one of off, boundary, calls, full, not 'loud' (see cinema instrument --help)"]);
    const both = cinema(['instrument', src, '--out', out, '--level', 'off', '--plan', 'p.json']);
    expect(both.code).toBe(2);
    expect(both.stderr.trim().split('\n')).toHaveLength(1);
    const missing = cinema(['instrument', src, '--out', out, '--plan', path.join(out, 'none.json')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toMatch(/^cinema instrument: plan not found: /);
  });
});
