#!/usr/bin/env node
// The planner's benchmark (issue #8): throughput and server CPU of an Express app
// (bench/apps/plan-app.mjs) plain vs recorded with a plan built by `cinema plan --budget 1`,
// measured side by side in one run: variants interleaved and rotated each round, the server
// pinned to core 0 and autocannon to core 1 with taskset (bench/lib/http-load.mjs).
//   node bench/plan.mjs [--rounds N] [--seconds S] [--connections C] [--base DIR] [--json FILE]
// --base DIR: another built checkout (e.g. the commit before a change); its `cinema` records and
// plans the "base" variants in the same rounds, for a before/after measured side by side.
// Steps: 1. record a typical run (every function at full, causality on) and plan from it with
// --budget 1 (per checkout) 2. rounds of: plain, recorded with the plan + causality (every HTTP
// exchange; and the same with --causality-mode light), HTTP only (--level off, full and light causality: the floor), recorded at full 3. count what each last planned recording holds (requests, handler
// calls, with values) against what autocannon sent.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH, CINEMA, ROOT, fmt, median, table } from './lib/common.mjs';
import { PINNED, measure } from './lib/http-load.mjs';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '4' }, seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' }, base: { type: 'string' }, json: { type: 'string' } },
});
const ROUNDS = Number(opts.rounds);
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);
const APP = path.join(BENCH, 'apps', 'plan-app.mjs');
if (opts.base && !fs.existsSync(path.join(opts.base, 'dist', 'cli'))) {
  console.error(`plan bench: --base ${opts.base} has no dist/ (build it first)`);
  process.exit(2);
}
fs.mkdirSync(path.join(BENCH, '.work'), { recursive: true });
const WORK = fs.mkdtempSync(path.join(BENCH, '.work', 'plan-'));
const requests = [
  { method: 'GET', path: '/products?limit=20' },
  { method: 'GET', path: '/products?offset=40&limit=20' },
  { method: 'GET', path: '/products/7' },
  { method: 'POST', path: '/cart/c1/9' },
];
const load = { seconds: SECONDS, connections: CONNECTIONS, requests };
const loadAvg = () => os.loadavg().map((x) => x.toFixed(1)).join(', ');

/** Runs the app (plainly or under `cinema record …` of checkout `cli`) under load; the recording goes to `out`. */
function run(cli, recordArgs, out, opts = load) {
  const args = recordArgs ? [cli, 'record', '-q', '-o', out, ...recordArgs, '--', process.execPath, APP] : [APP];
  return measure(process.execPath, process.execPath, args, opts);
}

