/** Transformed code must behave exactly like the original, and emit the expected events. */
import { describe, expect, test } from 'vitest';
import { kinds, runCjs, runEsm } from './helpers.js';

/** Runs the snippet original and instrumented; `module.exports.run()` results must agree. */
function same(source: string, values = false) {
  const original = runCjs(source, { instrument: false });
  const instrumented = runCjs(source, { values });
  const a = (original.exports.run as () => unknown)();
  const b = (instrumented.exports.run as () => unknown)();
  expect(b).toEqual(a);
  return { value: b, log: instrumented.log, sites: instrumented.result!.sites.sites };
}

describe('events', () => {
  test('recursive fib(10): 177 calls and 177 exits', () => {
    const src = 'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nmodule.exports.run = () => fib(10);';
    for (const values of [false, true]) {
      const { value, log, sites } = same(src, values);
      expect(value).toBe(55);
      const fibId = sites.findIndex((s) => s.name === 'fib');
      const calls = log.filter((e) => (e[0] === 'c' || e[0] === 'cv') && e[1] === fibId);
      const exits = log.filter((e) => (e[0] === 'x' || e[0] === 'xv') && e[1] === fibId);
      expect(calls).toHaveLength(177);
      expect(exits).toHaveLength(177);
      if (values) {
        expect(log.find((e) => e[0] === 'cv' && e[1] === fibId)).toEqual(['cv', fibId, 1, 10]);
        expect(log.filter((e) => e[0] === 'xv' && e[1] === fibId).at(-1)).toEqual(['xv', fibId, 55]);
      }
    }
  });

  test('a throw gives u (no value) and no x; the catch that receives it records the value', () => {
    const src = `function boom(x) { throw new Error('no ' + x); }
function safe() { try { boom(1); } catch (e) { return e.message; } }
module.exports.run = safe;`;
    const { value, log, sites } = same(src, true);
    expect(value).toBe('no 1');
    expect(sites[2]).toMatchObject({ kind: 'catch', name: 'safe', line: 2, column: 35 });
    expect(kinds(log)).toBe('cv1 cv0 u0 k2 xv1');
    expect((log[3]![2] as Error).message).toBe('no 1');
    // Without values: no catch probe, the throw still recorded.
    expect(kinds(same(src, false).log)).toBe('c1 c0 u0 x1');
  });

  test('frames without a catch: finally over a return, break out of a finally, catch without binding', () => {
    const src = `function over() { try { return 1; } finally { throw new Error('late'); } }
function keep() { try { return 2; } finally { void 0; } }
function cancel() { for (;;) { try { return 3; } finally { break; } } return 4; }
function swallow() { for (;;) { try { throw 5; } finally { break; } } }
function nobind() { try { over(); } catch { return 'caught'; } }
function pattern() { try { throw { code: 6 }; } catch ({ code }) { return code; } }
function fall(a) { if (a) return; }
module.exports.run = () => [nobind(), keep(), cancel(), swallow(), pattern(), fall(0), fall(1)];`;
    const { value, log, sites } = same(src, true);
    expect(value).toEqual(['caught', 2, 4, undefined, 6, undefined, undefined]);
    const id = (name: string) => sites.findIndex((s) => s.kind === 'function' && s.name === name);
    const exits = (name: string) => log.filter((e) => ['u', 'xv'].includes(e[0] as string) && e[1] === id(name)).map((e) => (e[0] === 'u' ? 'throw' : e[2]));
    expect(exits('over')).toEqual(['throw']);
    expect(exits('keep')).toEqual([2]);
    expect(exits('cancel')).toEqual([4]);
    expect(exits('swallow')).toEqual([undefined]);
    expect(exits('pattern')).toEqual([6]);
    expect(exits('fall')).toEqual([undefined, undefined]);
    // nobind's clause gets a binding for the probe; the destructuring clause its own inner catch.
    const caught = log.filter((e) => e[0] === 'k').map((e) => [sites[e[1] as number]!.name, e[2] instanceof Error ? e[2].message : e[2]]);
    expect(caught).toEqual([['nobind', 'late'], ['pattern', { code: 6 }]]);
  });

  test('destructuring catch clauses: value recorded, pattern, scope and control flow unchanged', () => {
    const src = `function defaults() { try { throw {}; } catch ({ code = (() => 'dflt')(), list: [first] = [1] }) { return [code, first]; } }
function flow(n) { const out = []; for (let i = 0; i < n; i++) { try { throw [i, i * 2]; } catch ([a, b]) { if (a === 1) continue; if (a === 3) break; out.push(b); } finally { out.push('f' + i); } } return out; }
function rethrow() { try { try { throw { msg: 'inner' }; } catch ({ msg }) { throw new Error(msg + '!'); } } catch (e) { return e.message; } }
function* gen() { try { throw { v: 1 }; } catch ({ v }) { yield v; yield v + 1; } }
function closure() { let get; try { throw { x: 7 }; } catch ({ x }) { get = () => x; x = 8; } return get(); }
function annexB() { try { throw { y: 1 }; } catch ({ y }) { eval('var y2 = y + 1'); return y2; } }
module.exports.run = () => [defaults(), flow(5), rethrow(), [...gen()], closure(), annexB()];`;
    const { value, log, sites } = same(src, true);
    expect(value).toEqual([['dflt', 1], [0, 'f0', 'f1', 4, 'f2', 'f3'], 'inner!', [1, 2], 8, 2]);
    const caught = log.filter((e) => e[0] === 'k').map((e) => [sites[e[1] as number]!.name, e[2] instanceof Error ? e[2].message : e[2]]);
    expect(caught).toEqual([
      ['defaults', {}],
      ['flow', [0, 0]],
      ['flow', [1, 2]],
      ['flow', [2, 4]],
      ['flow', [3, 6]],
      ['rethrow', { msg: 'inner' }],
      ['rethrow', 'inner!'],
      ['gen', { v: 1 }],
      ['closure', { x: 7 }],
      ['annexB', { y: 1 }],
    ]);
    // The arrow in the pattern's default is instrumented where it stands.
    expect(sites.some((s) => s.kind === 'function' && s.name === '<anonymous>')).toBe(true);
  });

  test('generators: a throw, an early return() and a return value', () => {
    const src = `function* g(n) { yield 1; if (n) throw new Error('gen ' + n); return 'end'; }
module.exports.run = () => {
  const out = [];
  for (const v of g(0)) { out.push(v); break; }
  out.push([...g(0)].length);
  try { [...g(2)]; } catch (e) { out.push(e.message); }
  return out;
};`;
    const { value, log, sites } = same(src, true);
    expect(value).toEqual([1, 1, 'gen 2']);
    const g = sites.findIndex((s) => s.name === 'g' && s.kind === 'function');
    expect(log.filter((e) => ['u', 'xv'].includes(e[0] as string) && e[1] === g).map((e) => (e[0] === 'u' ? 'throw' : e[2]))).toEqual([undefined, 'end', 'throw']);
  });

  test('values: params flattened, >4 params use cn, bare return gives undefined', () => {
    const src = `function f(a, { b, c: [d] } = { b: 2, c: [3] }, ...rest) { return a + b + d + rest.length; }
function g(a, b, c, d, e) { if (a) return; return e; }
module.exports.run = () => [f(1), f(1, { b: 5, c: [6] }, 7, 8), g(0, 1, 2, 3, 4), g(1)];`;
    const { value, log } = same(src, true);
    expect(value).toEqual([6, 14, 4, undefined]);
    expect(log).toContainEqual(['cv', 0, 4, 1, 2, 3, []]);
    expect(log).toContainEqual(['cv', 0, 4, 1, 5, 6, [7, 8]]);
    expect(log).toContainEqual(['cn', 1, [0, 1, 2, 3, 4]]);
    expect(log).toContainEqual(['xv', 1, 4]);
    expect(log.at(-2)).toEqual(['xv', 1, undefined]);
  });

  test('concise arrows, nested arrows, return of an arrow', () => {
    const src = `const add = (a) => (b) => a + b;
function mk() { return x => x * 2 }
module.exports.run = () => [add(1)(2), mk()(4), [1, 2].map((v) => ({ v }))];`;
    const { value, sites } = same(src, true);
    expect(value).toEqual([3, 8, [{ v: 1 }, { v: 2 }]]);
    expect(sites.map((s) => s.name)).toEqual(['add', '<anonymous>', 'mk', '<anonymous>', 'module.exports.run', '<anonymous>']);
  });
});

