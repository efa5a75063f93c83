import { describe, expect, it } from 'vitest';
import { parseSync } from 'oxc-parser';
import { transform } from '../../src/instrument/transform.js';
import { runCjs, type Event } from './helpers.js';

/** Runs `source` plain and instrumented with write probes; both must export the same `result`. */
function both(source: string, kinds = ['pw', 'pp', 'pd', 'bw']): { result: unknown; log: Event[]; sites: ReturnType<typeof transform>['sites']['sites'] } {
  const plain = runCjs(source, { instrument: false });
  const inst = runCjs(source, { writes: true });
  expect(inst.exports.result).toEqual(plain.exports.result);
  // `module.exports.result = …` is a write too: leave the harness's own out.
  const log = inst.log.filter((e) => kinds.includes(e[0]) && e[2] !== 'result');
  return { result: inst.exports.result, log, sites: inst.result!.sites.sites };
}

const writes = (log: Event[]) => log.map(([kind, , ...rest]) => [kind, ...rest]);

describe('state writes: properties', () => {
  it('records assignments, compound assignments, updates and deletes with the value after the write', () => {
    const { result, log } = both(`
      const o = { n: 1, gone: true };
      const r = [];
      o.a = 1;
      o['b'] = 2;
      o.n += 5;
      r.push(o.n++);
      r.push(++o.n);
      o.x ??= 7;
      o.x ??= 8;
      delete o.gone;
      module.exports.result = { o, r };`);
    expect(result).toEqual({ o: { n: 8, a: 1, b: 2, x: 7 }, r: [6, 8] });
    expect(writes(log)).toEqual([
      ['pw', 'a', 1],
      ['pw', 'b', 2],
      ['pw', 'n', 6],
      ['pw', 'n', 7],
      ['pw', 'n', 8],
      ['pw', 'x', 7],
      ['pw', 'x', 7],
      ['pd', 'gone', true],
    ]);
  });

  it('evaluates the target, the key and the value once each, in the original order', () => {
    const { result, log } = both(`
      const seen = [];
      const o = {};
      const target = () => (seen.push('target'), o);
      const key = () => (seen.push('key'), 'k');
      const value = () => (seen.push('value'), 42);
      target()[key()] = value();
      target().p = value();
      delete target()[key()];
      module.exports.result = { seen, o };`);
    expect(result).toEqual({ seen: ['target', 'key', 'value', 'target', 'value', 'target', 'key'], o: { p: 42 } });
    expect(writes(log)).toEqual([['pw', 'k', 42], ['pw', 'p', 42], ['pd', 'k', true]]);
  });

  it('records nested writes innermost first and keeps chained assignment values', () => {
    const { result, log } = both(`
      const a = {}, b = {};
      a.x = b.y = 3;
      a[(b.k = 'z')] = (a.w = 1) + 1;
      module.exports.result = { a, b };`);
    expect(result).toEqual({ a: { x: 3, w: 1, z: 2 }, b: { y: 3, k: 'z' } });
    expect(writes(log)).toEqual([['pw', 'y', 3], ['pw', 'x', 3], ['pw', 'k', 'z'], ['pw', 'w', 1], ['pw', 'z', 2]]);
  });

  it('calls setters exactly once and leaves super writes working', () => {
    const { result } = both(`
      let calls = 0;
      class A { set v(x) { calls++; this._v = x; } }
      class B extends A { m() { super.v = 5; return this._v; } }
      const b = new B();
      b.v = 1;
      module.exports.result = { calls, fromSuper: b.m(), after: calls };`);
    expect(result).toEqual({ calls: 1, fromSuper: 5, after: 2 });
  });

  it('records private field writes with the new value, also for postfix updates', () => {
    const { result, log } = both(`
      class C { #n = 0; #big = 1n; bump() { const old = this.#n++; this.#big--; this.#n = this.#n + 10; return [old, this.#n, String(this.#big)]; } }
      module.exports.result = new C().bump();`);
    expect(result).toEqual([0, 11, '0']);
    expect(writes(log)).toEqual([['pp', '#n', 1], ['pp', '#big', 0n], ['pp', '#n', 11]]);
  });
});

