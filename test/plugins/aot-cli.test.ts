/** `cinema instrument`: instrumented copies that run plain, and record under `cinema record` with original sites. */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { cinema, fixture, node, record, stats, tempDir } from '../helpers.js';

interface Row {
  kind: string;
  name: string;
  file: string;
  line: number;
}

let src = '';
let out = '';

beforeAll(() => {
  const dir = tempDir('cinema-aot-');
  src = path.join(dir, 'src');
  out = path.join(dir, 'out');
  fs.cpSync(fixture('aot-app'), src, { recursive: true });
  // price.ts → price.js + price.js.map: an external input source map to chain.
  const tsFile = path.join(src, 'lib', 'price.ts');
  const r = ts.transpileModule(fs.readFileSync(tsFile, 'utf8'), {
    fileName: tsFile,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
  });
  fs.writeFileSync(path.join(src, 'lib', 'price.js'), r.outputText);
  fs.writeFileSync(path.join(src, 'lib', 'price.js.map'), r.sourceMapText!);
});

describe('cinema instrument', () => {
  it('mirrors the tree: instrumented files with .map files, other files copied', () => {
    const r = cinema(['instrument', src, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { instrumented: string[]; copied: number; failed: unknown[] };
    expect(summary.instrumented.map((f) => path.relative(src, f)).sort()).toEqual(['lib/cart.js', 'lib/legacy.cjs', 'lib/price.js', 'lib/price.ts', 'main.js']);
    expect(summary.failed).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'README.txt'), 'utf8')).toBe('copied as it is\n');
    expect(fs.existsSync(path.join(out, 'package.json'))).toBe(true);
    const main = fs.readFileSync(path.join(out, 'main.js'), 'utf8');
    expect(main.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(main.trimEnd().endsWith('//# sourceMappingURL=main.js.map')).toBe(true);
  });

  it('chains the input map: the output map of price.js points into price.ts', () => {
    const map = JSON.parse(fs.readFileSync(path.join(out, 'lib', 'price.js.map'), 'utf8')) as { sources: string[]; file: string };
    expect(map.file).toBe('price.js');
    expect(map.sources.map((s) => path.resolve(out, 'lib', s))).toEqual([path.join(src, 'lib', 'price.ts')]);
    const code = fs.readFileSync(path.join(out, 'lib', 'price.js'), 'utf8').split('\n');
    const line = code.findIndex((l) => l.includes('function total'));
    const pos = originalPositionFor(new TraceMap(map as never), { line: line + 1, column: code[line]!.indexOf('function total') });
    expect(pos.line).toBe(13);
  });

  it('runs without the recorder, with the same output', () => {
    const plain = node([path.join(src, 'main.js')]);
    const instrumented = node([path.join(out, 'main.js')]);
    expect(plain.stdout).toBe('TOTAL 16!\n');
    expect(instrumented).toEqual(plain);
  });

  it('records under cinema record, with names and lines of the original sources', () => {
    const r = record([process.execPath, path.join(out, 'main.js')]);
    expect(r.stdout).toBe('TOTAL 16!\n');
    expect(r.code).toBe(0);
    const s = stats(r.dir);
    expect(s.byKind.call).toBe(8);
    expect(s.byKind.return).toBe(8);
    expect(s.processes[0]!.skippedFiles).toEqual([]);
    const q = cinema(['query', r.dir, 'events', '--kind', 'call', '--json']);
    expect(q.code).toBe(0);
    const rows = (JSON.parse(q.stdout) as Row[]).map((e) => `${e.name} ${path.relative(src, e.file)}:${e.line}`);
    expect(rows).toEqual([
      'Cart.add lib/cart.js:4',
      'Cart.add lib/cart.js:4',
      'total lib/price.ts:13',
      '<anonymous> lib/price.ts:14',
      'priceOf lib/price.ts:9',
      '<anonymous> lib/price.ts:14',
      'priceOf lib/price.ts:9',
      'shout lib/legacy.cjs:2',
    ]);
  });

  it('bad usage is one line and exit 2', () => {
    expect(cinema(['instrument', src]).code).toBe(2);
    const r = cinema(['instrument', path.join(src, 'nope'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').length).toBe(1);
  });
});
