#!/usr/bin/env node
// Query engine benchmark: index build rate, p50/p95 of stack-at-event and of last-write lookups,
// and peak memory, on a synthetic recording (bench/gen-recording.mjs).
//
//   node bench/query.mjs [--events N] [--lookups N] [--keep]     (default 100 M events)
//
// stateAt and last-write lookups run on the recording's real writes table (object, key, event),
// searched by pread binary search. Prints one JSON line and a markdown table.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: o } = parseArgs({ options: { events: { type: 'string', default: '100000000' }, lookups: { type: 'string', default: '2000' }, keep: { type: 'boolean' }, build: { type: 'boolean' }, child: { type: 'string' } } });
const events = Number(o.events);
const lookups = Number(o.lookups);
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

if (o.child) {
  // Measurements in a fresh process so that maxRSS is this step's own.
  const { Recording } = await import('../dist/recording/recording.js');
  const { EventIndex } = await import('../dist/query/index/event-index.js');
  const { stackAt } = await import('../dist/query/stack.js');
  const rec = Recording.open(o.child);
  const out = {};
  if (o.build) {
    fs.rmSync(path.join(o.child, 'index'), { recursive: true, force: true });
    const t0 = performance.now();
    const ix = EventIndex.open(rec);
    out.buildMs = performance.now() - t0;
    out.rows = ix.rows;
  } else {
    const ix = EventIndex.open(rec);
    if (ix.rebuilt) throw new Error('index was not reused');
    const times = [];
    for (let i = 0; i < lookups; i++) {
      const row = Math.floor(Math.random() * ix.rows);
      const t0 = performance.now();
      const s = stackAt(ix, row);
      times.push(performance.now() - t0);
      if (s.frames.length === 0 && ix.kind(row) === 1) throw new Error('empty stack at a call');
    }
    out.stackP50 = pct(times, 50);
    out.stackP95 = pct(times, 95);
    // State: stateAt and last-write of a random object/key at a random event (bench/gen-recording.mjs
    // writes s.k0..k7 of objects 1..1000).
    const { stateAt, lastWrite, resolveObject } = await import('../dist/query/state.js');
    const objs = Array.from({ length: 1000 }, (_, i) => resolveObject(ix, String(i + 1)));
    const st = [];
    const wt = [];
    for (let i = 0; i < lookups; i++) {
      const obj = objs[Math.floor(Math.random() * objs.length)];
      const at = Math.floor(Math.random() * ix.rows);
      let t0 = performance.now();
      const s = stateAt(ix, obj, at);
      st.push(performance.now() - t0);
      if (s.seen && !s.state) throw new Error('state missing');
      t0 = performance.now();
      lastWrite(ix, obj, `k${i % 8}`, at);
      wt.push(performance.now() - t0);
    }
    out.writesTable = ix.meta.writes;
    out.stateP50 = pct(st, 50);
    out.stateP95 = pct(st, 95);
    out.lastWriteP50 = pct(wt, 50);
    out.lastWriteP95 = pct(wt, 95);
  }
  out.maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(out));
  process.exit(0);
}

const dir = path.join(ROOT, 'bench', '.work', `query-${events}`);
if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
  fs.rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`generating ${events} events into ${dir}\n`);
  execFileSync(process.execPath, [path.join(ROOT, 'bench/gen-recording.mjs'), '--events', String(events), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const child = (...args) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, '--lookups', String(lookups), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').at(-1));
const build = child('--build');
const q = child();
const result = { node: process.version, events: build.rows, buildMs: build.buildMs, buildRate: build.rows / (build.buildMs / 1000), buildRssMB: build.maxRssMB, ...q };
console.log(JSON.stringify(result));
const f = (x) => x.toFixed(2);
console.log(`| measure (${(build.rows / 1e6).toFixed(0)} M events, Node ${process.version}) | value | target |
|---|---|---|
| index build | ${(result.buildRate / 1e6).toFixed(2)} M events/s (${(build.buildMs / 1000).toFixed(1)} s) | >= 10 M/s |
| stack-at-event p50 / p95 (${lookups} random events) | ${f(q.stackP50)} / ${f(q.stackP95)} ms | p95 < 16 ms |
| stateAt p50 / p95 (${(q.writesTable / 1e6).toFixed(1)} M writes, 1000 objects × 8 keys) | ${f(q.stateP50)} / ${f(q.stateP95)} ms | p95 < 16 ms |
| last-write lookup p50 / p95 | ${f(q.lastWriteP50)} / ${f(q.lastWriteP95)} ms | p95 < 16 ms |
| peak memory: build / queries | ${build.maxRssMB.toFixed(0)} / ${q.maxRssMB.toFixed(0)} MB | <= 2048 MB |`);
if (!o.keep) fs.rmSync(path.join(dir, 'index'), { recursive: true, force: true });
