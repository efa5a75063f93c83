/** The esbuild and Vite/Rollup plugins: Node bundles that run as they are and record with original sites. */
import fs from 'node:fs';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import { rollup } from 'rollup';
import { build as vite } from 'vite';
import { describe, expect, it } from 'vitest';
import { INSTRUMENTED_MARK } from '../../src/format/probes.js';
import { cinema as esbuildPlugin } from '../../src/plugins/esbuild.js';
import { cinema as vitePlugin } from '../../src/plugins/vite.js';
import { cinema as cli, fixture, node, record, stats, tempDir } from '../helpers.js';

const app = fixture('bundle-app');
const expected = [
  'Shop.add shop.js:4',
  'Shop.add shop.js:4',
  'Shop.sum shop.js:8',
  '<anonymous> shop.js:9',
  '<anonymous> shop.js:9',
  'withTax tax.ts:7',
  'money format.cjs:2',
];

/** Runs the bundle plain and recorded; checks output, counts and that sites point at the fixture's files. */
function checkBundle(file: string, output: string, calls: string[]): void {
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(INSTRUMENTED_MARK);
  const plain = node([file]);
  expect(plain.stderr).toBe('');
  expect(plain.stdout).toBe(output);
  const r = record([process.execPath, file]);
  expect(r.stdout).toBe(output);
  expect(r.code).toBe(0);
  const s = stats(r.dir);
  expect(s.byKind.call).toBe(calls.length);
  expect(s.processes[0]!.skippedFiles).toEqual([]);
  const rows = JSON.parse(cli(['query', r.dir, 'events', '--kind', 'call', '--json']).stdout) as { name: string; file: string; line: number }[];
  expect(rows.map((e) => `${e.name} ${path.relative(app, e.file)}:${e.line}`)).toEqual(calls);
}

describe('bundler plugins', () => {
  it('esbuild: a Node bundle of TS, ESM and CommonJS modules', async () => {
    const out = path.join(tempDir('cinema-esbuild-'), 'bundle.mjs');
    const result = await esbuild({
      entryPoints: [path.join(app, 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      sourcemap: true,
      logLevel: 'silent',
      plugins: [esbuildPlugin()],
    });
    expect(result.warnings).toEqual([]);
    expect(fs.readFileSync(out, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    checkBundle(out, '$12.00\n', expected);
  });

  it('vite build --ssr: a Node bundle', async () => {
    const outDir = tempDir('cinema-vite-');
    await vite({
      configFile: false,
      logLevel: 'silent',
      root: app,
      plugins: [vitePlugin()],
      build: { ssr: path.join(app, 'main.ts'), outDir, sourcemap: true, minify: false, emptyOutDir: true },
    });
    const file = path.join(outDir, 'main.js');
    checkBundle(file, '$12.00\n', expected);
  });

  it('rollup: a Node bundle of ES modules', async () => {
    const out = path.join(tempDir('cinema-rollup-'), 'bundle.mjs');
    const bundle = await rollup({ input: path.join(app, 'rollup-main.js'), plugins: [vitePlugin()], onwarn: (w) => { throw new Error(w.message); } });
    await bundle.write({ file: out, format: 'esm', sourcemap: true });
    await bundle.close();
    checkBundle(out, '4\n', ['Shop.add shop.js:4', 'Shop.sum shop.js:8', '<anonymous> shop.js:9']);
  });
});
