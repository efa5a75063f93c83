#!/usr/bin/env node
// Cost of reading a thrown error's stack for the recording (docs/adr/0016-error-stacks.md), old
// way against new, interleaved in one process, CPU time per error: an error thrown 12 frames deep,
// its stack read once. Old: `err.stack` through Node's formatter (formats and keeps the text). New:
// V8's call sites through a temporary Error.prepareStackTrace that throws, text built from them.
// Second line: the program's own `err.stack` (Node's formatter) with and without the wrapper that
// maps columns of instrumented frames (src/runtime/stack-columns.ts), this file's frames looked up.
// Usage: node bench/throw-probe.mjs [ROUNDS]
import { stackOf } from '../dist/runtime/error-stack.js';
import { addShifts, mapStackColumns } from '../dist/runtime/stack-columns.js';
import { fileURLToPath } from 'node:url';

const rounds = Number(process.argv[2] ?? 15);
const N = 2000;
function deep(n) {
  if (n === 0) throw new Error('deep');
  return deep(n - 1) + 1;
}
function fresh() {
  try {
    deep(12);
  } catch (e) {
    return e;
  }
}
const stackGetter = Object.getOwnPropertyDescriptor(new Error(), 'stack')?.get;
const old = (e) => {
  const d = Object.getOwnPropertyDescriptor(e, 'stack');
  return 'value' in d ? d.value : Reflect.apply(stackGetter, e, []);
};
const neu = (e) => stackOf(e, 'Error: deep');
const cpuUs = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
const run = (read) => {
  const errors = Array.from({ length: N }, fresh);
  const t0 = cpuUs();
  let n = 0;
  for (const e of errors) n += read(e).length;
  if (n === 0) throw new Error('nothing read');
  return (cpuUs() - t0) / N;
};
const t = { old: [], neu: [] };
for (let i = 0; i < rounds; i++) {
  for (const k of i % 2 ? ['neu', 'old'] : ['old', 'neu']) t[k].push(run(k === 'old' ? old : neu));
}
const med = (x) => x.slice(2).sort((a, b) => a - b)[Math.floor((x.length - 2) / 2)];
console.log(`${process.version} per error: Node's formatter ${med(t.old).toFixed(2)} µs, call sites ${med(t.neu).toFixed(2)} µs, new/old ${(med(t.neu) / med(t.old)).toFixed(2)}`);

const node = Error.prepareStackTrace;
mapStackColumns();
const wrapped = Error.prepareStackTrace;
addShifts(() => ['/not/this/file.js', [1, 0, 10]]);
const formatWith = (fn) => () => {
  Error.prepareStackTrace = fn;
  return (e) => e.stack;
};
const f = { node: [], wrapped: [] };
for (let i = 0; i < rounds; i++) {
  for (const k of i % 2 ? ['wrapped', 'node'] : ['node', 'wrapped']) f[k].push(run(formatWith(k === 'node' ? node : wrapped)()));
}
console.log(`${process.version} err.stack, no frame instrumented: Node's formatter ${med(f.node).toFixed(2)} µs, with column mapping ${med(f.wrapped).toFixed(2)} µs, ratio ${(med(f.wrapped) / med(f.node)).toFixed(2)}`);
// Now this file counts as instrumented (a shift on its first line): every frame of `deep` is looked up and rewritten.
addShifts(() => [fileURLToPath(import.meta.url), [1, 0, 10]]);
f.node = [];
f.wrapped = [];
for (let i = 0; i < rounds; i++) {
  for (const k of i % 2 ? ['wrapped', 'node'] : ['node', 'wrapped']) f[k].push(run(formatWith(k === 'node' ? node : wrapped)()));
}
Error.prepareStackTrace = node;
console.log(`${process.version} err.stack, 13 frames instrumented: Node's formatter ${med(f.node).toFixed(2)} µs, with column mapping ${med(f.wrapped).toFixed(2)} µs, ratio ${(med(f.wrapped) / med(f.node)).toFixed(2)}`);
