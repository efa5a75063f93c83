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
const { values: o } = parseArgs({ options: { events: { type: 'string', default: '100000000' }, lookups: { type: 'string', default: '2000' }, keep: { type: 'boolean' }, build: { type: 'boolean' }, child: { type: 'string' }, stores: { type: 'boolean' } } });
const events = Number(o.events);
const lookups = Number(o.lookups);
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

if (o.stores) {
  // DuckDB and SQLite on the same state queries as our index: the writes table (obj, key, row)
  // bulk-loaded, then last-write and stateAt (last write of every key of an object) at random
  // events. Run on an index built by the default mode with --keep.
  const dir = path.join(ROOT, 'bench', '.work', `query-${events}`);
  const { Recording } = await import('../dist/recording/recording.js');
  const { EventIndex } = await import('../dist/query/index/event-index.js');
  const { stateAt, lastWrite, resolveObject } = await import('../dist/query/state.js');
  const { parquetWriteFile } = await import('hyparquet-writer');
  const ix = EventIndex.open(Recording.open(dir));
  const n = ix.meta.writes;
  const obj = ix.writes.obj.range(0, n), key = ix.writes.key.range(0, n), row = ix.writes.row.range(0, n);
  const ctxShift = 2 ** 32;
  const probes = Array.from({ length: lookups }, (_, i) => ({ id: 1 + Math.floor(Math.random() * 1000), k: i % 8, at: Math.floor(Math.random() * ix.rows) }));
  const keyIds = new Map(ix.keys.map((k, i) => [k, i]));
  const res = { node: process.version, writes: n };
  const time = async (name, load, last, state) => {
    const t0 = performance.now();
    await load();
    const lt = [], st = [];
    for (const p of probes) { let t = performance.now(); await last(p); lt.push(performance.now() - t); t = performance.now(); await state(p); st.push(performance.now() - t); }
    res[name] = { loadMs: performance.now() - t0 - lt.reduce((a, b) => a + b, 0) - st.reduce((a, b) => a + b, 0), lastP50: pct(lt, 50), lastP95: pct(lt, 95), stateP50: pct(st, 50), stateP95: pct(st, 95) };
  };
  const objs = new Map();
  await time('own', () => {}, (p) => lastWrite(ix, (objs.get(p.id) ?? objs.set(p.id, resolveObject(ix, String(p.id))).get(p.id)), `k${p.k}`, p.at), (p) => stateAt(ix, objs.get(p.id), p.at));
  const pq = path.join(dir, 'writes.parquet');
  parquetWriteFile({ filename: pq, columnData: [{ name: 'obj', data: obj, type: 'DOUBLE' }, { name: 'key', data: Int32Array.from(key), type: 'INT32' }, { name: 'row', data: row, type: 'INT32' }], rowGroupSize: 1 << 20 });
  try {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    let lastQ, stateQ;
    await time('duckdb', async () => {
      await c.run(`create table w as select * from '${pq}' order by obj, key, row`);
      lastQ = await c.prepare('select max(row) from w where obj = $1 and key = $2 and row <= $3');
      stateQ = await c.prepare('select key, max(row) from w where obj = $1 and row <= $2 group by key');
    }, async (p) => { lastQ.bindDouble(1, p.id); lastQ.bindInteger(2, keyIds.get(`k${p.k}`)); lastQ.bindInteger(3, p.at); await lastQ.runAndReadAll(); },
      async (p) => { stateQ.bindDouble(1, p.id); stateQ.bindInteger(2, p.at); await stateQ.runAndReadAll(); });
  } catch (e) { res.duckdb = { error: String(e.message).split('\n')[0] }; }
  try {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(':memory:');
    let lastQ, stateQ;
    await time('sqlite', () => {
      db.exec('create table w (obj real, key integer, row integer)');
      const ins = db.prepare('insert into w values (?, ?, ?)');
      db.transaction(() => { for (let i = 0; i < n; i++) ins.run(obj[i], key[i], row[i]); })();
      db.exec('create index w_okr on w (obj, key, row)');
      lastQ = db.prepare('select max(row) from w where obj = ? and key = ? and row <= ?');
      stateQ = db.prepare('select key, max(row) from w where obj = ? and row <= ? group by key');
    }, (p) => lastQ.get(p.id, keyIds.get(`k${p.k}`), p.at), (p) => stateQ.all(p.id, p.at));
  } catch (e) { res.sqlite = { error: String(e.message).split('\n')[0] }; }
  void ctxShift;
  console.log(JSON.stringify(res));
  process.exit(0);
}

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
