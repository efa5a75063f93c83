// Transform throughput on large real files, ours vs istanbul-lib-instrument, source maps included,
// each file and transformer in a fresh process of the same Node, interleaved in rounds
// (bench/lib/transform-rounds.mjs). CPU time (user+system): on a shared machine wall time swings
// too much to compare. Two readings (docs/adr/0024-transform-throughput-steady-state.md): steady
// state (the throughput of a long-running process; not with --quick) and a fresh process's
// repetitions after the first (what a short process sees, mostly JIT warm-up for ours).
import { fmt, table } from '../lib/common.mjs';
import { FILES, measureRounds, ratioRows } from '../lib/transform-rounds.mjs';

export default {
  name: 'transform',
  title: 'Transform throughput vs istanbul-lib-instrument (source maps included, CPU time)',
  async run(ctx) {
    const readings = [{ key: 'fresh', warm: false, rounds: ctx.quick ? 1 : 2 }, ...(ctx.quick ? [] : [{ key: 'steady', warm: true, rounds: 1 }])];
    const rows = [];
    for (const { key, warm, rounds } of readings) {
      const res = await measureRounds({ node: ctx.node, files: FILES, rounds, clock: 'cpu', quick: ctx.quick, warm, log: ctx.log });
      for (const r of ratioRows(res)) rows.push({ ...r, reading: key, oursMBs: (r.kb * 1024) / 1e6 / (r.ours / 1000), istanbulMBs: (r.kb * 1024) / 1e6 / (r.istanbul / 1000) });
    }
    const markdown = table(
      ['file', 'KiB', 'reading', 'ours ms', 'ours (run-time ids) ms', 'istanbul ms', 'ours MB/s', 'istanbul MB/s', 'ours vs istanbul'],
      rows.map((r) => [r.file, fmt(r.kb, 0), r.reading, fmt(r.ours, 0), fmt(r.oursRuntime, 0), fmt(r.istanbul, 0), fmt(r.oursMBs, 2), fmt(r.istanbulMBs, 2), `${fmt(r.speedup.median, 1)}x`]),
    );
    return { rows, markdown, headline: Object.fromEntries(rows.map((r) => [`${r.file} (${r.reading})`, r.speedup.median])) };
  },
};
