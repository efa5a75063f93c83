// A real workload, four variants side by side: plain node, recorded without values, recorded with
// call values only (--no-writes), recorded with values and state writes (the default). Rounds interleave the variants. Reports the in-program time
// (median over iterations, then over rounds; the headline), whole-command wall time, peak RSS,
// and the recording's bytes per event and drop count.
import { fmt, fmtRatio, INSTRUMENT_ALL, median, processInfo, ratio, removeDir, rotated, runProgram, stats, table } from './common.mjs';

const VARIANTS = [
  { key: 'plain', label: 'plain node', record: null },
  { key: 'noValues', label: 'recorded --no-values', record: ['--no-values', ...INSTRUMENT_ALL] },
  { key: 'callValues', label: 'recorded --no-writes (call values)', record: ['--no-writes', ...INSTRUMENT_ALL] },
  { key: 'values', label: 'recorded (values and state writes)', record: [...INSTRUMENT_ALL] },
];

export function workloadScenario({ name, file, title, description, env = {}, quickEnv = {}, targets = { noValues: 1.5, callValues: 3 } }) {
  return {
    name,
    title,
    description,
    async run(ctx) {
      const rounds = ctx.quick ? 2 : (ctx.rounds ?? 4);
      const runEnv = { BENCH_ITERS: ctx.quick ? '1' : '3', BENCH_WARMUP: '1', ...env, ...(ctx.quick ? quickEnv : {}) };
      const acc = Object.fromEntries(VARIANTS.map((v) => [v.key, { prog: [], wall: [], rss: [], processMs: [], errors: [], stats: null, checks: new Set() }]));
      for (let r = 0; r < rounds; r++) {
        for (const v of rotated(VARIANTS, r)) {
          const out = await runProgram(ctx, file, { record: v.record, env: runEnv });
          const a = acc[v.key];
          if (out.error) {
            a.errors.push(out.error);
            ctx.log(`  ${name} ${v.key} round ${r}: ${out.error}`);
            removeDir(out.dir);
            continue;
          }
          a.prog.push(median(out.result.iters));
          a.wall.push(out.wallMs);
          a.rss.push(out.result.maxRSSKiB / 1024);
          a.processMs.push(out.result.processMs);
          a.checks.add(out.result.check);
          if (out.dir) {
            // The official numbers once (decoding a recording is slow); counters every round.
            if (a.stats === null) a.stats = await stats(ctx, out.dir);
            a.dropped = (a.dropped ?? 0) + (processInfo(out.dir).counters?.dropped ?? 0);
          }
          removeDir(out.dir);
          ctx.log(`  ${name} ${v.key} round ${r}: ${fmt(median(out.result.iters))} ms in-program, ${fmt(out.wallMs, 0)} ms wall`);
        }
      }
      const p = acc.plain;
      const base = { prog: median(p.prog), wall: median(p.wall), rss: median(p.rss) };
      const checks = new Set(VARIANTS.flatMap((v) => [...acc[v.key].checks]));
      const rows = VARIANTS.map((v) => {
        const a = acc[v.key];
        const prog = median(a.prog);
        const wall = median(a.wall);
        const rss = median(a.rss);
        const s = a.stats;
        return {
          variant: v.key,
          label: v.label,
          runs: a.prog.length,
          errors: a.errors,
          progMs: prog,
          progRatio: ratio(prog, base.prog),
          wallMs: wall,
          wallRatio: ratio(wall, base.wall),
          processMs: median(a.processMs),
          rssMiB: rss,
          rssAddedMiB: v.key === 'plain' ? 0 : rss - base.rss,
          events: s?.events ?? null,
          bytesPerEvent: s?.bytesPerEvent ?? null,
          bytesOnDisk: s?.bytesOnDisk ?? null,
          dropped: v.key === 'plain' ? null : (a.dropped ?? null),
          target: targets[v.key] ?? null,
        };
      });
      const md = table(
        ['variant', 'in-program ms', 'ratio', 'target', 'wall ms', 'wall ratio', 'peak RSS MiB', 'events', 'bytes/event', 'dropped'],
        rows.map((row) => [
          row.label + (row.errors.length ? ` (${row.errors.length} failed)` : ''),
          fmt(row.progMs),
          row.variant === 'plain' ? '1.00x' : fmtRatio(row.progRatio),
          row.target ? `≤ ${row.target}x` : '',
          fmt(row.wallMs, 0),
          row.variant === 'plain' ? '1.00x' : fmtRatio(row.wallRatio),
          `${fmt(row.rssMiB, 0)}${row.variant === 'plain' ? '' : ` (+${fmt(row.rssAddedMiB, 0)})`}`,
          row.events ?? '',
          row.bytesPerEvent ?? '',
          row.dropped ?? '',
        ]),
      );
      const errors = rows.flatMap((row) => row.errors.slice(0, 1).map((e) => `${row.label}: ${e}`));
      const notes = [
        `rounds: ${rounds}; in-program = median of ${runEnv.BENCH_ITERS} timed iterations after ${runEnv.BENCH_WARMUP} warm-up, median over rounds`,
        checks.size > 1 ? `**results differ between variants: ${[...checks].join(', ')}**` : 'same result in every variant',
        ...errors.map((e) => `**failed**: ${e}`),
      ];
      return { rows, markdown: `${md}\n\n${notes.map((n) => `- ${n}`).join('\n')}` };
    },
  };
}