describe('transparency', () => {
  test('this, arguments aliasing, new.target, fn.length and fn.name', () => {
    const src = `function F(a, b = 1) { this.args = arguments.length; a = 5; this.alias = arguments[0]; this.nt = new.target === F; }
const o = { m() { return this; }, get g() { return 'G'; }, set s(v) { this._s = v; } };
function sloppy(x) { arguments[0] = 9; return x; }
module.exports.run = () => { const f = new F(1, 2, 3); o.s = 4;
  return [f.args, f.alias, f.nt, F.length, F.name, o.m() === o, o.g, o._s, sloppy(1), F(0) === undefined]; };`;
    const { value } = same(src);
    // b has a default, so arguments is unmapped in F; sloppy() has simple params, so it is mapped.
    expect(value).toEqual([3, 1, true, 1, 'F', true, 'G', 4, 9, true]);
  });

  test('classes: derived constructors, super, private, static, getters, fields with arrows', () => {
    const src = `class Base { constructor(x) { this.x = x; } who() { return 'base'; } static make() { return new this(1); } }
class Cart extends Base {
  #items = []; total = () => this.#items.length;
  constructor(x) { const y = x + 1; super(y); this.y = y; }
  who() { return 'cart<' + super.who(); }
  #add(i) { this.#items.push(i); return this; }
  add(i) { return this.#add(i); }
  get count() { return this.#items.length; }
  set count(v) { this.#items.length = v; }
  static create() { return super.make(); }
}
const obj = { __proto__: { hi() { return 'proto'; } }, hi() { return 'obj>' + super.hi(); } };
module.exports.run = () => { const c = new Cart(1); c.add(1).add(2); const n = c.count; c.count = 1;
  return [c.x, c.y, c.who(), n, c.count, c.total(), Cart.create() instanceof Cart, obj.hi()]; };`;
    const { value, sites } = same(src, true);
    expect(value).toEqual([2, 2, 'cart<base', 2, 1, 1, true, 'obj>proto']);
    const names = sites.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['Base.constructor', 'Base.make', 'Cart.total', 'Cart.#add', 'get Cart.count', 'set Cart.count', 'Cart.create', 'hi']),
    );
  });

  test('generators yield the same sequence and log s/w with the entry token', () => {
    const src = `function* gen(n) { const got = yield n; yield* [got, got + 1]; yield; return 'done'; }
module.exports.run = () => { const g = gen(1); const out = [g.next(), g.next(10), g.next(), g.next(), g.next(), g.next()]; return out; };`;
    const { value, log, sites } = same(src, true);
    expect(value).toEqual([
      { value: 1, done: false }, { value: 10, done: false }, { value: 11, done: false },
      { value: undefined, done: false }, { value: 'done', done: true }, { value: undefined, done: true },
    ]);
    expect(sites.map((s) => s.kind)).toEqual(['function', 'yield', 'yield', 'yield', 'function']);
    const token = log.findIndex((e) => e[0] === 'cv' && e[1] === 0);
    const suspends = log.filter((e) => e[0] === 'w');
    expect(suspends.length).toBe(3);
    for (const w of suspends) expect(w[2]).toBe(token);
    expect(log).toContainEqual(['xv', 0, 'done']);
  });

  test('sloppy Annex B cases keep working: var + function of the same name, duplicates', () => {
    const src = `function a() { var f = 1; function f() { return 2; } return typeof f; }
function b() { return g(); function g() { return 'first'; } function g() { return 'second'; } }
function c(h) { function h() {} return typeof arguments[0]; }
function d() { return inner(); function inner() { return 'hoisted'; } }
module.exports.run = () => [a(), b(), c(1), d()];`;
    const { value, sites } = same(src);
    expect(value).toEqual(['number', 'second', 'function', 'hoisted']);
    // a, b, c are left uninstrumented (their hoisting would change); d and everything nested are instrumented.
    expect(sites.map((s) => s.name)).toEqual(['f', 'g', 'g', 'h', 'd', 'inner', 'module.exports.run']);
  });

  test('labels, eval, strict mode and directives', () => {
    const src = `'use strict';
function strictThis() { return this; }
function lab() { let n = 0; outer: for (let i = 0; i < 3; i++) { for (;;) { n++; continue outer; } } return n; }
function ev(x) { return eval('x + 1'); }
function dir() { 'use strict'; return (function () { return this; })(); }
module.exports.run = () => [strictThis(), lab(), ev(1), dir()];`;
    expect(same(src, true).value).toEqual([undefined, 3, 2, undefined]);
  });

  test('error.stack line numbers are unchanged', () => {
    const src = `function thrower() {
  return new Error('here');
}
module.exports.run = () => /:(\\d+):\\d+\\)?$/m.exec(thrower().stack.split('\\n')[1])[1];`;
    expect(same(src).value).toBe('2');
  });

  test('return without semicolon before a parenthesised line, bare yield statements', () => {
    const src = `function r(x) { if (x) return
(x)
return 'b' }
function* y() { yield
[1] }
module.exports.run = () => [r(1), r(0), [...y()]];`;
    expect(same(src, true).value).toEqual([undefined, 'b', [undefined]]);
  });

  test('yield and await written against their parenthesised operand: `yield(x)`, `await(x)`', () => {
    const src = `function* y(a) { const b = yield(a); yield(b * 2); return(b) }
module.exports.run = () => { const g = y(1); return [g.next().value, g.next(5).value, g.next().value]; };`;
    expect(same(src, true).value).toEqual([1, 10, 5]);
  });
});

