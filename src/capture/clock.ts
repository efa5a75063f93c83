/**
 * The time producers stamp events with: µs since the recorded process's time origin, as a u32
 * (wrapping after ~71 minutes; the drain unwraps it). While the ticker ticks (Shared.TICKING),
 * the time is one load of Shared.CLOCK; otherwise the producer reads `performance.now()` itself,
 * which at a low event rate costs less than a thread waking 10,000 times a second
 * (docs/adr/0019-adaptive-clock.md has the numbers).
 */
import { Shared } from '../format/layout.js';

// Taken at load, before the program runs: a program that replaces performance.now cannot break us.
export const perfNow: () => number = performance.now.bind(performance);

/** µs to add to this thread's `performance.now() * 1000` to count from the process's time origin. */
export function originSkewUs(originMs: number): number {
  return (performance.timeOrigin - originMs) * 1000;
}

/** A reader of the producers' clock for code off the hot path (chunk start times). */
export function producerClock(shared: Int32Array, originMs: number): () => number {
  const skew = originSkewUs(originMs);
  return () => (shared[Shared.TICKING] !== 0 ? shared[Shared.CLOCK]! : (perfNow() * 1000 + skew) | 0);
}
