// Ours vs istanbul-lib-instrument in interleaved rounds: each round runs every transformer on every
// file in a fresh process (bench/lib/transform-child.mjs), in a rotated order, so drift on a shared
// machine hits all alike. Shared by bench/transform-rounds.mjs and the transform scenario.
import path from 'node:path';
import { BENCH, ROOT, fmt, median, parseResult, rotated, run, table } from './common.mjs';

export const FILES = [
  { name: 'lodash.js', file: 'node_modules/lodash/lodash.js' },
  { name: 'react-dom-client.development.js', file: 'node_modules/react-dom/cjs/react-dom-client.development.js' },
  { name: 'typescript.js', file: 'node_modules/typescript/lib/typescript.js' },
];
export const TOOLS = ['ours', 'ours-runtime', 'istanbul'];

/**
 * Repetitions per process. Fresh (the default): the first is a warm-up and dropped, the median of
 * the rest is taken: what a short process sees, mostly JIT and young-generation warm-up for ours.
 * `warm` (steady-state throughput, docs/adr/0024-transform-throughput-steady-state.md): the first
 * half is dropped and the mean of the second half taken, GC pauses included; ours still speeds up
 * until its 20th repetition or so, istanbul until its 4th.
 */
function repsOf(tool, file, quick, warm) {
  if (tool !== 'istanbul') return warm ? 48 : quick ? 5 : 8;
  return file.name === 'typescript.js' ? (warm ? 4 : 2) : warm ? 8 : quick ? 3 : 4;
}

/** One process's time per transform from its repetitions (see repsOf). */
export function perTransform(ms, warm) {
  if (!warm) return median(ms.length > 1 ? ms.slice(1) : ms);
  const kept = ms.slice(ms.length >> 1);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

/**
 * Runs `rounds` rounds on one Node. `clock`: 'cpu' (user+system, GC threads included) or 'wall'.
 * Returns, per file name and tool, the per-round median times (ms) and the file's size; `into`
 * adds to earlier results, `first` numbers the rounds on (both for interleaving several Nodes).
 */
export async function measureRounds({ node, files = FILES, tools = TOOLS, rounds, first = 0, into = {}, clock = 'cpu', quick = false, warm = false, log = () => {} }) {
  const res = into;
  for (let r = first; r < first + rounds; r++) {
    for (const f of files) {
      for (const tool of rotated(tools, r)) {
        const args = [path.join(BENCH, 'lib/transform-child.mjs'), tool, path.resolve(ROOT, f.file), String(repsOf(tool, f, quick, warm))];
        const out = await run(node, args, { env: { BENCH_CLOCK: clock }, timeoutMs: 900_000 });
        const result = parseResult(out.stdout);
        const cell = ((res[f.name] ??= {})[tool] ??= { ms: [], bytes: 0 });
        if (!result) {
          log(`  round ${r + 1} ${tool} ${f.name}: failed ${out.stderr.slice(0, 300)}`);
          cell.ms.push(NaN);
          continue;
        }
        const ms = perTransform(result.ms, warm);
        cell.ms.push(ms);
        cell.bytes = result.bytes;
        log(`  round ${r + 1} ${tool} ${f.name}: ${fmt(ms)} ms`);
      }
    }
  }
  return res;
}

/** Rows for one Node: median times over rounds, and the median (min–max) of the per-round ratios. */
export function ratioRows(res, files = FILES) {
  return files
    .filter((f) => res[f.name])
    .map((f) => {
      const x = res[f.name];
      const times = (tool) => x[tool]?.ms ?? [];
      const ratios = (tool) => times('istanbul').map((ms, i) => ms / times(tool)[i]).filter(Number.isFinite);
      const spread = (rs) => (rs.length ? { median: median(rs), min: Math.min(...rs), max: Math.max(...rs) } : { median: NaN, min: NaN, max: NaN });
      return {
        file: f.name,
        kb: (x.istanbul?.bytes || x.ours?.bytes || 0) / 1024,
        rounds: times('istanbul').length,
        ours: median(times('ours')),
        oursRuntime: median(times('ours-runtime')),
        istanbul: median(times('istanbul')),
        speedup: spread(ratios('ours')),
        speedupRuntime: spread(ratios('ours-runtime')),
      };
    });
}

const fmtSpread = (s) => `${fmt(s.median, 1)}x (${fmt(s.min, 1)}–${fmt(s.max, 1)})`;

/** A markdown table of rows from several Nodes: `[{ version, rows }]`. */
export function ratioTable(byNode) {
  return table(
    ['file', 'KiB', 'Node', 'rounds', 'ours ms', 'ours, run-time ids ms', 'istanbul ms', 'ours vs istanbul', 'run-time ids vs istanbul'],
    byNode.flatMap(({ version, rows }) =>
      rows.map((r) => [r.file, fmt(r.kb, 0), version, String(r.rounds), fmt(r.ours), fmt(r.oursRuntime), fmt(r.istanbul, 0), fmtSpread(r.speedup), fmtSpread(r.speedupRuntime)]),
    ),
  );
}
