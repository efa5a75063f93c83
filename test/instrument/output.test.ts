/** Output shape, site tables, languages, positions and source maps. */
import MagicString from 'magic-string';
import { parseSync } from 'oxc-parser';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { describe, expect, test } from 'vitest';
import { INSTRUMENTED_MARK } from '../../src/format/probes.js';
import { madeFrom, transform, TransformError, type TransformOptions } from '../../src/instrument/transform.js';
import { runCjs } from './helpers.js';

const cjs = (filename: string, extra: Partial<TransformOptions> = {}): TransformOptions => ({
  filename,
  siteBase: 0,
  values: false,
  module: 'cjs',
  ...extra,
});

function reparses(code: string, filename: string): void {
  const r = parseSync(filename, code);
  expect(r.errors.map((e) => e.message)).toEqual([]);
}

describe('prologue and shape', () => {
  test('exact body shape for values=false and values=true', () => {
    const a = transform('function f(a) { return a; }', cjs('/p/a.js', { siteBase: 7 }));
    expect(a.code.split('\n')[0]).toBe(
      `${INSTRUMENTED_MARK}const __ec = globalThis[Symbol.for("execution-cinema")];function f(a) {let __ecR=(__ec.c(7),__ec);try{ return  __ecR=(a); ;__ecR=void 0}finally{__ecR===__ec?__ec.u(7):__ec.x(7)}}`,
    );
    const b = transform('const g = async (a) => await a;', cjs('/p/a.js', { values: true }));
    expect(b.code.split('\n')[0]).toContain(
      'const g = async (a) => {let __ecT=0,__ecR,__ecA=0,__ecI=__ec.cv(0,1,a);try{return __ecR=(__ec.w(1,__ecI,await __ec.s(1,a,__ecA,__ecI,__ecA=1),__ecA=0));}catch(__ecE){__ecT=1;__ecA&&(__ec.w(__ecA,__ecI,void 0),__ecA=0);__ec.t(0,__ecE);throw __ecE}finally{__ecA&&(__ec.w(__ecA,__ecI,void 0),__ecA=0);__ecT||__ec.xv(0,__ecR)}};',
    );
  });

  test('esm prologue imports the probe object', () => {
    const r = transform('export const x = 1;', { ...cjs('/p/a.mjs'), module: 'esm', probesImport: 'file:///probes.js' });
    expect(r.code.startsWith(`${INSTRUMENTED_MARK}import __ec from "file:///probes.js";export const x = 1;`)).toBe(true);
  });

  test('hashbang and directives stay first; line count is unchanged', () => {
    const src = '#!/usr/bin/env node\n"use strict"\n\'use foo\';\nfunction f() {}\n';
    const r = transform(src, cjs('/p/a.js'));
    const lines = r.code.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env node');
    expect(lines[1]).toBe('"use strict"');
    expect(lines[2]!.startsWith(`'use foo';${INSTRUMENTED_MARK}const __ec`)).toBe(true);
    expect(lines.slice(0, 5).length).toBe(src.split('\n').length);
    expect(r.code.split('\n').length - 2).toBe(src.split('\n').length);
    reparses(r.code, 'a.js');
  });

  test('a directive without semicolon gets one before the prologue', () => {
    const src = 'function f() { "use strict"\n return this }\nmodule.exports.run = () => f();';
    const { exports } = runCjs(src);
    expect((exports.run as () => unknown)()).toBeUndefined();
  });

  test('already instrumented → TransformError', () => {
    const once = transform('function f() {}', cjs('/p/a.js')).code;
    expect(() => transform(once, cjs('/p/a.js'))).toThrow(new TransformError('already instrumented'));
  });

  test('parse error → one-line TransformError with position', () => {
    expect(() => transform('let a = 1;\nlet b = ;', cjs('/p/foo.js'))).toThrow(/^cannot parse foo\.js:2:9: Unexpected token$/);
    expect(() => transform('let a = 1;\nlet b = ;', cjs('/p/foo.js'))).toThrow(TransformError);
  });

  test('source containing __ec gets unique names', () => {
    const src = 'const __ec = 1, __ecT = 2; function f() { return __ec + __ecT; }\nmodule.exports.run = f;';
    const { exports, log, result } = runCjs(src);
    expect((exports.run as () => unknown)()).toBe(3);
    expect(result!.code).toContain('const __ec1 = globalThis');
    expect(log.map((e) => e[0])).toEqual(['c', 'x']);
  });

  test('siteBase as a function: called once with the site count, ids offset by its result', () => {
    const src = 'async function f(a) { await a; return () => 1; }';
    const counts: number[] = [];
    const r = transform(src, cjs('/p/a.js', { siteBase: (n) => (counts.push(n), 100) }));
    expect(counts).toEqual([3]);
    expect(r.base).toBe(100);
    const fixed = transform(src, cjs('/p/a.js', { siteBase: 100 }));
    expect(r.code).toBe(fixed.code);
    expect(r.code).toContain('__ec.w(101,__ecI,await __ec.s(101,a,__ecA,__ecI,__ecA=101),__ecA=0)');
    expect(r.code).not.toContain('\u0001');
  });

  test('hash names the original text, whatever the options', () => {
    const a = transform('function f() {}', cjs('/p/a.js')).sites.hash;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(transform('function f() {}', cjs('/p/a.js')).sites.hash).toBe(a);
    expect(transform('function f() {}', cjs('/p/a.js', { values: true })).sites.hash).toBe(a);
    expect(madeFrom('function f() {}', a)).toBe(true);
    expect(transform('function g() {}', cjs('/p/a.js')).sites.hash).not.toBe(a);
  });
});

