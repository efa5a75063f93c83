// Times one transformer on one file, in a fresh process: `node transform-child.mjs ours|ours-runtime|istanbul FILE REPS`.
// Both produce a source map object. Prints BENCH_RESULT {ms: [...per rep], bytes, outBytes}.
// BENCH_CLOCK=cpu measures CPU time instead of wall time.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ROOT } from './common.mjs';

const [which, file, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 3);
const code = fs.readFileSync(file, 'utf8');
const require = createRequire(import.meta.url);

let once;
if (which === 'istanbul') {
  const { createInstrumenter } = require('istanbul-lib-instrument');
  const inst = createInstrumenter({ produceSourceMap: true, esModules: false, compact: false });
  once = () => {
    const out = inst.instrumentSync(code, file);
    const map = inst.lastSourceMap();
    return out.length + JSON.stringify(map).length;
  };
} else {
  const { transform } = await import(`${ROOT}dist/instrument/transform.js`);
  const siteBase = which === 'ours-runtime' ? 'runtime' : 0;
  once = () => {
    // The map as an object, as istanbul's lastSourceMap() gives it (an inline base64 copy is a
    // packaging choice, not part of transforming).
    const r = transform(code, { filename: file, module: 'cjs', values: true, siteBase, inlineMap: false });
    return r.code.length + JSON.stringify(r.map).length;
  };
}
// BENCH_CLOCK=cpu: user+system CPU time (GC threads included) instead of wall time, for a loaded machine.
const cpu = process.env.BENCH_CLOCK === 'cpu';
const now = () => {
  if (!cpu) return performance.now();
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const ms = [];
let outBytes = 0;
for (let i = 0; i < reps; i++) {
  const t0 = now();
  outBytes = once();
  ms.push(now() - t0);
}
console.log(`BENCH_RESULT ${JSON.stringify({ ms, bytes: Buffer.byteLength(code), outBytes })}`);
