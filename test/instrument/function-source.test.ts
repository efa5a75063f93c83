/** Under `cinema record`, `fn.toString()` of instrumented functions and classes gives the original text. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { node, record, tempDir } from '../helpers.js';

const body = `
function add(a, b = () => 1) {
  const o = {}; o.x = a; delete o.x;
  return a + b();
}
class Cart {
  static make() { return new Cart(); }
  #items = [];
  add(item) { this.#items.push(item); return this; }
  get size() { return this.#items.length; }
  static async *rows() { yield* [1]; }
}
const arrow = (x) => x * 2;
const paren = (x) => (x);
const obj = { async m() { await null; }, *g() { yield 1; }, ['k' + 1]: function () { return 1; } };
async function* ag() { for await (const x of [1]) yield x; }
const fns = [add, Cart, Cart.make, Cart.rows, Cart.prototype.add, Object.getOwnPropertyDescriptor(Cart.prototype, 'size').get,
  arrow, paren, obj.m, obj.g, obj.k1, ag, Math.max, function () {}.bind(null), class {}, new Function('a', 'return a')];
for (const f of fns) console.log(JSON.stringify(f.toString()));
const ts = Function.prototype.toString;
console.log(ts.toString(), ts.name, ts.length, 'prototype' in ts, JSON.stringify(Object.getOwnPropertyDescriptor(Function.prototype, 'toString')));
console.log(ts.toString.toString(), String(ts), Function.prototype.toString.call(ts));
try { ts.call({}); } catch (e) { console.log(e.constructor.name, e.message, JSON.stringify(e.stack.split('\\n').slice(0, 3))); }
try { new ts(); } catch (e) { console.log(e.constructor.name, e.message); }
`;

function run(file: string, source: string): { plain: string; recorded: string } {
  const dir = tempDir('cinema-tostring-');
  const abs = path.join(dir, file);
  fs.writeFileSync(abs, source);
  const plain = node([abs]);
  const rec = record(['node', abs]);
  expect(rec.code).toBe(0);
  return { plain: plain.stdout, recorded: rec.stdout };
}

describe('fn.toString() under recording', () => {
  it('gives the original text of functions, methods, accessors, arrows, classes (CommonJS)', () => {
    const { plain, recorded } = run('prog.js', `'use strict';${body}`);
    expect(plain).toContain('"function add(a, b = () => 1) {\\n  const o = {}; o.x = a; delete o.x;\\n  return a + b();\\n}"');
    expect(plain).toContain('function toString() { [native code] } toString 0 false');
    expect(recorded).toBe(plain);
  });

  it('does so in ES modules', () => {
    const { plain, recorded } = run('prog.mjs', body);
    expect(plain).toContain('"async *rows() { yield* [1]; }"');
    expect(recorded).toBe(plain);
  });

  it('keeps the instrumented text when the file changed after it was loaded', () => {
    const dir = tempDir('cinema-tostring-');
    const abs = path.join(dir, 'changes.js');
    fs.writeFileSync(abs, `function f() { return 1; }\nrequire('fs').appendFileSync(__filename, '// changed\\n');\nconsole.log(f.toString());\n`);
    const rec = record(['node', abs]);
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(/^function f\(\) \{.*__ec.*return/);
  });
});
