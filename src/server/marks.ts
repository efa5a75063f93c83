/**
 * The timeline's marks: HTTP exchanges (found with the async-context lanes), errors, and the
 * insight detectors' findings at their first event. Insights cost a pass over each thread, so
 * they are computed once, when first asked for, over at most INSIGHT_ROWS rows per thread.
 */
import { runInsights } from '../insight/index.js';
import type { MarksResponse } from './api.js';
import { errorsOf } from './find.js';
import type { UiModel } from './model.js';

const INSIGHT_ROWS = 2_000_000;
const cache = new WeakMap<UiModel, MarksResponse>();

export function marksOf(m: UiModel): MarksResponse {
  const hit = cache.get(m);
  if (hit) return hit;
  const at = (id: number) => ({ lane: m.laneOfRow(id).info.lane, timeUs: m.globalTime(id) });
  const errors = errorsOf(m).errors.map((e) => ({ id: e.id, message: e.message, ...at(e.id) }));
  const report = runInsights(m.index, { maxRowsPerThread: INSIGHT_ROWS });
  const insights = report.findings.filter((f) => f.events.length > 0).map((f) => ({ id: f.events[0]!, kind: f.kind, severity: f.severity, title: f.title, ...at(f.events[0]!) }));
  const notes = report.errors.map((e) => `insight detector ${e.detector} failed: ${e.message}`);
  if (report.truncatedThreads > 0) notes.push(`insights looked at the first ${INSIGHT_ROWS.toLocaleString('en')} events of ${report.truncatedThreads} thread(s)`);
  const out: MarksResponse = { http: m.http, errors, insights, notes };
  cache.set(m, out);
  return out;
}
