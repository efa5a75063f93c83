#!/usr/bin/env node
// The planner's benchmark (issue #8): throughput of an Express app (bench/apps/plan-app.mjs)
// plain vs recorded with a plan built by `cinema plan --budget 1`, measured side by side in one
// run (variants interleaved, rotated each round), with autocannon on 127.0.0.1.
//   node bench/plan.mjs [--rounds N] [--seconds S] [--connections C] [--json FILE]
// Steps: 1. record a typical run (every function at full, causality on) 2. plan from it with
// --budget 1 3. rounds of: plain, recorded with the plan (+ causality: every HTTP exchange),
// recorded with the plan without causality, recorded at full; 4. count what the planned
// recording holds (requests, handler calls with values) against what autocannon sent.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BENCH, CINEMA, ROOT, fmt, median, table } from './lib/common.mjs';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '4' }, seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' }, json: { type: 'string' } },
});
const ROUNDS = Number(opts.rounds);
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);
const APP = path.join(BENCH, 'apps', 'plan-app.mjs');
fs.mkdirSync(path.join(BENCH, '.work'), { recursive: true });
const WORK = fs.mkdtempSync(path.join(BENCH, '.work', 'plan-'));
const requests = [
  { method: 'GET', path: '/products?limit=20' },
  { method: 'GET', path: '/products?offset=40&limit=20' },
  { method: 'GET', path: '/products/7' },
  { method: 'POST', path: '/cart/c1/9' },
];

// Servers still running when the benchmark is interrupted are stopped with it.
const running = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => {
  for (const c of running) c.kill('SIGTERM');
  process.exit(130);
});

/** Starts the app (plainly or under `cinema record …`), resolves with its port and a stop function. */
function start(recordArgs, out) {
  const cmd = recordArgs ? [CINEMA, 'record', '-q', '-o', out, ...recordArgs, '--', process.execPath, APP] : [APP];
  const child = spawn(process.execPath, cmd, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      text += d;
      const m = /listening (\d+)/.exec(text);
      if (m) resolve({ port: Number(m[1]), stop: () => stop(child) });
    });
    child.once('exit', (code) => reject(new Error(`app exited early (${code})`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

async function load(port, seconds) {
  const r = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, requests });
  return { rps: r.requests.average, sent: r.requests.sent, ok: r['2xx'], errors: r.errors + r.timeouts + r.non2xx };
}

async function measure(variant, round) {
  const out = path.join(WORK, `${variant.key}-${round}`);
  const app = await start(variant.record, out);
  const warm = await load(app.port, 1); // warm-up: JIT, connection pools
  const r = await load(app.port, SECONDS);
  await app.stop();
  return { ...r, total: warm.sent + r.sent, out };
}

// 1. A typical run, recorded at full.
const typical = path.join(WORK, 'typical');
{
  const app = await start(['--causality'], typical);
  await load(app.port, 2);
  await app.stop();
}
// 2. The plan.
const planFile = path.join(WORK, 'plan.json');
const planned = spawnSync(process.execPath, [CINEMA, 'plan', path.join(BENCH, 'apps'), '--from', typical, '--budget', '1', '--out', planFile, '--explain'], { cwd: ROOT, encoding: 'utf8' });
if (planned.status !== 0) throw new Error(`cinema plan failed: ${planned.stderr}`);
console.error(planned.stdout + planned.stderr);

// 3. Interleaved rounds.
const variants = [
  { key: 'plain', label: 'plain', record: null },
  { key: 'plan+causality', label: 'recorded, --plan (budget 1) --causality', record: ['--plan', planFile, '--causality'] },
  { key: 'plan', label: 'recorded, --plan (budget 1)', record: ['--plan', planFile] },
  { key: 'full', label: 'recorded, every function at full, --causality', record: ['--causality'] },
];
const results = Object.fromEntries(variants.map((v) => [v.key, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = variants.map((_, i) => variants[(i + round) % variants.length]);
  for (const v of order) {
    const r = await measure(v, round);
    results[v.key].push(r);
    console.error(`round ${round + 1} ${v.key}: ${fmt(r.rps, 0)} req/s (${r.sent} sent, ${r.errors} errors)`);
  }
}

// 4. What the last planned recording holds against what was sent (warm-up + measured load).
const last = results['plan+causality'].at(-1).out;
const { Recording, listEvents } = await import(new URL('../dist/public/index.js', import.meta.url).href);
const rec = Recording.open(last);
const all = listEvents(rec, { kinds: ['http', 'call'], limit: 1e8 });
const field = (v, key) => v?.entries?.find(([k]) => k === key)?.[1];
const requestsSeen = all.filter((e) => e.kind === 'http' && field(e.value, 'phase') === 'request' && field(e.value, 'dir') === 'in').length;
const handlerCalls = all.filter((e) => e.kind === 'call' && e.file === APP && e.name === '<anonymous>' && e.line !== 54);
const withValues = handlerCalls.filter((e) => e.value !== undefined).length;
const plainRps = median(results.plain.map((r) => r.rps));
const rows = variants.map((v) => {
  const rps = median(results[v.key].map((r) => r.rps));
  return [v.label, fmt(rps, 0), v.key === 'plain' ? '' : `${fmt((1 - rps / plainRps) * 100, 1)}%`, results[v.key].map((r) => fmt(r.rps, 0)).join(' / ')];
});
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
const md = [
  `Express app \`bench/apps/plan-app.mjs\`, autocannon ${CONNECTIONS} connections × ${SECONDS} s per measurement (after 1 s warm-up), ${ROUNDS} rounds, variants interleaved and rotated; plan: \`cinema plan bench/apps --from <typical run> --budget 1\` → ${plan.functions.filter((f) => f.file === 'plan-app.mjs').map((f) => `${f.name}: ${f.level}`).join(', ')} (estimated ${plan.budget?.estimatedPercent}%, compile: ${plan.compile})`,
  '',
  table(['variant', 'req/s (median)', 'throughput lost vs plain', 'rounds'], rows),
  '',
  `Last planned recording (with causality): incoming requests recorded ${requestsSeen.toLocaleString('en')}; route handler calls ${handlerCalls.length.toLocaleString('en')}, with values ${withValues.toLocaleString('en')}; requests autocannon sent to that server (warm-up included): ${results['plan+causality'].at(-1).total.toLocaleString('en')}.`,
].join('\n');
console.log(md);
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify({ results, plan, md }, null, 2));
fs.rmSync(WORK, { recursive: true, force: true });
