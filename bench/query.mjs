#!/usr/bin/env node
// Query engine benchmark: index build rate, p50/p95 of stack-at-event and of last-write lookups,
// and peak memory, on a synthetic recording (bench/gen-recording.mjs).
//
//   node bench/query.mjs [--events N] [--lookups N] [--keep]     (default 100 M events)
//
// Last-write lookups: state-write events are not in the format yet, so this measures the lookup
// structure the index will use for them (a table sorted by object, key and event, searched by
// pread binary search) filled with N synthetic writes. Prints one JSON line and a markdown table.
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
  const { ColumnWriter, ColumnReader } = await import('../dist/query/index/columns.js');
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
    // Last-write table: key = object * 2^20 + property, then event row; sorted as written.
    const wdir = path.join(o.child, 'bench-writes');
    const spec = { key: { file: 'w.key.f64', type: Float64Array }, row: { file: 'w.row.i32', type: Int32Array } };
    if (!fs.existsSync(path.join(wdir, 'w.row.i32')) || fs.statSync(path.join(wdir, 'w.row.i32')).size !== ix.rows * 4) {
      fs.mkdirSync(wdir, { recursive: true });
      const kw = new ColumnWriter(wdir, spec.key, 1 << 20);
      const rw = new ColumnWriter(wdir, spec.row, 1 << 20);
      const perKey = 64;
      for (let i = 0; i < ix.rows; i++) {
        kw.push(Math.floor(i / perKey));
        rw.push((i % perKey) * Math.floor(ix.rows / perKey) + Math.floor(i / perKey));
      }
      kw.close();
      rw.close();
    }
    const key = new ColumnReader(wdir, spec.key);
    const row = new ColumnReader(wdir, spec.row);
    const lastWrite = (k, before) => {
      let lo = 0, hi = key.length; // first entry with (key, row) >= (k, before)
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const mk = key.get(mid);
        if (mk < k || (mk === k && row.get(mid) < before)) lo = mid + 1;
        else hi = mid;
      }
      return lo > 0 && key.get(lo - 1) === k ? row.get(lo - 1) : -1;
    };
    const wt = [];
    const keys = Math.floor(key.length / 64);
    for (let i = 0; i < lookups; i++) {
      const k = Math.floor(Math.random() * keys);
      const before = Math.floor(Math.random() * ix.rows);
      const t0 = performance.now();
      lastWrite(k, before);
      wt.push(performance.now() - t0);
    }
    out.writesTable = key.length;
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
| last-write lookup p50 / p95 (${(q.writesTable / 1e6).toFixed(0)} M writes) | ${f(q.lastWriteP50)} / ${f(q.lastWriteP95)} ms | p95 < 16 ms |
| peak memory: build / queries | ${build.maxRssMB.toFixed(0)} / ${q.maxRssMB.toFixed(0)} MB | <= 2048 MB |`);
if (!o.keep) fs.rmSync(path.join(dir, 'index'), { recursive: true, force: true });
