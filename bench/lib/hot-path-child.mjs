// Runs inside one process (the Node under test): the real probes from dist/ writing into a real
// ring, the real ticker keeping the shared clock, and a consumer thread that frees published
// chunks at once (so the ring never fills and no drain/compression cost is counted here).
// Compares the cost of one recorded event with one performance.now() call, interleaved, rounds.
import { Worker } from 'node:worker_threads';
import { startConsumer } from './ring-consumer.mjs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../../dist/', import.meta.url);
const { RingWriter } = await import(new URL('capture/ring-writer.js', dist));
const { ValueWriter } = await import(new URL('runtime/value-writer.js', dist));
const { createProbes } = await import(new URL('runtime/probes.js', dist));
const { Shared, Ring, defaultGeometry } = await import(new URL('format/layout.js', dist));
const { defaultLimits, defaultRedactPattern } = await import(new URL('format/values.js', dist));

const N = Number(process.argv[2] ?? 20_000_000);
const ROUNDS = Number(process.argv[3] ?? 7);

const sharedSab = new SharedArrayBuffer(Shared.INTS * 4);
const shared = new Int32Array(sharedSab);
shared[Shared.CLOCK] = Math.floor(performance.now() * 1000);
const ticker = new Worker(new URL('capture/ticker-worker.js', dist), {
  workerData: { shared: sharedSab, origin: performance.timeOrigin, tickMs: 0.1, idleTickMs: 10, sample: null },
});
const ring = new RingWriter(defaultGeometry, 0, shared, 'wait');
const vw = new ValueWriter(ring.values, defaultLimits, new RegExp(defaultRedactPattern, 'i'));
// Site 7 records at full; site 8 is turned off at run time (cinema control): one check per probe.
const levels = new Uint8Array(1 << 20).fill(3);
levels[8] = 0;
const probes = createProbes(ring, vw, { captureThrown: true, sampled: false, load: () => 1, levels, origin: performance.timeOrigin });

const consumer = startConsumer(ring.sab, sharedSab, { Ring, Shared });

// Each variant is a separate function so V8 optimizes each on its own; results feed a sink.
let sink = 0;
const variants = {
  // One performance.now() per iteration: the reference cost.
  perfNow(n) {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += performance.now();
    sink += acc;
    return n;
  },
  // Enter + exit without values: two events per iteration.
  'probe c+x'(n) {
    const p = probes;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += p.c(7);
      p.x(7);
    }
    sink += acc;
    return 2 * n;
  },
  // Enter with one int argument + exit with an int return value.
  'probe cv+xv (int)'(n) {
    const p = probes;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += p.cv(7, 1, i);
      p.xv(7, i);
    }
    sink += acc;
    return 2 * n;
  },
  // Enter with an object argument (seen before: a REF) + exit with a short string.
  'probe cv+xv (obj,str)'(n) {
    const p = probes;
    const o = { a: 1, b: 'x' };
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += p.cv(7, 1, o);
      p.xv(7, 'done');
    }
    sink += acc;
    return 2 * n;
  },
  // A site whose level is off: the probe calls remain, each returns after one level check.
  'probe cv+xv at level off'(n) {
    const p = probes;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += p.cv(8, 1, i);
      p.xv(8, i);
    }
    sink += acc;
    return 2 * n;
  },
  // The loop alone (for reference; not subtracted from anything).
  emptyLoop(n) {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += i & 7;
    sink += acc;
    return n;
  },
};

const names = Object.keys(variants);
const results = Object.fromEntries(names.map((k) => [k, []]));
// Warm up every variant so all are optimized before timing.
for (const k of names) variants[k](Math.min(N, 2_000_000));
for (let r = 0; r < ROUNDS; r++) {
  const order = names.map((_, i) => names[(i + r) % names.length]);
  for (const k of order) {
    const n = k === 'perfNow' ? N / 4 : N;
    const t0 = performance.now();
    const units = variants[k](n);
    const dt = performance.now() - t0;
    results[k].push((dt * 1e6) / units);
  }
}
probes.flush();
Atomics.store(shared, Shared.STOP, 1);
Atomics.notify(shared, Shared.DOORBELL);
Atomics.notify(shared, Shared.STOP);
await Promise.all([ticker.terminate(), consumer.terminate()]);
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ nsPerUnit: results, sink: sink > 0 })}\n`);