describe('site table', () => {
  test('names, positions, params, flags', () => {
    const src = [
      'function decl(a, [b, ...c]) {}',
      'const arrow = async ({ d, e: { f } }) => {};',
      'obj.prop = function* () {};',
      'const o = { key() {}, get acc() { return 1; }, "str k": () => 1 };',
      'class Cart { constructor(x) {} static create() {} add() {} get total() { return 1; } set total(v) {} #priv() {} field = () => 1; }',
      'export default function () {}',
      'function withDefault(cb = () => 1) {',
      '}',
    ].join('\n');
    const r = transform(src, { ...cjs('file:///p/s.mjs'), module: 'esm', probesImport: 'x:probes' });
    expect(r.sites.file).toBe('/p/s.mjs');
    const s = r.sites.sites;
    expect(s.map((x) => x.name)).toEqual([
      'decl', 'arrow', 'obj.prop', 'key', 'get acc', 'str k', 'Cart.constructor', 'Cart.create', 'Cart.add',
      'get Cart.total', 'set Cart.total', 'Cart.#priv', 'Cart.field', 'default', 'withDefault', 'cb',
    ]);
    expect(s[0]).toEqual({ kind: 'function', name: 'decl', line: 1, column: 0, endLine: 1, endColumn: 29, params: ['a', 'b', 'c'], async: false, generator: false });
    expect(s[1]).toMatchObject({ line: 2, column: 14, params: ['d', 'f'], async: true, generator: false });
    expect(s[2]).toMatchObject({ line: 3, column: 11, generator: true });
    expect(s[7]).toMatchObject({ line: 5, column: 31 });
    expect(s[14]).toMatchObject({ line: 7, column: 0, endLine: 8 });
  });

  test('non-ASCII source: columns are UTF-16 code units', () => {
    const src = 'const s = "héllo 😀"; function f(a) { return a; }\nconst ü = () => "ß";';
    const r = transform(src, cjs('/p/u.js'));
    expect(r.sites.sites[0]).toMatchObject({ name: 'f', line: 1, column: src.indexOf('function') });
    expect(r.sites.sites[1]).toMatchObject({ name: 'ü', line: 2, column: 10 });
    const { exports } = runCjs(src + '\nmodule.exports.run = () => [s, f(1), ü()];');
    expect((exports.run as () => unknown)()).toEqual(['héllo 😀', 1, 'ß']);
  });

  test('CRLF line endings', () => {
    const src = 'function a() {\r\n  return 1;\r\n}\r\nfunction b() { return 2; }\r\nmodule.exports.run = () => a() + b();\r\n';
    const r = transform(src, cjs('/p/crlf.js'));
    expect(r.sites.sites.map((s) => [s.line, s.column, s.endLine])).toEqual([[1, 0, 3], [4, 0, 4], [5, 21, 5]]);
    expect(r.code.split('\r\n').length).toBe(src.split('\r\n').length);
    expect((runCjs(src).exports.run as () => unknown)()).toBe(3);
  });
});