describe('async (esm, child process)', () => {
  test('awaits give s/w pairs with the entry token; results and rejections are unchanged', () => {
    const files = {
      'main.mjs': `import { hoisted } from './cycle.mjs';
export async function work(x) { const a = await(x); const b = await Promise.resolve(a + 1); return b * 2; }
const failing = async () => { await null; throw new Error('nope'); };
async function* agen() { yield 1; const v = await 2; yield v; }
export function fromMain() { return 'main'; }
export default async function main() {
  const r = await work(1);
  let err; try { await failing(); } catch (e) { err = e.message; }
  const seq = []; for await (const v of agen()) seq.push(v);
  return [r, err, seq, hoisted()];
}`,
      'cycle.mjs': `import { fromMain } from './main.mjs';
export function hoisted() { return fromMain(); }`,
    };
    const original = runEsm(files, 'main.mjs', { instrument: false });
    const instrumented = runEsm(files, 'main.mjs', { values: true });
    expect(original.result).toEqual([4, 'nope', [1, 2], 'main']);
    expect(instrumented.result).toEqual(original.result);
    const log = instrumented.log;
    // work is site 0; its awaits are sites 1 and 2.
    const entry = log.findIndex((e) => e[0] === 'cv' && e[1] === 0);
    expect(log[entry]).toEqual(['cv', 0, 1, 1]);
    const awaits = log.filter((e) => (e[0] === 's' || e[0] === 'w') && (e[1] === 1 || e[1] === 2));
    expect(awaits).toEqual([['s', 1], ['w', 1, entry], ['s', 2], ['w', 2, entry]]);
    expect(log).toContainEqual(['xv', 0, 4]);
    expect(log).toContainEqual(['t', 3, 'Error: nope']);
  });
});
