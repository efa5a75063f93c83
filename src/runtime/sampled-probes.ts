/**
 * Sampled mode: the ticker opens and closes a gate (Shared.SAMPLE_ON); events outside a burst are
 * counted only. Wraps the finished probes once, so the unsampled modes pay nothing for it.
 */
import { Ring, Shared } from '../format/layout.js';
import type { Probes } from '../format/probes.js';

export interface SampledProbes<T extends Probes> {
  probes: T;
  /** Adds the events skipped since the last call to the ring's SAMPLED_OUT counter (on each flush). */
  settle(): void;
}

export function sampledProbes<T extends Probes>(probes: T, shared: Int32Array, ctrl: Int32Array): SampledProbes<T> {
  let out = 0;
  const gate = <F extends (...args: never[]) => unknown>(f: F, none: ReturnType<F>): F =>
    ((...args: never[]) => {
      if (shared[Shared.SAMPLE_ON] === 0) {
        out++;
        return none;
      }
      return f(...args);
    }) as F;
  /** Outside a burst, these return the expression value they were handed (argument `at`), unrecorded. */
  const passThrough = <R>(f: (s: number, ...rest: never[]) => R, at: number) =>
    ((...args: never[]) => (shared[Shared.SAMPLE_ON] === 0 ? (out++, args[at]) : f(...(args as unknown as [number])))) as typeof f;
  const { c, cv, cn, x, xv, t, u, k } = probes;
  return {
    probes: {
      ...probes,
      c: gate(c, 0),
      cv: gate(cv, 0),
      cn: gate(cn, 0),
      x: gate(x, undefined),
      xv: gate(xv, undefined),
      t: gate(t, undefined),
      u: gate(u, undefined),
      k: gate(k, undefined),
      s: passThrough(probes.s, 1) as Probes['s'],
      w: passThrough(probes.w, 2) as Probes['w'],
      pw: passThrough(probes.pw, 3) as Probes['pw'],
      pp: passThrough(probes.pp, 3) as Probes['pp'],
      pd: passThrough(probes.pd, 3) as Probes['pd'],
      bw: passThrough(probes.bw, 1) as Probes['bw'],
      mu: passThrough(probes.mu, 3) as Probes['mu'],
    },
    settle() {
      if (out !== 0) {
        Atomics.add(ctrl, Ring.SAMPLED_OUT, out);
        out = 0;
      }
    },
  };
}
