/** `siteBase: 'runtime'`: site tables registered through `load` at run time, no-op probes when nothing records. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { describe, expect, test } from 'vitest';
import { PROBES_KEY } from '../../src/format/probes.js';
import { NOOP_PROBES } from '../../src/instrument/runtime-base.js';
import { transform } from '../../src/instrument/transform.js';

const KEY = Symbol.for(PROBES_KEY);
const g = globalThis as Record<symbol, unknown>;

function runtimeCjs(source: string, values = false): string {
  return transform(source, { filename: '/virtual/rt.js', siteBase: 'runtime', values, module: 'cjs' }).code;
}

function evalCjs(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  vm.runInThisContext(`(function (exports, require, module) {${code}\n})`)(module.exports, () => undefined, module);
  return module.exports;
}

describe('run-time site base', () => {
  test('load is called once with the site table; ids are base + k', () => {
    const log: unknown[][] = [];
    const loads: [number, string][] = [];
    g[KEY] = {
      load: (n: number, json: string) => (loads.push([n, json]), 100),
      c: (s: number) => log.push(['c', s]),
      x: (s: number) => void log.push(['x', s]),
      t: (s: number) => void log.push(['t', s]),
    };
    try {
      const ex = evalCjs(runtimeCjs('function f() { return g() }\nfunction g() { return 2 }\nmodule.exports.f = f;'));
      expect((ex.f as () => number)()).toBe(2);
    } finally {
      delete g[KEY];
    }
    expect(loads.length).toBe(1);
    expect(loads[0]![0]).toBe(2);
    const table = JSON.parse(loads[0]![1]) as { file: string; sites: { name: string; line: number }[] };
    expect(table.file).toBe('/virtual/rt.js');
    expect(table.sites.map((s) => `${s.name}:${s.line}`)).toEqual(['f:1', 'g:2']);
    expect(log).toEqual([['c', 100], ['c', 101], ['x', 101], ['x', 100]]);
  });

  test('the site table reaches load intact: quotes, backslashes and line separators in names and paths', () => {
    const file = `/virtual/it's a \\ "dir"\u2028/rt.js`;
    const src = `const o = {}; function f() { o["it's \\\\ \\u2028"] = 1 }\nmodule.exports.f = f;`;
    const loads: string[] = [];
    g[KEY] = { load: (_n: number, json: string) => (loads.push(json), 0), c: () => 0, x() {}, t() {}, pw: (_s: number, _o: unknown, _k: unknown, r: unknown) => r };
    try {
      const code = transform(src, { filename: file, siteBase: 'runtime', values: false, writes: true, module: 'cjs' }).code;
      (evalCjs(code).f as () => void)();
    } finally {
      delete g[KEY];
    }
    const table = JSON.parse(loads[0]!) as { file: string; sites: { kind: string; target?: string }[] };
    expect(table.file).toBe(file);
    expect(table.sites.find((s) => s.kind === 'write')!.target).toBe(`o.it's \\ \u2028`);
  });

  test('without a recorder the code runs as it is, values and generators included', () => {
    expect(g[KEY]).toBeUndefined();
    const src = `function* gen(a) { const b = yield a; return b * 2 }
async function af(x) { return (await x) + 1 }
const o = { n: 0 }; function bump() { o.n++; delete o.m; return o.n }
module.exports = { gen, af, bump, thrower() { throw new RangeError('r') } };`;
    const ex = evalCjs(runtimeCjs(src, true)) as Record<string, (...a: unknown[]) => never>;
    const it = ex.gen!(3) as Generator<number, number, number>;
    expect(it.next().value).toBe(3);
    expect(it.next(5)).toEqual({ value: 10, done: true });
    expect(ex.bump!()).toBe(1);
    expect(() => ex.thrower!()).toThrow(RangeError);
    return expect(ex.af!(Promise.resolve(1))).resolves.toBe(2);
  });

  test('a hoisted function called before its module ran (ES module cycle) initialises the module', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ec-rt-'));
    const files: Record<string, string> = {
      'a.mjs': `import { b } from './b.mjs';\nexport function helper(x) { return x * 2 }\nexport const out = b;\n`,
      'b.mjs': `import { helper } from './a.mjs';\nexport const b = helper(21);\n`,
    };
    for (const [name, src] of Object.entries(files)) {
      const r = transform(src, { filename: join(dir, name), siteBase: 'runtime', values: true, module: 'esm' });
      writeFileSync(join(dir, name), r.code);
    }
    writeFileSync(
      join(dir, 'run.mjs'),
      `const loads = []; let next = 1;
globalThis[Symbol.for(${JSON.stringify(PROBES_KEY)})] = { load: (n, j) => { loads.push(JSON.parse(j).file.split('/').pop()); const b = next; next += n; return b; },
  cv: (s) => (calls.push(s), 0), xv() {}, t() {}, bw: (s, v) => v, pw: (s, o, k, r) => r };
const calls = [];
const m = await import('./a.mjs');
console.log(JSON.stringify({ out: m.out, loads, calls }));`,
    );
    const got = JSON.parse(execFileSync(process.execPath, [join(dir, 'run.mjs')], { encoding: 'utf8' })) as { out: number; loads: string[]; calls: number[] };
    expect(got.out).toBe(42);
    // b runs first and calls into a before a's body ran: a registered itself on that call.
    expect(got.loads).toEqual(['b.mjs', 'a.mjs']);
    expect(got.calls).toEqual([1]);
  });

  test('the no-op probe object has every probe of the contract', () => {
    const text = readFileSync(new URL('../../src/format/probes.ts', import.meta.url), 'utf8');
    const body = text.slice(text.indexOf('export interface Probes'));
    const names = [...body.matchAll(/^ {2}(\w+)(?:<\w+>)?\(/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) expect(NOOP_PROBES, name).toHaveProperty(name!);
  });
});