/** A typical run at full, then `cinema plan --budget 1` from it, with checkout `cli`. */
async function plan(cli, name) {
  const typical = path.join(WORK, `typical-${name}`);
  await run(cli, ['--causality'], typical, { ...load, seconds: 2, warmSeconds: 0 });
  const file = path.join(WORK, `plan-${name}.json`);
  const r = spawnSync(process.execPath, [cli, 'plan', BENCH + '/apps', '--from', typical, '--budget', '1', '--out', file, '--explain'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cinema plan (${name}) failed: ${r.stderr}`);
  console.error(`plan (${name}):\n${r.stdout}${r.stderr}`);
  return file;
}

const load0 = loadAvg();
const checkouts = [{ name: 'this', cli: CINEMA }, ...(opts.base ? [{ name: 'base', cli: path.join(path.resolve(opts.base), 'bin', 'cinema.js') }] : [])];
const variants = [{ key: 'plain', label: 'plain', cli: null, record: null }];
for (const c of checkouts) {
  const file = await plan(c.cli, c.name);
  variants.push({ key: `plan-${c.name}`, label: `${c.name}: --plan (budget 1) --causality`, cli: c.cli, record: ['--plan', file, '--causality'], planFile: file });
  // Light causality (ADR 0019): every exchange and its handler calls still recorded, one async context per request.
  variants.push({ key: `plan-light-${c.name}`, label: `${c.name}: --plan (budget 1) --causality-mode light`, cli: c.cli, record: ['--plan', file, '--causality-mode', 'light'], planFile: file });
}
// The floor: HTTP exchanges and async context recorded, no function probes (what any plan pays per request).
variants.push({ key: 'floor-this', label: 'this: --level off --causality (HTTP only)', cli: CINEMA, record: ['--level', 'off', '--causality'] });
variants.push({ key: 'floor-light-this', label: 'this: --level off --causality-mode light (HTTP only)', cli: CINEMA, record: ['--level', 'off', '--causality-mode', 'light'] });
variants.push({ key: 'full-this', label: 'this: every function at full, --causality', cli: CINEMA, record: ['--causality'] });

const results = Object.fromEntries(variants.map((v) => [v.key, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = variants.map((_, i) => variants[(i + round) % variants.length]);
  for (const v of order) {
    const out = path.join(WORK, `${v.key}-${round}`);
    const r = await run(v.cli, v.record, out);
    results[v.key].push({ ...r, out });
    console.error(`round ${round + 1} ${v.key}: ${fmt(r.rps, 0)} req/s, ${fmt(r.cpuUsPerReq, 1)} µs CPU/req (${r.total} requests, ${r.errors} errors)`);
    if (round < ROUNDS - 1 || !v.key.startsWith('plan-')) fs.rmSync(out, { recursive: true, force: true });
  }
}

// What the last planned recordings hold against what was sent (warm-up + measured load).
const { Recording, listEvents } = await import(new URL('../dist/public/index.js', import.meta.url).href);
const handlerLines = new Set(fs.readFileSync(APP, 'utf8').split('\n').flatMap((l, i) => (/^app\.(get|post)\(/.test(l) ? [i + 1] : [])));
const field = (v, key) => v?.entries?.find(([k]) => k === key)?.[1];
const holds = variants.filter((v) => v.planFile).map((c) => {
  const last = results[c.key].at(-1);
  const all = listEvents(Recording.open(last.out), { kinds: ['http', 'call'], limit: 1e8 });
  const requestsSeen = all.filter((e) => e.kind === 'http' && field(e.value, 'phase') === 'request' && field(e.value, 'dir') === 'in').length;
  const handlerCalls = all.filter((e) => e.kind === 'call' && e.file === APP && handlerLines.has(e.line));
  const withValues = handlerCalls.filter((e) => e.value !== undefined);
  const brief = withValues.filter((e) => e.value.items?.[0]?.type === 'brief').length;
  return `${c.key}: incoming requests recorded ${requestsSeen.toLocaleString('en')}; route handler calls ${handlerCalls.length.toLocaleString('en')}, with values ${withValues.length.toLocaleString('en')} (req as a brief tag: ${brief.toLocaleString('en')}); requests completed by autocannon (warm-up included; a few more were in flight when it stopped): ${last.sent.toLocaleString('en')}.`;
});

const plainRps = median(results.plain.map((r) => r.rps));
const plainCpu = median(results.plain.map((r) => r.cpuUsPerReq));
const rows = variants.map((v) => {
  const rps = median(results[v.key].map((r) => r.rps));
  const cpu = median(results[v.key].map((r) => r.cpuUsPerReq));
  const plain = v.key === 'plain';
  return [v.label, fmt(rps, 0), plain ? '' : `${fmt((1 - rps / plainRps) * 100, 1)}%`, fmt(cpu, 1), plain ? '' : `${fmt(cpu - plainCpu, 1)} (${fmt((cpu / plainCpu - 1) * 100, 1)}%)`, results[v.key].map((r) => `${fmt(r.rps, 0)}/${fmt(r.cpuUsPerReq, 0)}`).join(' · ')];
});
const plans = variants.filter((v) => v.planFile).map((v) => {
  const p = JSON.parse(fs.readFileSync(v.planFile, 'utf8'));
  return `${v.key}: ${p.functions.filter((f) => f.file === 'plan-app.mjs').map((f) => `${f.name}${f.line ? `:${f.line}` : ''} ${f.level}`).join(', ')} (estimated ${p.budget?.estimatedPercent}%, compile: ${p.compile})`;
});
const md = [
  `Express app \`bench/apps/plan-app.mjs\`, autocannon ${CONNECTIONS} connections × ${SECONDS} s per measurement (after 1 s warm-up), ${ROUNDS} rounds, variants interleaved and rotated${PINNED ? ', server on core 0 and autocannon on core 1 (taskset)' : ', not pinned (no taskset or one core)'}; Node ${process.version}; load average ${load0} at the start, ${loadAvg()} at the end.`,
  '',
  ...plans.map((p) => `- plan ${p}`),
  '',
  table(['variant', 'req/s (median)', 'throughput lost vs plain', 'server CPU µs/request (median)', 'CPU µs added vs plain', 'rounds (req/s / µs)'], rows),
  '',
  ...holds.map((h) => `- ${h}`),
].join('\n');
console.log(md);
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify({ results, md }, null, 2));
fs.rmSync(WORK, { recursive: true, force: true });