describe('state writes: bindings', () => {
  it('records module-level and closure bindings, not a function’s own locals', () => {
    const { result, log, sites } = both(`
      let count = 0;
      function inc() { let local = 0; local++; local = 5; count++; return count; }
      function counter() { let n = 0; return () => { n += 1; return n; }; }
      const next = counter();
      inc(); inc();
      const first = next(), second = next();
      const old = count++;
      module.exports.result = { count, first, second, old };`);
    expect(result).toEqual({ count: 3, first: 1, second: 2, old: 2 });
    expect(writes(log)).toEqual([['bw', 1], ['bw', 2], ['bw', 1], ['bw', 2], ['bw', 3]]);
    const targets = sites.filter((s) => s.kind === 'write' && s.target !== 'module.exports.result').map((s) => [s.target, s.binding]);
    expect(targets).toEqual([['count', true], ['n', true], ['count', true]]);
  });

  it('keeps name inference, const errors and block-scoped loop variables as they were', () => {
    const { result, log } = both(`
      let f;
      f = function () {};
      const o = {};
      o.g = () => {};
      const k = 1;
      let error;
      try { k = 2; } catch (e) { error = e.constructor.name; }
      let sum = 0;
      for (let i = 0; i < 3; i++) sum += i;
      module.exports.result = { f: f.name, g: o.g.name, error, sum };`);
    expect(result).toEqual({ f: 'f', g: '', error: 'TypeError', sum: 3 });
    // f, error and sum×3 are module bindings; i is the loop's own; k's write throws before it is recorded.
    expect(writes(log).filter(([k]) => k === 'bw')).toHaveLength(5);
  });

  it('records writes in static blocks and field initialisers', () => {
    const { result, log } = both(`
      const reg = {};
      class A { static { reg.a = 1; } x = (reg.b = 2); }
      new A();
      module.exports.result = reg;`);
    expect(result).toEqual({ a: 1, b: 2 });
    expect(writes(log)).toEqual([['pw', 'a', 1], ['pw', 'b', 2]]);
  });
});

describe('state writes: Map, Set and array methods', () => {
  it('records mutating method calls with the container after the call, receiver evaluated once', () => {
    const { result, log } = both(`
      let gets = 0;
      const arr = [3, 1];
      const box = { get arr() { gets++; return arr; } };
      const m = new Map();
      const s = new Set();
      const custom = { push(x) { return 'custom ' + x; } };
      const r = [box.arr.push(2), box.arr.sort(), m.set('k', 1).size, s.add(1).add(2).size, m.delete('k'), custom.push(9), arr.map((x) => x * 2)];
      module.exports.result = { r, gets, arr };`, ['mu']);
    expect(result).toEqual({ r: [3, [1, 2, 3], 1, 2, true, 'custom 9', [2, 4, 6]], gets: 2, arr: [1, 2, 3] });
    // The fake probe logs every call of a mutator name; the real one records only Map/Set/array receivers.
    expect(writes(log)).toEqual([
      ['mu', 'push', [3, 1, 2]],
      ['mu', 'sort', [1, 2, 3]],
      ['mu', 'set', [['k', 1]]],
      ['mu', 'add', [1]],
      ['mu', 'add', [1, 2]],
      ['mu', 'delete', []],
      ['mu', 'push', 'other'],
    ]);
  });
});

describe('state writes: TypeScript and output shape', () => {
  it('instruments writes through TS wrappers and keeps the output parseable', () => {
    const src = 'const o: any = {};\n(o as any).x = 1;\no!.y = 2;\n(<any>o).z ??= 3;\nexport {};\n';
    const r = transform(src, { filename: '/virtual/w.ts', siteBase: 0, values: true, module: 'esm', probesImport: 'file:///p.mjs' });
    expect(parseSync('out.ts', r.code).errors).toEqual([]);
    expect(r.sites.sites.filter((s) => s.kind === 'write').map((s) => [s.target, s.line])).toEqual([['o.x', 2], ['o.y', 3], ['o.z', 4]]);
    expect(r.code.split('\n').slice(0, 4).every((l, i) => l.includes(['o:', '.x', '.y', '.z'][i]!))).toBe(true);
  });
});

describe('state writes: automatic semicolon insertion', () => {
  it('keeps statements apart when the line before has no semicolon', () => {
    const { result, log } = both(
      [
        'const o = {}, arr = [], m = new Map()',
        'let n = 0',
        'var c = "\\uFEFF"',
        'o.x = c.length',
        'const list = [1, 2]',
        'arr.push(...list)',
        'const k = "a"',
        '++o.x',
        'const j = 2',
        'n++',
        'const v = `t`',
        'm.set(v, n)',
        'module.exports.result = { o, arr, n, m: [...m] }',
      ].join('\n'),
      ['pw', 'bw', 'mu'],
    );
    expect(result).toEqual({ o: { x: 2 }, arr: [1, 2], n: 1, m: [['t', 1]] });
    expect(writes(log).map(([k]) => k)).toEqual(['pw', 'mu', 'pw', 'bw', 'mu']);
  });
});

describe('state writes: temporaries', () => {
  it('declares the temporary a used postfix update of a binding needs, in functions and at module level', () => {
    const { result } = both(`
      let id = 0;
      const next = () => id++;
      function twice() { return [next(), id++]; }
      const top = id++;
      module.exports.result = [top, ...twice(), id];`);
    expect(result).toEqual([0, 1, 2, 3]);
  });
});
