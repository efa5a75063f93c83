/**
 * The clock: keeps Shared.CLOCK at the microseconds since the recorded process's time origin,
 * so the hot path reads time with one load instead of calling a clock per event. In sampled
 * mode it also opens and closes the sampling gate.
 *
 * It ticks every `tickMs` while the program records events and slows to `idleTickMs` once no
 * thread has used the last few ticks (producers note the tick they used in Shared.SEEN), so an
 * idle recorded process costs about 0.5% of a core instead of 10%.
 */
import { workerData } from 'node:worker_threads';
import { Shared } from '../format/layout.js';

export interface TickerData {
  shared: SharedArrayBuffer;
  /** performance.timeOrigin of the recorded process's main thread (ms since epoch). */
  origin: number;
  tickMs: number;
  idleTickMs: number;
  sample: { burstMs: number; periodMs: number } | null;
}

const { shared: sab, origin, tickMs, idleTickMs, sample } = workerData as TickerData;
/** Unused ticks (100 ms at the default tick) after which the ticker slows down: short waits keep the fine clock. */
const IDLE_AFTER = 1000;
const cells = new Int32Array(sab);
const skew = performance.timeOrigin - origin;
const TWO32 = 0x1_0000_0000;

let unused = 0;
let first = true;
while (Atomics.load(cells, Shared.STOP) === 0) {
  const ms = skew + performance.now();
  const us = Math.floor(ms * 1000);
  const previous = Atomics.load(cells, Shared.CLOCK);
  unused = Atomics.load(cells, Shared.SEEN) === previous ? 0 : unused + 1;
  Atomics.store(cells, Shared.CLOCK_HI, Math.floor(us / TWO32));
  Atomics.store(cells, Shared.CLOCK, us % TWO32 | 0);
  // The recorded program's main thread waits for the first tick before it runs.
  if (first) {
    first = false;
    Atomics.notify(cells, Shared.CLOCK);
  }
  if (sample) Atomics.store(cells, Shared.SAMPLE_ON, ms % sample.periodMs < sample.burstMs ? 1 : 0);
  // Sampled mode keeps the fast tick: its bursts are timed by it.
  Atomics.wait(cells, Shared.STOP, 0, unused < IDLE_AFTER || sample ? tickMs : idleTickMs);
}
