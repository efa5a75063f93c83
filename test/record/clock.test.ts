import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Ring, Shared } from '../../src/format/layout.js';
import { RingWriter, TIME_WORD } from '../../src/capture/ring-writer.js';
import { createProbes } from '../../src/runtime/probes.js';
import { ValueWriter } from '../../src/runtime/value-writer.js';
import { defaultLimits } from '../../src/format/values.js';
import { cinema, fixture, record, root } from '../helpers.js';

interface Row {
  kind: string;
  name: string;
  /** µs since the process's time origin. */
  time: number;
}

function events(dir: string, fn: string, extra: string[] = []): Row[] {
  const q = cinema(['query', dir, 'events', '--function', fn, '--json', ...extra]);
  expect(q.code, q.stderr).toBe(0);
  return JSON.parse(q.stdout) as Row[];
}

/** Polls a shared cell until it holds `value` (the ticker decides every ~10 ms). */
async function until(cells: Int32Array, cell: number, value: number, feed: () => void): Promise<boolean> {
  for (let i = 0; i < 400; i++) {
    feed();
    if (Atomics.load(cells, cell) === value) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

describe('the adaptive clock', () => {
  it('the ticker ticks only while producers write fast, and keeps CLOCK current either way', async () => {
    const sab = new SharedArrayBuffer(Shared.INTS * 4);
    const cells = new Int32Array(sab);
    const ticker = new Worker(path.join(root, 'dist', 'capture', 'ticker-worker.js'), {
      workerData: { shared: sab, origin: performance.timeOrigin, tickMs: 0.1, idleTickMs: 10, sample: null },
    });
    try {
      // Quiet: no words written, the ticker does not tick.
      await new Promise((r) => setTimeout(r, 60));
      expect(Atomics.load(cells, Shared.TICKING)).toBe(0);
      // ~100,000 words every 5 ms is far above the threshold: it starts ticking.
      expect(await until(cells, Shared.TICKING, 1, () => Atomics.add(cells, Shared.WORDS, 100_000))).toBe(true);
      const t0 = Atomics.load(cells, Shared.CLOCK);
      for (let k = 0; k < 4; k++) {
        Atomics.add(cells, Shared.WORDS, 100_000);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(Atomics.load(cells, Shared.TICKING)).toBe(1);
      expect(Atomics.load(cells, Shared.CLOCK)).toBeGreaterThan(t0);
      // Quiet again: it stops, and CLOCK still moves at the slow wake-ups.
      expect(await until(cells, Shared.TICKING, 0, () => {})).toBe(true);
      const t1 = Atomics.load(cells, Shared.CLOCK);
      await new Promise((r) => setTimeout(r, 40));
      expect(Atomics.load(cells, Shared.CLOCK)).toBeGreaterThan(t1);
    } finally {
      Atomics.store(cells, Shared.STOP, 1);
      Atomics.notify(cells, Shared.STOP);
      await ticker.terminate();
    }
  });

  it('event times follow real time before a burst of calls and never go back across it', () => {
    const burst = 300_000;
    const r = record([process.execPath, fixture('clock-phases.mjs'), String(burst)], ['--no-values']);
    expect(r.code, r.stderr).toBe(0);
    // Before the burst no thread writes fast, so the ticker does not tick and both ends of the
    // first spin(20) (a busy wait of at least 20 ms) and the first call after a 30 ms sleep are
    // stamped from performance.now(): real time. While it ticks, a stamp can trail real time by
    // as long as the ticker thread waits for a core, so later phases are held to order only.
    const spins = events(r.dir, 'spin');
    expect(spins.map((e) => e.kind)).toEqual(['call', 'return', 'call', 'return', 'call', 'return']);
    expect(spins[1]!.time - spins[0]!.time).toBeGreaterThanOrEqual(19_900);
    const first = events(r.dir, 'leaf', ['--limit', '1'])[0]!;
    const last = events(r.dir, 'leaf', ['--offset', String(2 * burst - 1), '--limit', '1'])[0]!;
    expect(last.kind).toBe('return');
    expect(first.time).toBeGreaterThanOrEqual(spins[1]!.time + 29_000);
    // Times never go back, whichever clock stamped them.
    const order = [spins[0]!, spins[1]!, first, last, ...spins.slice(2)].map((e) => e.time);
    for (let k = 1; k < order.length; k++) expect(order[k]).toBeGreaterThanOrEqual(order[k - 1]!);
  });

  it('a ticker that stops (waiting for a core) holds stamps back for at most 256 events', () => {
    const shared = new Int32Array(new SharedArrayBuffer(Shared.INTS * 4));
    const stale = Math.floor(performance.now() * 1000) - 50_000; // CLOCK stuck 50 ms ago
    shared[Shared.TICKING] = 1;
    shared[Shared.CLOCK] = stale;
    const ring = new RingWriter({ slots: 4, chunkWords: 4096, chunkValueBytes: 4096 }, 0, shared, 'drop', undefined, undefined, () => stale);
    const vw = new ValueWriter(ring.values, defaultLimits, /secret/i);
    const probes = createProbes(ring, vw, { captureThrown: false, sampled: false, load: () => 1, origin: performance.timeOrigin });
    const before = Math.floor(performance.now() * 1000);
    for (let k = 0; k < 300; k++) probes.c(1);
    probes.flush();
    const n = ring.ctrl[Ring.CONTROL_INTS + Ring.SLOT_WORDS]!;
    const times: number[] = [];
    for (let k = 0; k < n; k++) if (ring.words[k] === TIME_WORD) times.push(ring.words[++k]!);
    // Stale stamps first, then the thread's own clock within 256 events; never going back.
    expect(times[0]).toBe(stale);
    expect(times.at(-1)!).toBeGreaterThanOrEqual(before);
    expect(times.every((t, k) => k === 0 || t >= times[k - 1]!)).toBe(true);
  });
});
