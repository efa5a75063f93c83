#!/usr/bin/env node
// Summarises a .cpuprofile: self time by function (and, with --by-file, by file), top N.
// Usage: node bench/lib/profile-summary.mjs FILE.cpuprofile [N] [--by-file]
import fs from 'node:fs';

const [file, nArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const byFile = process.argv.includes('--by-file');
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const self = new Map();
for (const node of prof.nodes) {
  const cf = node.callFrame;
  const url = cf.url.replace(/^file:\/\/.*\/(node_modules|dist|bench)\//, '$1/');
  const key = byFile ? url || '(native)' : `${cf.functionName || '(anonymous)'}  ${url}:${cf.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
}
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg ?? 25));
console.log(`total ${(total / 1000).toFixed(0)} ms`);
for (const [k, us] of top) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
