// Transform throughput on large real files, ours vs istanbul-lib-instrument, source maps included,
// each file and transformer in a fresh process of the same Node, interleaved. Throughput is
// bytes of input per second of the median repetition (the first repetition is warm-up when
// there are several).
import path from 'node:path';
import { BENCH, ROOT, fmt, median, parseResult, run, table } from '../lib/common.mjs';

const FILES = [
  { name: 'lodash.js', file: 'node_modules/lodash/lodash.js' },
  { name: 'react-dom-client.development.js', file: 'node_modules/react-dom/cjs/react-dom-client.development.js' },
  { name: 'typescript.js', file: 'node_modules/typescript/lib/typescript.js' },
];
const TOOLS = ['ours', 'ours-runtime', 'istanbul'];

export default {
  name: 'transform',
  title: 'Transform throughput vs istanbul-lib-instrument (source maps included)',
  async run(ctx) {
    const rounds = ctx.quick ? 1 : 2;
    const res = {};
    for (let r = 0; r < rounds; r++) {
      for (const f of FILES) {
        for (const tool of r % 2 ? [...TOOLS].reverse() : TOOLS) {
          const reps = tool === 'istanbul' ? (f.name === 'typescript.js' ? 2 : 3) : 5;
          const out = await run(ctx.node, [path.join(BENCH, 'lib/transform-child.mjs'), tool, path.join(ROOT, f.file), String(reps)], { timeoutMs: 600_000 });
          const result = parseResult(out.stdout);
          if (!result) {
            ctx.log(`  ${tool} ${f.name}: failed ${out.stderr.slice(0, 300)}`);
            continue;
          }
          const ms = median(result.ms.length > 1 ? result.ms.slice(1) : result.ms);
          ((res[f.name] ??= {})[tool] ??= { ms: [], bytes: result.bytes }).ms.push(ms);
          ctx.log(`  ${tool} ${f.name}: ${fmt(ms)} ms`);
        }
      }
    }
    const rows = FILES.map((f) => {
      const x = res[f.name] ?? {};
      const t = (tool) => median(x[tool]?.ms ?? []);
      const mbs = (tool) => (x[tool] ? x[tool].bytes / 1e6 / (t(tool) / 1000) : NaN);
      return { file: f.name, kb: (x.ours?.bytes ?? 0) / 1024, ours: t('ours'), oursRuntime: t('ours-runtime'), istanbul: t('istanbul'), oursMBs: mbs('ours'), istanbulMBs: mbs('istanbul'), speedup: t('istanbul') / t('ours') };
    });
    const markdown = table(
      ['file', 'KiB', 'ours ms', 'ours (run-time ids) ms', 'istanbul ms', 'ours MB/s', 'istanbul MB/s', 'ours vs istanbul'],
      rows.map((r) => [r.file, fmt(r.kb, 0), fmt(r.ours, 0), fmt(r.oursRuntime, 0), fmt(r.istanbul, 0), fmt(r.oursMBs, 2), fmt(r.istanbulMBs, 2), `${fmt(r.speedup, 1)}x`]),
    );
    return { rows, markdown, headline: Object.fromEntries(rows.map((r) => [r.file, r.speedup])) };
  },
};
