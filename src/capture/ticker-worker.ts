/**
 * The clock: keeps Shared.CLOCK at the microseconds since the recorded process's time origin,
 * so the hot path reads time with one load instead of calling a clock per event. In sampled
 * mode it also opens and closes the sampling gate.
 */
import { workerData } from 'node:worker_threads';
import { Shared } from '../format/layout.js';

export interface TickerData {
  shared: SharedArrayBuffer;
  /** performance.timeOrigin of the recorded process's main thread (ms since epoch). */
  origin: number;
  tickMs: number;
  sample: { burstMs: number; periodMs: number } | null;
}

const { shared: sab, origin, tickMs, sample } = workerData as TickerData;
const cells = new Int32Array(sab);
const skew = performance.timeOrigin - origin;
const TWO32 = 0x1_0000_0000;

while (Atomics.load(cells, Shared.STOP) === 0) {
  const ms = skew + performance.now();
  const us = Math.floor(ms * 1000);
  Atomics.store(cells, Shared.CLOCK_HI, Math.floor(us / TWO32));
  Atomics.store(cells, Shared.CLOCK, us % TWO32 | 0);
  if (sample) Atomics.store(cells, Shared.SAMPLE_ON, ms % sample.periodMs < sample.burstMs ? 1 : 0);
  Atomics.wait(cells, Shared.STOP, 0, tickMs);
}