describe('TypeScript and JSX', () => {
  test('TS: bodiless declarations skipped, parameter properties, generics, satisfies, as, !', () => {
    const src = `declare function ambient(x: number): void;
function over(a: string): string;
function over(a: any): any { return a; }
abstract class Shape<T> {
  abstract area(): number;
  constructor(private readonly id: T, public name?: string) {}
  @log method(this: Shape<T>, @inject() dep: unknown): T { return this.id!; }
}
const cfg = { run: <U,>(u: U): U => u } satisfies Record<string, unknown>;
const n = (() => 1) as () => number;
namespace NS { export function inner(): void {} }
declare namespace Ambient { function nope(): void; }
enum E { A = (() => 1)() }`;
    const r = transform(src, cjs('/p/t.ts', { values: true }));
    reparses(r.code, 't.ts');
    expect(r.sites.sites.map((s) => s.name)).toEqual([
      'over', 'Shape.constructor', 'Shape.method', 'run', 'n', 'inner', '<anonymous>',
    ]);
    expect(r.sites.sites[1]!.params).toEqual(['id', 'name']);
    expect(r.sites.sites[2]!.params).toEqual(['dep']);
  });

  test('TSX and JSX re-parse', () => {
    const tsx = 'export const App = ({ n }: { n: number }) => <div onClick={() => n}>{n}</div>;\nfunction Generic<T,>(p: T) { return <>{String(p)}</>; }';
    const r = transform(tsx, { ...cjs('/p/App.tsx'), module: 'esm', probesImport: 'x:p' });
    reparses(r.code, 'App.tsx');
    expect(r.sites.sites.map((s) => s.name)).toEqual(['App', '<anonymous>', 'Generic']);
    const jsx = transform('const C = () => <a href="x">{[1].map(i => <b key={i} />)}</a>;', cjs('/p/c.jsx', { values: true }));
    reparses(jsx.code, 'c.jsx');
    expect(jsx.sites.sites).toHaveLength(2);
  });
});

