/**
 * Where a move lands: continue and reverse-continue run to the next breakpoint hit (conditions and
 * log points evaluated on recorded values) or the edge of the recording; a step lands where the
 * stepping rule says unless a breakpoint is hit on the way. The session only tells the editor.
 */
import { step, type StepKind } from '../query/stepping.js';
import type { Breakpoints, HitCheck } from './breakpoints.js';
import { condition } from './evaluate.js';
import type { Inspector } from './inspect.js';
import type { Replay } from './replay.js';
import { resolveRef } from './values.js';

/** A stop to report: the event, why, and the breakpoints hit there. */
export interface Stop {
  row: number;
  reason: string;
  description?: string;
  hit?: { id: number }[];
}

export type Output = (text: string, category: 'stderr' | 'console') => void;

export class Travel {
  constructor(
    readonly replay: Replay,
    readonly bps: Breakpoints,
    readonly look: Inspector,
    readonly output: Output,
  ) {}

  /** Conditions hold on the recorded values at the hit; log points print and never stop. */
  #check(): HitCheck {
    return {
      holds: (bp, row) => {
        if (bp.condition === undefined) return true;
        const c = condition(bp.condition, this.look.namesAt(row, undefined, new Set(bp.condition.match(/[A-Za-z_$][\w$]*/g))), (v) => resolveRef(this.replay.index, row, v));
        if (c.error) this.output(`breakpoint condition at ${'line' in bp ? `line ${bp.line}` : bp.name}: ${c.error}\n`, 'stderr');
        return c.holds;
      },
      log: (bp, row) => {
        const text = bp.logMessage!.replace(/\{([^}]+)\}/g, (_, expr: string) => this.look.show(expr, row));
        this.output(`${text}\n`, 'console');
      },
    };
  }

  /** From `from` to the next breakpoint hit, or to the edge of the recording in `fallback`'s thread. */
  run(from: number, back: boolean, fallback: number): Stop {
    const r = this.replay;
    const hit = this.bps.find(from, back, this.#check());
    if (hit) return { row: hit.row, reason: hit.reason, ...(hit.reason === 'exception' ? { description: 'Exception (recorded)' } : {}), hit: hit.breakpoints };
    const ctx = r.ctxOf(fallback);
    return { row: back ? r.firstRow(ctx) : r.lastRow(ctx), reason: back ? 'entry' : 'step', description: back ? 'start of the recording' : 'end of the recording' };
  }

  /** A step lands where the stepping rule says, unless a breakpoint is hit on the way there. */
  step(row: number, how: StepKind, back: boolean): Stop {
    const r = this.replay;
    const to = step(r.index, row, how, back);
    if (to < 0) return { row, reason: 'step', description: back ? 'start of the recording' : 'end of the recording' };
    if (how !== 'into') {
      const hit = this.bps.find(row, back, this.#check(), to);
      if (hit && r.ctxOf(hit.row) === r.ctxOf(row)) return { row: hit.row, reason: hit.reason, hit: hit.breakpoints };
    }
    return { row: to, reason: 'step' };
  }
}
