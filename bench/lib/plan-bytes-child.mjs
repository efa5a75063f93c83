// bench/plan-cost.mjs, part 2: ns per byte of value record. In-process probes (a consumer thread
// frees chunks at once, as in hot-path-child.mjs): calls with a fresh 10-key object argument vs an
// int argument, interleaved; the difference divided by the bytes each object's record takes.
import { startConsumer } from './ring-consumer.mjs';

const dist = new URL('../../dist/', import.meta.url);
const { RingWriter } = await import(new URL('capture/ring-writer.js', dist));
const { ValueWriter } = await import(new URL('runtime/value-writer.js', dist));
const { createProbes } = await import(new URL('runtime/probes.js', dist));
const { Ring, Shared, defaultGeometry } = await import(new URL('format/layout.js', dist));
const { defaultLimits, defaultRedactPattern } = await import(new URL('format/values.js', dist));
const shared = new Int32Array(new SharedArrayBuffer(Shared.INTS * 4));
shared[Shared.CLOCK] = 1;
const ring = new RingWriter(defaultGeometry, 0, shared, 'wait');
const consumer = startConsumer(ring.sab, shared.buffer, { Ring, Shared });
const vw = new ValueWriter(ring.values, defaultLimits, new RegExp(defaultRedactPattern, 'i'));
const probes = createProbes(ring, vw, { captureThrown: true, sampled: false, load: () => 1, origin: performance.timeOrigin });
const mk = (i) => ({ id: i, name: 'product ' + i, price: i * 1.5, tags: ['a', 'b', 'c'], meta: { created: i, by: 'someone' }, inStock: true, k1: 1, k2: 2, k3: 'x'.repeat(30) });
let bytes = 0, n = 0;
function run(N, withObj) {
  let acc = 0;
  for (let i = 0; i < N; i++) {
    const before = vw.pos;
    acc += withObj ? probes.cv(7, 1, mk(i)) : probes.cv(7, 1, i);
    const d = vw.pos - before;
    if (d > 0 && withObj) { bytes += d; n++; }
    probes.x(7);
  }
  return acc;
}
const N = 300000;
const res = { obj: [], int: [] };
for (let r = 0; r < 7; r++) for (const k of r % 2 ? ['obj', 'int'] : ['int', 'obj']) {
  const t0 = performance.now(); run(N, k === 'obj'); res[k].push((performance.now() - t0) * 1e6 / N);
}
const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const extra = med(res.obj) - med(res.int);
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ objNs: med(res.obj), intNs: med(res.int), bytesPerCall: bytes / n, nsPerByte: extra / (bytes / n) })}\n`);
process.exit(0);
