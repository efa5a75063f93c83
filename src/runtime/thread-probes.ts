/**
 * The probes a recorded thread has (probes.ts makes them): the Probes contract instrumented code
 * calls, plus the events the runtime observes itself (observed-probes.ts).
 */
import type { Probes } from '../format/probes.js';
import type { ObservedProbes } from './observed-probes.js';

export interface ThreadProbes extends Probes, ObservedProbes {
  /** Publishes the current partial chunk (on idle, exit or request). */
  flush(): void;
}

export interface ProbeOptions {
  /** Capture thrown values even when the module records no other values. */
  captureThrown: boolean;
  sampled: boolean;
  /**
   * Run-time level of each site (format/levels.ts): an event is skipped when its site's level is
   * below what it needs — one typed-array read per probe. Sites beyond the table record as compiled
   * (absent: an empty table, every site as compiled).
   */
  levels?: Uint8Array;
  /** Allocates `count` site ids and records a module's site table; returns the base. */
  load(count: number, sitesJson: string, shifts?: () => [string, number[]]): number;
  /** performance.timeOrigin of the process's main thread: event times count from it. */
  origin: number;
}
