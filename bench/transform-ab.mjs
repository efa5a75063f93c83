#!/usr/bin/env node
// A/B of two builds of the transformer, interleaved in one process, CPU time (user+system) per
// transform, run-time ids and source maps on (what load-time instrumentation does). For deciding
// on a change on a shared, loaded machine, where wall times swing too much.
// Usage: node bench/transform-ab.mjs DIST_A DIST_B [REPS] [maps|nomaps]   (a DIST is a built dist/
// folder inside this repository, so that it resolves oxc-parser: e.g. `npx tsc -p tsconfig.json
// --outDir .ab-old`; `nomaps`: no source map, what load time does for a file without an input map)
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/common.mjs';

const [aDir, bDir, reps = '21', maps = 'maps'] = process.argv.slice(2);
if (!aDir || !bDir) {
  console.error('usage: node bench/transform-ab.mjs DIST_A DIST_B [REPS] [maps|nomaps]');
  process.exit(1);
}
const load = async (dir) => (await import(path.resolve(dir, 'instrument/transform.js'))).transform;
const A = await load(aDir);
const B = await load(bDir);
const files = ['node_modules/lodash/lodash.js', 'node_modules/react-dom/cjs/react-dom-client.development.js'];
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
for (const f of files) {
  const code = fs.readFileSync(path.join(ROOT, f), 'utf8');
  const t = { a: [], b: [] };
  for (let i = 0; i < Number(reps); i++) {
    for (const [k, fn] of i % 2 ? [['b', B], ['a', A]] : [['a', A], ['b', B]]) {
      const t0 = cpuMs();
      const r = fn(code, { filename: f, module: 'cjs', values: true, siteBase: 'runtime', inlineMap: false, sourceMap: maps !== 'nomaps' });
      JSON.stringify(r.map);
      t[k].push(cpuMs() - t0);
    }
  }
  const med = (x) => x.slice(2).sort((p, q) => p - q)[Math.floor((x.length - 2) / 2)];
  console.log(`${process.version} ${maps} ${path.basename(f)}: A ${med(t.a).toFixed(1)} ms, B ${med(t.b).toFixed(1)} ms, B/A ${(med(t.b) / med(t.a)).toFixed(2)}`);
}
