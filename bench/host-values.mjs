#!/usr/bin/env node
// What one handler call's `(req, res)` values cost to write: this checkout's ValueWriter (host
// objects as a BRIEF tag) against another checkout's (e.g. the base commit's full snapshots), on
// the live IncomingMessage/ServerResponse of each request to an Express route on 127.0.0.1, both
// writers in the same handler call, alternating which goes first. Each pair is new to both
// writers (a first sighting: the snapshot, not a reference).
//   node bench/host-values.mjs --base /path/to/other/checkout [--pairs N (requests per round)] [--rounds R]
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { ROOT, fmt, median } from './lib/common.mjs';

const { values: opts } = parseArgs({ options: { base: { type: 'string' }, pairs: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' } } });
if (!opts.base) {
  console.error('host-values: --base DIR (a built checkout to compare with) is required');
  process.exit(2);
}
const PAIRS = Number(opts.pairs);
const ROUNDS = Number(opts.rounds);

async function writerClass(root) {
  const vw = await import(pathToFileURL(path.join(root, 'dist/runtime/value-writer.js')).href);
  const { defaultLimits, defaultRedactPattern } = await import(pathToFileURL(path.join(root, 'dist/format/values.js')).href);
  const { secretValuePattern } = await import(pathToFileURL(path.join(root, 'dist/format/redact.js')).href);
  return () => new vw.ValueWriter(new Uint8Array(1 << 20), defaultLimits, new RegExp(defaultRedactPattern, 'i'), secretValuePattern());
}

const variants = [
  { label: `this checkout (${path.relative(process.cwd(), ROOT) || '.'})`, make: await writerClass(ROOT) },
  { label: `base (${opts.base})`, make: await writerClass(opts.base) },
  // The measurement's own cost (two getrusage calls), subtracted from the others.
  { label: 'nothing (measurement overhead)', make: () => ({ pos: 0, list() {} }) },
];
// Per round, a fresh writer of each checkout (so every pair is a first sighting to both); in the
// route, both write the live (req, res), in alternating order: the objects are as warm in the
// cache as a recorded handler's arguments are.
const results = variants.map(() => ({ us: [], bytes: 0 }));
let writers = [];
let sums = [];
let count = 0;
let last = null;
const app = express();
app.get('/p/:id', (req, res) => {
  for (let k = 0; k < writers.length; k++) {
    const v = (k + count) % writers.length;
    const w = writers[v];
    w.pos = 0;
    // CPU time (getrusage, µs, summed): a write preempted by another process on this shared machine costs nothing extra.
    const t0 = process.cpuUsage();
    w.list(2, req, res, undefined, undefined);
    const t1 = process.cpuUsage(t0);
    sums[v] += t1.user + t1.system;
    results[v].bytes = w.pos;
  }
  count++;
  last = [req, res];
  res.json({ id: req.params.id });
});
const server = await new Promise((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
const get = (i) => new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port: server.address().port, path: `/p/${i}?q=${i}`, agent, headers: { 'user-agent': 'bench', accept: 'application/json' } }, (r) => r.resume().on('end', resolve)).on('error', reject));
for (let round = 0; round <= ROUNDS; round++) {
  writers = variants.map((v) => v.make());
  sums = variants.map(() => 0);
  count = 0;
  for (let i = 0; i < PAIRS; i += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => get(i + k)));
  // Round 0 warms up the JIT.
  if (round > 0) for (let v = 0; v < variants.length; v++) results[v].us.push(sums[v] / count);
}
agent.destroy();
server.close();
const overhead = results.at(-1).us;
for (let v = 0; v < variants.length - 1; v++) {
  const net = results[v].us.map((x, i) => x - overhead[i]);
  console.log(`${variants[v].label}: ${fmt(median(net), 2)} µs CPU per (req, res), median of rounds (rounds ${net.map((x) => fmt(x, 2)).join(' / ')}), ${results[v].bytes} bytes per record`);
}
console.log(`measurement overhead subtracted: ${overhead.map((x) => fmt(x, 2)).join(' / ')} µs`);
// Steady state of this checkout: the same live pair written again and again (a host object is
// named every time, never referenced), in a tight loop: the per-write cost without the clock's.
{
  const w = variants[0].make();
  const n = 200_000;
  const [req, res] = last;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    w.pos = 0;
    w.list(2, req, res, undefined, undefined);
  }
  console.log(`${variants[0].label}, the same (req, res) ${n.toLocaleString('en')} times: ${fmt(((performance.now() - t0) * 1e6) / n, 0)} ns per (req, res)`);
}
