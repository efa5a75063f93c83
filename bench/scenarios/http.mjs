// HTTP throughput of a trivial JSON route on Express 5 and Fastify 5 (bench/apps), requests/s
// with autocannon, variants interleaved round by round: plain node; recorded at boundary level
// (HTTP, async context and the app's handler functions: --no-values, only
// bench/apps/handlers.cjs instrumented), with light causality (one async context per request)
// and with full causality (async_hooks, emit links); recorded fully (values and state writes of
// every app file, --causality); and OpenTelemetry's Node auto-instrumentation with spans dropped
// (bench/apps/otel.cjs). Server and load generator are pinned to different cores.
import path from 'node:path';
import { BENCH, CINEMA, fmt, fmtRatio, freshDir, median, removeDir, rotated, table } from '../lib/common.mjs';
import { PINNED, measure } from '../lib/http-load.mjs';

export const APPS = ['express', 'fastify'];
export const VARIANTS = [
  { key: 'plain', label: 'plain node' },
  // The recorder's fixed cost per request, before any event: it once hid 5 µs (ADR 0023).
  { key: 'idle', label: 'recorder present, nothing recorded (no causality, no file instrumented)', record: ['--no-values', '--include', '**/bench/apps/no-such-file.cjs'] },
  { key: 'boundary', label: 'recorded, boundary level (`--causality-mode light --no-values`, handlers only)', record: ['--causality-mode', 'light', '--no-values', '--include', '**/bench/apps/handlers.cjs'] },
  { key: 'boundary-full', label: 'recorded, boundary level with full causality (`--causality --no-values`, handlers only)', record: ['--causality', '--no-values', '--include', '**/bench/apps/handlers.cjs'] },
  { key: 'full', label: 'recorded fully (values + writes of every app file, `--causality`)', record: ['--causality', '--include', '**/bench/apps/**'] },
  { key: 'otel', label: 'OpenTelemetry auto-instrumentation (spans dropped)', otel: true },
];
/** Boundary level may cost at most this share of plain's requests/s. */
const TARGET_LOSS = 0.05;

function command(ctx, app, v) {
  const file = path.join(BENCH, 'apps', `${app}-app.cjs`);
  if (v.otel) return { args: ['--require', path.join(BENCH, 'apps/otel.cjs'), file], dir: null };
  if (!v.record) return { args: [file], dir: null };
  const dir = freshDir(`http-${app}-${v.key}`);
  return { args: [v.cinema ?? CINEMA, 'record', '-q', '--out', dir, ...v.record, '--', ctx.node, file], dir };
}

export default {
  name: 'http',
  title: 'HTTP throughput (autocannon, trivial JSON route): plain, recorded boundary/full, OpenTelemetry',
  async run(ctx) {
    const rounds = ctx.rounds ?? (ctx.quick ? 2 : 5);
    const seconds = ctx.quick ? 3 : 5;
    const apps = ctx.apps ?? APPS;
    const variants = ctx.variants ? VARIANTS.filter((v) => ctx.variants.includes(v.key)) : [...VARIANTS];
    // Another checkout's recorder on the same boundary settings, interleaved (before/after a change).
    const boundary = VARIANTS.find((v) => v.key === 'boundary');
    if (ctx.base) variants.splice(variants.indexOf(boundary) + 1, 0, { ...boundary, key: 'boundary-base', label: `${boundary.label}, recorder of ${ctx.base}`, cinema: path.join(ctx.base, 'bin/cinema.js') });
    const rps = {};
    const ratios = {};
    const cpu = {};
    const cpuRatios = {};
    for (const app of apps) for (const v of variants) for (const m of [rps, ratios, cpu, cpuRatios]) m[`${app}/${v.key}`] = [];
    for (let r = 0; r < rounds; r++) {
      for (const app of apps) {
        const now = {};
        for (const v of rotated(variants, r)) {
          const { args, dir } = command(ctx, app, v);
          try {
            const m = await measure(ctx.node, ctx.node, args, { seconds });
            if (m.errors > 0) ctx.log(`  ${app} ${v.key}: ${m.errors} errors`);
            rps[`${app}/${v.key}`].push(m.rps);
            cpu[`${app}/${v.key}`].push(m.cpuUsPerReq);
            now[v.key] = m;
            ctx.log(`  round ${r} ${app} ${v.key}: ${fmt(m.rps, 0)} req/s, ${fmt(m.cpuUsPerReq, 0)} µs CPU/req, p99 ${m.p99} ms`);
          } catch (e) {
            ctx.log(`  round ${r} ${app} ${v.key}: ${e.message}`);
          } finally {
            removeDir(dir);
          }
        }
        for (const v of variants) {
          if (!now[v.key] || !now.plain) continue;
          ratios[`${app}/${v.key}`].push(now[v.key].rps / now.plain.rps);
          cpuRatios[`${app}/${v.key}`].push(now.plain.cpuUsPerReq / now[v.key].cpuUsPerReq);
        }
      }
    }
    const rows = [];
    const out = [];
    for (const app of apps) {
      for (const v of variants) {
        const k = `${app}/${v.key}`;
        const ratio = median(ratios[k]);
        const cpuRatio = median(cpuRatios[k]);
        out.push({ app, variant: v.key, rps: median(rps[k]), ratio, cpuUsPerReq: median(cpu[k]), cpuRatio, rounds: rps[k].length });
        const target = (x) => (v.key === 'boundary' ? (1 - x <= TARGET_LOSS ? ' (target met)' : ' (target ≤ 5% missed)') : '');
        // The verdict goes by CPU: on a shared VM a plain single-threaded server's req/s is also
        // bound by how fast its idle vCPU is woken again, which a recorder's extra threads hide.
        rows.push([app, v.label, fmt(median(rps[k]), 0), fmtRatio(ratio), fmt(median(cpu[k]), 0), `${fmtRatio(cpuRatio)}${target(cpuRatio)}`]);
      }
    }
    const note = `${rounds} rounds × ${seconds} s (after 1 s warm-up), 10 connections; ${PINNED ? 'server on core 0, autocannon on core 1 (taskset)' : 'not pinned (no taskset or one core)'}; req/s ratio = median over rounds of (variant / plain in the same round); CPU ratio = the same for plain's server CPU per request / the variant's (the server process, all threads, from /proc): the throughput ratio a CPU-bound server would see, and far less moved by other load on a shared machine.`;
    return {
      rows: out,
      headline: out.filter((o) => o.variant === 'boundary').map((o) => `${o.app} boundary ${fmtRatio(o.ratio)} of plain req/s (${fmtRatio(o.cpuRatio)} by CPU/request)`).join(', '),
      markdown: `${note}\n\n${table(['app', 'variant', 'req/s (median)', 'req/s vs plain', 'server CPU µs/req', 'CPU-based vs plain'], rows)}`,
    };
  },
};
