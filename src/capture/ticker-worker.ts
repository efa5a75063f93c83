/**
 * The clock: keeps Shared.CLOCK at the microseconds since the recorded process's time origin.
 * In sampled mode it also opens and closes the sampling gate.
 *
 * It ticks every `tickMs` (Shared.TICKING = 1) only while the program records events fast enough
 * that one load per event beats reading a clock per event; below that, producers read
 * `performance.now()` themselves (capture/clock.ts) and the ticker wakes every `idleTickMs` just
 * to watch the rate. A server handling a few thousand requests a second then pays no 10 kHz
 * wake-ups on its core. Sampled mode always ticks: its bursts are timed by the ticks.
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

/** Words per ms above which ticking starts, and below which it stops (hysteresis), over WINDOW_MS. */
const TICK_ABOVE = 1000;
const TICK_BELOW = 250;
const WINDOW_MS = 10;

const { shared: sab, origin, tickMs, idleTickMs, sample } = workerData as TickerData;
const cells = new Int32Array(sab);
const skew = performance.timeOrigin - origin;
const TWO32 = 0x1_0000_0000;

let ticking = sample !== null;
let windowStart = skew + performance.now();
Atomics.store(cells, Shared.TICKING, ticking ? 1 : 0);
while (Atomics.load(cells, Shared.STOP) === 0) {
  const ms = skew + performance.now();
  const us = Math.floor(ms * 1000);
  Atomics.store(cells, Shared.CLOCK_HI, Math.floor(us / TWO32));
  Atomics.store(cells, Shared.CLOCK, us % TWO32 | 0);
  if (sample) Atomics.store(cells, Shared.SAMPLE_ON, ms % sample.periodMs < sample.burstMs ? 1 : 0);
  else if (ms - windowStart >= WINDOW_MS) {
    const rate = Atomics.exchange(cells, Shared.WORDS, 0) / (ms - windowStart);
    windowStart = ms;
    // CLOCK was stored above, before producers may start trusting it.
    const wanted = ticking ? rate >= TICK_BELOW : rate > TICK_ABOVE;
    if (wanted !== ticking) {
      ticking = wanted;
      Atomics.store(cells, Shared.TICKING, ticking ? 1 : 0);
    }
  }
  Atomics.wait(cells, Shared.STOP, 0, ticking ? tickMs : idleTickMs);
}
