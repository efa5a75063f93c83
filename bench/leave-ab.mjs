#!/usr/bin/env node
// A/B of two builds of the whole recorder on recorded workloads, interleaved (the order alternates
// each round), wall time of the timed loop inside the process. For changes to the templates and
// probes (ADR 0020: how instrumented frames leave).
// Usage: node bench/leave-ab.mjs ROOT_A ROOT_B [ROUNDS]   (a ROOT is a built checkout: bin/ + dist/;
// e.g. `git archive BASE | tar -x -C /tmp/a && ln -s $PWD/node_modules /tmp/a && (cd /tmp/a && npx tsc -p tsconfig.json)`)
import path from 'node:path';
import { BENCH, INSTRUMENT_ALL, fmt, freshDir, median, parseResult, removeDir, run } from './lib/common.mjs';

const [aRoot, bRoot, rounds = '5'] = process.argv.slice(2);
if (!aRoot || !bRoot) {
  console.error('usage: node bench/leave-ab.mjs ROOT_A ROOT_B [ROUNDS]');
  process.exit(1);
}
const cases = [
  { name: 'calls.mjs uniform, 5M calls, --no-values', file: 'calls.mjs', env: { BENCH_CALLS: '5000000' }, args: ['--no-values'], per: 5e6 },
  { name: 'calls.mjs uniform, 5M calls, values', file: 'calls.mjs', env: { BENCH_CALLS: '5000000' }, args: [], per: 5e6 },
  { name: 'fib(27), values', file: 'fib.mjs', env: { BENCH_FIB: '27', BENCH_ITERS: '3' }, args: [], per: 317_811 * 2 },
  { name: 'throws.mjs, 200k items (25k throws), values', file: 'throws.mjs', env: { BENCH_ITERS: '3' }, args: [], per: 200_000 },
  // A real parser (every acorn function recorded), per parse of its 1.1 MB input, in ms.
  { name: 'acorn.mjs, --no-values (ms)', file: 'acorn.mjs', env: { BENCH_ITERS: '3' }, args: ['--no-values'], per: 1e6 },
  { name: 'acorn.mjs, values (ms)', file: 'acorn.mjs', env: { BENCH_ITERS: '3' }, args: [], per: 1e6 },
];
const builds = [
  ['A', path.resolve(aRoot)],
  ['B', path.resolve(bRoot)],
];
console.log(`${process.version}, ${rounds} rounds; ns per unit (call, fib call, item; ms for acorn), median of rounds`);
for (const c of cases) {
  const t = { A: [], B: [] };
  for (let r = 0; r < Number(rounds); r++) {
    for (const [k, root] of r % 2 ? [...builds].reverse() : builds) {
      const dir = freshDir('leave-ab');
      const out = await run(process.execPath, [path.join(root, 'bin', 'cinema.js'), 'record', '-q', '--out', dir, ...c.args, ...INSTRUMENT_ALL, '--', process.execPath, path.join(BENCH, 'workloads', c.file)], { env: c.env });
      removeDir(dir);
      const res = parseResult(out.stdout);
      if (!res) throw new Error(`${k} ${c.file}: ${out.stderr.slice(-400)}`);
      t[k].push((median(res.iters) * 1e6) / c.per);
    }
  }
  const a = median(t.A);
  const b = median(t.B);
  console.log(`${c.name}: A ${fmt(a, 1)}, B ${fmt(b, 1)}, B/A ${(b / a).toFixed(2)}`);
}
