#!/usr/bin/env node
// Cost of the recorder's Function.prototype.toString on an uninstrumented function: native vs the
// replacement (src/runtime/function-source.ts), interleaved in one process. After `npm run build`.
import { fileURLToPath } from 'node:url';

const native = Function.prototype.toString;
const f = function sample(a, b) {
  return a + b;
};
const { installFunctionSources } = await import(fileURLToPath(new URL('../dist/runtime/function-source.js', import.meta.url)));
installFunctionSources();
const patched = Function.prototype.toString;
const N = 200_000;
const time = (ts) => {
  const t0 = performance.now();
  let n = 0;
  for (let i = 0; i < N; i++) n += ts.call(f).length;
  if (n === 0) throw new Error('unreachable');
  return performance.now() - t0;
};
const r = { native: [], patched: [] };
for (let k = 0; k < 11; k++) {
  r.native.push(time(native));
  r.patched.push(time(patched));
}
const med = (x) => x.sort((a, b) => a - b)[5];
const ns = (ms) => ((ms * 1e6) / N).toFixed(0);
console.log(`${process.version} ns/call: native ${ns(med(r.native))}, replacement ${ns(med(r.patched))}, ratio ${(med(r.patched) / med(r.native)).toFixed(2)}`);
