// Scenario 1: the cost of one recorded event (timestamp included) against one performance.now().
// Part A runs the real probes in-process (lib/hot-path-child.mjs). Part B measures end to end: a
// recorded program calling an empty function vs the same loop plain, and a loop of performance.now().
import path from 'node:path';
import { BENCH, INSTRUMENT_ALL, fmt, fmtRatio, median, parseResult, ratio, removeDir, rotated, run, runProgram, table } from '../lib/common.mjs';

export default {
  name: 'hot-path',
  title: 'hot-path cost of one recorded event vs one performance.now()',
  async run(ctx) {
    const n = ctx.quick ? 5_000_000 : 20_000_000;
    const rounds = ctx.quick ? 3 : 7;
    const r = await run(ctx.node, [path.join(BENCH, 'lib/hot-path-child.mjs'), String(n), String(rounds)]);
    const res = parseResult(r.stdout);
    if (!res) throw new Error(`hot-path child failed: ${r.stderr.slice(-400)}`);
    const m = Object.fromEntries(Object.entries(res.nsPerUnit).map(([k, xs]) => [k, median(xs)]));
    const perf = m.perfNow;
    const rowsA = Object.keys(m).map((k) => [k === 'perfNow' ? 'performance.now() (per call)' : k === 'emptyLoop' ? 'empty loop (per iteration)' : `${k} (per event)`, fmt(m[k], 2), k === 'perfNow' ? '1.00x' : fmtRatio(ratio(m[k], perf))]);

    // Part B: end to end in a recorded process (probes + try/finally + drain competing for 2 cores).
    const calls = ctx.quick ? 5_000_000 : 20_000_000;
    const variants = [
      { key: 'plain', env: { BENCH_PATTERN: 'uniform' }, record: null },
      { key: 'recorded', env: { BENCH_PATTERN: 'uniform' }, record: ['--no-values', ...INSTRUMENT_ALL] },
      { key: 'recordedValues', env: { BENCH_PATTERN: 'uniform' }, record: [...INSTRUMENT_ALL] },
      { key: 'perfnow', env: { BENCH_PATTERN: 'perfnow' }, record: null },
    ];
    const acc = Object.fromEntries(variants.map((v) => [v.key, []]));
    for (let round = 0; round < (ctx.quick ? 2 : 4); round++) {
      for (const v of rotated(variants, round)) {
        const N = v.key === 'perfnow' ? calls / 4 : calls;
        const out = await runProgram(ctx, 'workloads/calls.mjs', { record: v.record, env: { ...v.env, BENCH_CALLS: String(N) } });
        removeDir(out.dir);
        if (out.error) {
          ctx.log(`  hot-path ${v.key}: ${out.error}`);
          continue;
        }
        acc[v.key].push((out.result.iters[0] * 1e6) / N);
      }
    }
    const plain = median(acc.plain);
    const perEvent = (median(acc.recorded) - plain) / 2;
    const perEventV = (median(acc.recordedValues) - plain) / 2;
    const perfB = median(acc.perfnow);
    const rowsB = [
      ['plain loop calling f(x) (per call)', fmt(plain, 2), ''],
      ['recorded --no-values: added per event', fmt(perEvent, 2), fmtRatio(ratio(perEvent, perfB))],
      ['recorded with values: added per event', fmt(perEventV, 2), fmtRatio(ratio(perEventV, perfB))],
      ['performance.now() (per call)', fmt(perfB, 2), '1.00x'],
    ];
    const md = [
      `**A. Probes in-process** (${n.toLocaleString('en')} iterations × ${rounds} rounds, interleaved; real RingWriter/ValueWriter/probes from dist/, real ticker clock, a consumer thread frees chunks at once)`,
      '',
      table(['measure', 'ns (median)', 'vs performance.now()'], rowsA),
      '',
      `**B. End to end** (\`workloads/calls.mjs\`, ${calls.toLocaleString('en')} calls of a one-line function; added cost per event = (recorded − plain) / 2 events per call; drain and ticker share the 2 cores)`,
      '',
      table(['measure', 'ns (median)', 'vs performance.now()'], rowsB),
    ].join('\n');
    return { rows: { inProcess: m, endToEnd: { plain, perEvent, perEventV, perfNow: perfB } }, markdown: md, headline: { nsPerEvent: m['probe c+x'], perfNow: perf, ratio: ratio(m['probe c+x'], perf) } };
  },
};
