#!/usr/bin/env node
// Transform CPU time, interleaved in one process: an inline source map (what every load-time
// transform would pay to have Node map columns) against column shifts only (what it does now,
// docs/adr/0016-error-stacks.md). Usage: node bench/shifts-vs-map.mjs
import fs from 'node:fs';
const { transform } = await import('../dist/instrument/transform.js');
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
for (const f of ['node_modules/lodash/lodash.js', 'node_modules/react-dom/cjs/react-dom-client.development.js']) {
  const code = fs.readFileSync(new URL('../' + f, import.meta.url), 'utf8');
  const t = { maps: [], shifts: [] };
  for (let i = 0; i < 31; i++) for (const k of i % 2 ? ['shifts', 'maps'] : ['maps', 'shifts']) {
    const t0 = cpu();
    const r = transform(code, { filename: f, module: 'cjs', values: true, siteBase: 'runtime', sourceMap: k === 'maps' });
    t[k].push(cpu() - t0);
  }
  const med = (x) => x.slice(2).sort((p, q) => p - q)[Math.floor((x.length - 2) / 2)];
  console.log(`${process.version} ${f.split('/').pop()}: inline map ${med(t.maps).toFixed(1)} ms, shifts only ${med(t.shifts).toFixed(1)} ms, shifts/map ${(med(t.shifts) / med(t.maps)).toFixed(2)}`);
}
