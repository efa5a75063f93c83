/**
 * `runInsights(index)`: every detector over one recording, findings sorted by severity and time.
 * Each detector is independent; one that fails on odd data is reported in `errors` and the others
 * still run.
 */
import type { EventIndex } from '../query/index/event-index.js';
import { makeCtx, type Ctx } from './context.js';
import { growth } from './detectors/growth.js';
import { lostUpdates } from './detectors/lost-update.js';
import { nPlusOne } from './detectors/n-plus-one.js';
import { neverSettled } from './detectors/pending.js';
import { swallowedErrors } from './detectors/swallowed.js';
import { blocking, slowCalls } from './detectors/timing.js';
import { uncaughtErrors } from './detectors/uncaught.js';
import type { Finding, FindingKind, InsightOptions, InsightReport } from './types.js';

export type { Finding, FindingKind, InsightOptions, InsightReport, Location, Severity } from './types.js';

export const detectors: Record<FindingKind, (ctx: Ctx) => Finding[]> = {
  'uncaught-error': uncaughtErrors,
  'lost-update': lostUpdates,
  'never-settled': neverSettled,
  'swallowed-error': swallowedErrors,
  'n-plus-one': nPlusOne,
  'event-loop-blocked': blocking,
  'slow-call': slowCalls,
  growth,
};

export const findingKinds = Object.keys(detectors) as FindingKind[];

const rank = { high: 0, medium: 1, low: 2 } as const;

export function runInsights(index: EventIndex, options: InsightOptions = {}): InsightReport & { errors: { detector: string; message: string }[] } {
  const ctx = makeCtx(index, options);
  const findings: Finding[] = [];
  const errors: { detector: string; message: string }[] = [];
  for (const kind of options.only ?? findingKinds) {
    try {
      findings.push(...detectors[kind](ctx));
    } catch (e) {
      errors.push({ detector: kind, message: (e as Error).message });
    }
  }
  findings.sort((a, b) => rank[a.severity] - rank[b.severity] || (a.events[0] ?? 0) - (b.events[0] ?? 0));
  return {
    recording: index.rec.dir,
    complete: index.rec.complete,
    events: index.rows,
    truncatedThreads: ctx.views.filter((v) => v.truncated).length,
    findings,
    errors,
  };
}