describe('source maps', () => {
  test('output map points inserted-line columns back to the original', () => {
    const src = 'function f(a) { return g(a); }\nfunction g(b) { return b; }\n';
    const r = transform(src, cjs('/p/m.js'));
    const out = r.code.split('\n')[0]!;
    const col = out.indexOf('g(a)');
    const pos = originalPositionFor(new TraceMap(r.map as never), { line: 1, column: col });
    expect(pos).toMatchObject({ line: 1, column: src.indexOf('g(a)') });
    expect(r.code).toMatch(/\n\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,[A-Za-z0-9+/=]+\n$/);
  });

  test('inline input map: sites map to the original file and positions; maps compose', () => {
    const original = 'export function orig(x) {\n  return x + 1;\n}\n';
    // A "compiled" version that moved the function down two lines and right by 4 columns.
    const ms = new MagicString(original);
    ms.prepend('// header\n// header2\n');
    ms.appendLeft(0, '    ');
    const compiled = ms.toString();
    const map = ms.generateMap({ source: '../src/orig.ts', hires: true, includeContent: true });
    const withMap = `${compiled}//# sourceMappingURL=data:application/json;base64,${Buffer.from(map.toString()).toString('base64')}\n`;
    const r = transform(withMap, { ...cjs('/p/dist/orig.js'), module: 'esm', probesImport: 'x:p' });
    expect(r.sites.file).toBe('/p/src/orig.ts');
    expect(r.sites.sites[0]).toMatchObject({ name: 'orig', line: 1, column: 7, endLine: 3 });
    expect(r.code.match(/sourceMappingURL/g)).toHaveLength(1);
    const composed = new TraceMap(r.map as never);
    const outLine = r.code.split('\n')[3]!;
    const pos = originalPositionFor(composed, { line: 4, column: outLine.indexOf('x + 1') });
    expect(pos).toMatchObject({ source: expect.stringContaining('orig.ts'), line: 2, column: 9 });
  });

  test('no segments inside comments; code around and between them maps exactly', () => {
    const src = 'function f(a) { /* skip these words */ return a; } // and these\n/**\n * doc words\n */\nconst g = (b) => b + 1;\n';
    const r = transform(src, cjs('/p/c.js'));
    const map = new TraceMap(r.map as never);
    const inComment = (line: number, column: number) => {
      const at = src.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0) + column;
      return [/\/\*[^]*?\*\//g, /\/\/.*$/gm].some((re) => [...src.matchAll(re)].some((m) => at >= m.index! && at < m.index! + m[0].length));
    };
    const mapped: [number, number][] = [];
    for (const [i, line] of (r.map as { mappings: string }).mappings.split(';').entries()) {
      if (!line) continue;
      for (let col = 0; col < (r.code.split('\n')[i] ?? '').length; col++) {
        const o = originalPositionFor(map, { line: i + 1, column: col });
        if (o.line !== null) mapped.push([o.line, o.column]);
      }
    }
    expect(mapped.some(([l, c]) => inComment(l, c))).toBe(false);
    const out = r.code.split('\n');
    expect(originalPositionFor(map, { line: 1, column: out[0]!.indexOf('return ') })).toMatchObject({ line: 1, column: src.indexOf('return a') });
    expect(originalPositionFor(map, { line: 5, column: out[4]!.indexOf('b + 1') })).toMatchObject({ line: 5, column: 'const g = (b) => '.length });
  });

  test('explicit inputSourceMap option wins', () => {
    const ms = new MagicString('function a() {}');
    ms.prepend('\n');
    const map = ms.generateMap({ source: 'a.src.js', hires: true });
    const r = transform(ms.toString(), cjs('/p/a.js', { inputSourceMap: map }));
    expect(r.sites.sites[0]).toMatchObject({ line: 1, column: 0 });
    expect(r.sites.file).toBe('/p/a.src.js');
  });
});

describe('minified returns', () => {
  test('keeps `return{`, `return!0`, `return"x"` and `return-1` working with values', async () => {
    const { runCjs } = await import('./helpers.js');
    const src = 'function a(){return{k:1}}function b(){return!0}function c(){return"x"}function d(){return-1}function e(){return[2]}module.exports.result=[a(),b(),c(),d(),e()];';
    const plain = runCjs(src, { instrument: false });
    const inst = runCjs(src, { values: true });
    expect(inst.exports.result).toEqual(plain.exports.result);
    expect(inst.log.filter((e) => e[0] === 'xv').map((e) => e[2])).toEqual([{ k: 1 }, true, 'x', -1, [2]]);
  });
});

describe('top-level await', () => {
  test('opens a <module> frame only when the module awaits at top level, in both id modes', () => {
    const src = '"use strict";\nimport x from "./x.js";\nconst y = await x;\nexport default y;\n';
    for (const siteBase of [0, 'runtime'] as const) {
      const r = transform(src, { filename: '/virtual/tla.mjs', siteBase, values: false, module: 'esm', probesImport: 'file:///p.mjs' });
      expect(parseSync('out.mjs', r.code).errors).toEqual([]);
      expect(r.sites.sites.map((s) => [s.kind, s.name, s.line])).toEqual([['function', '<module>', 1], ['await', '<module>', 3]]);
      // The directive stays first; the frame opens after it.
      expect(r.code.startsWith('"use strict";')).toBe(true);
    }
    const plain = transform('const f = async () => { await 1; };\n', { filename: '/virtual/no-tla.mjs', siteBase: 0, values: false, module: 'esm', probesImport: 'file:///p.mjs' });
    expect(plain.sites.sites.map((s) => s.name)).not.toContain('<module>');
  });
});
