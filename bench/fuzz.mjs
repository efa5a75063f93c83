#!/usr/bin/env node
/**
 * Long fuzz run of the recording readers: the harness of test/fuzz/readers.test.ts, by the
 * hundred thousand, in worker threads watched for hangs and memory blow-ups.
 *
 *   node bench/fuzz.mjs [--cases N] [--seed S] [--workers W] [--family F] [--time-bound MS]
 *   node bench/fuzz.mjs --seed S --case K [--family F]     replay one case, with its stack
 *
 * Prints cases/s and how many cases ended in each outcome: ok, RecordingError, known bug (see
 * KNOWN_BUGS in test/fuzz/harness.mjs) and other. Exits 1 if any case ended in anything but ok or
 * a RecordingError (a known bug included), 2 on bad usage. Needs `npm run build`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import * as H from '../test/fuzz/harness.mjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BATCH = 500;

/** The cases of batch `b`: deterministic for (seed, family, b). */
function batch(seed, family, b) {
  return fc.sample(H.caseArb(fc, family || undefined), { seed: (Math.imul(seed, 1_000_003) + b) | 0, numRuns: BATCH });
}

if (!isMainThread) {
  // a worker: runs cases [from, to), publishes the case it is on in `progress`
  const { dirs, seed, family, from, to, timeBound, progress } = workerData;
  const cell = new Int32Array(progress);
  const lib = await H.loadLib(root);
  const scratch = H.makeScratch();
  const corpus = H.makeCorpus(lib, dirs, scratch);
  let counts = { ok: 0, 'recording-error': 0, other: 0 };
  let known = {};
  let others = [];
  let cases = null;
  let b = -1;
  for (let k = from; k < to; k++) {
    Atomics.store(cell, 0, k);
    if (Math.floor(k / BATCH) !== b) {
      b = Math.floor(k / BATCH);
      cases = batch(seed, family, b);
    }
    const c = cases[k % BATCH];
    const r = H.runCase(lib, corpus, c, scratch, timeBound);
    counts[r.outcome]++;
    if (r.outcome === 'other') {
      const label = H.knownBug(c, r);
      if (label) known[label] = (known[label] ?? 0) + 1;
      else others.push({ k, detail: r.detail, c: H.showCase(c) });
    }
    if ((k + 1) % 200 === 0 || k + 1 === to) {
      parentPort.postMessage({ type: 'progress', done: k + 1, counts, known, others });
      counts = { ok: 0, 'recording-error': 0, other: 0 };
      known = {};
      others = [];
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  parentPort.postMessage({ type: 'end' });
} else {
  await main();
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        cases: { type: 'string', default: '100000' },
        seed: { type: 'string', default: '1' },
        workers: { type: 'string', default: String(Math.max(1, Math.min(2, os.availableParallelism()))) },
        family: { type: 'string' },
        'time-bound': { type: 'string', default: '10000' },
        case: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    console.error(`fuzz: ${e.message}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(2, 13).join('\n').replace(/^ \*\/?/gm, ''));
    return;
  }
  const n = Number(args.cases);
  const seed = Number(args.seed);
  const workers = Number(args.workers);
  const timeBound = Number(args['time-bound']);
  const family = args.family ?? '';
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(seed) || !Number.isInteger(workers) || workers < 1 || !(timeBound > 0)) {
    console.error('fuzz: --cases, --seed and --workers take integers (see --help)');
    process.exit(2);
  }
  if (family && !H.FAMILIES.includes(family)) {
    console.error(`fuzz: unknown family ${family} (families: ${H.FAMILIES.join(', ')})`);
    process.exit(2);
  }
  if (!fs.existsSync(path.join(root, 'dist', 'recording', 'recording.js'))) {
    console.error('fuzz: dist/ is missing; run npm run build');
    process.exit(2);
  }

  const recordings = fs.mkdtempSync(path.join(os.tmpdir(), 'cinema-fuzz-rec-'));
  const t0 = performance.now();
  const dirs = H.recordFixtures(root, recordings);
  console.log(`recorded ${H.FIXTURES.join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${recordings})`);

  if (args.case !== undefined) {
    const k = Number(args.case);
    const c = batch(seed, family, Math.floor(k / BATCH))[k % BATCH];
    const lib = await H.loadLib(root);
    const scratch = H.makeScratch();
    const corpus = H.makeCorpus(lib, dirs, scratch);
    const r = H.runCase(lib, corpus, c, scratch, timeBound);
    console.log(`case ${k}: ${H.showCase(c)}`);
    console.log(`outcome: ${r.outcome}${H.knownBug(c, r) ? ` (known bug ${H.knownBug(c, r)})` : ''}: ${r.detail} (${r.ms.toFixed(1)} ms)`);
    if (r.error) console.log(r.error.stack);
    console.log(`damaged recording left in ${path.join(scratch, 'rec')}`);
    process.exit(r.outcome === 'other' ? 1 : 0);
  }

  const totals = { ok: 0, 'recording-error': 0, other: 0 };
  const known = {};
  const others = [];
  let done = 0;
  const started = performance.now();
  const per = Math.ceil(n / workers);

  /** Runs cases [from, to) in a worker; a hang or a dead worker costs one case, then it goes on. */
  const runRange = (from, to) =>
    new Promise((resolve) => {
      if (from >= to) return resolve();
      const progress = new SharedArrayBuffer(4);
      const cell = new Int32Array(progress);
      Atomics.store(cell, 0, from);
      const w = new Worker(fileURLToPath(import.meta.url), {
        workerData: { dirs, seed, family, from, to, timeBound, progress },
        resourceLimits: { maxOldGenerationSizeMb: 1024 },
      });
      let reported = from;
      let last = { k: from, at: performance.now() };
      let finished = false;
      const lost = (why) => {
        if (finished) return;
        finished = true;
        clearInterval(watch);
        const k = Atomics.load(cell, 0);
        totals.other++;
        done += k + 1 - reported;
        others.push({ k, detail: why, c: '(see --case)' });
        void w.terminate();
        runRange(k + 1, to).then(resolve);
      };
      const watch = setInterval(() => {
        const k = Atomics.load(cell, 0);
        if (k !== last.k) last = { k, at: performance.now() };
        // the first case also pays for building the corpus
        else if (performance.now() - last.at > timeBound + (k === from ? 30_000 : 0)) lost(`hang: no progress for ${timeBound} ms`);
      }, 250);
      w.on('message', (m) => {
        if (m.type === 'progress') {
          done += m.done - reported;
          reported = m.done;
          for (const key of Object.keys(totals)) totals[key] += m.counts[key];
          for (const [label, v] of Object.entries(m.known)) known[label] = (known[label] ?? 0) + v;
          others.push(...m.others);
        } else if (m.type === 'end') {
          finished = true;
          clearInterval(watch);
          resolve();
        }
      });
      w.on('error', (e) => lost(`worker died: ${e.code ?? e.name}: ${String(e.message).split('\n')[0]}`));
      w.on('exit', (code) => {
        if (!finished) lost(`worker exited with code ${code}`);
      });
    });

  const ticker = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    process.stderr.write(`  ${done}/${n} cases, ${(done / s).toFixed(0)}/s, other ${totals.other}\r`);
  }, 2000);
  await Promise.all(Array.from({ length: workers }, (_, i) => runRange(i * per, Math.min(n, (i + 1) * per))));
  clearInterval(ticker);
  const secs = (performance.now() - started) / 1000;

  const knownTotal = Object.values(known).reduce((a, b) => a + b, 0);
  console.log(`\n${n} cases (seed ${seed}${family ? `, family ${family}` : ''}) in ${secs.toFixed(1)} s: ${(n / secs).toFixed(0)} cases/s on ${workers} worker(s)`);
  console.log(`  ok               ${totals.ok}`);
  console.log(`  RecordingError   ${totals['recording-error']}`);
  console.log(`  other            ${totals.other}  (known bugs ${knownTotal}, new ${totals.other - knownTotal})`);
  for (const b of H.KNOWN_BUGS) if (known[b.label]) console.log(`    known bug ${b.label.padEnd(20)} ${String(known[b.label]).padStart(7)}  ${b.what}`);
  const byDetail = new Map();
  for (const o of others) {
    const key = o.detail.replace(/\/[^\s:]*\//g, '…/').replace(/\d+/g, 'N').slice(0, 120);
    if (!byDetail.has(key)) byDetail.set(key, { n: 0, first: o });
    byDetail.get(key).n++;
  }
  for (const [key, { n: count, first }] of byDetail) {
    console.log(`    new: ${count} × ${key}`);
    console.log(`         e.g. --seed ${seed} --case ${first.k}${family ? ` --family ${family}` : ''}: ${first.detail.slice(0, 300)}`);
    console.log(`         ${first.c.slice(0, 400)}`);
  }
  fs.rmSync(recordings, { recursive: true, force: true });
  process.exit(totals.other > 0 ? 1 : 0);
}
