/**
 * The timeline's marks: HTTP exchanges (found with the async-context lanes), errors, and the
 * insight detectors' findings at their first event. Errors and HTTP are answered at once; the
 * detectors run in a worker thread (src/server/insight-worker.ts) started by the first request,
 * and until they finish the answer says `pending` (the page asks again).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../insight/index.js';
import type { MarksResponse } from './api.js';
import { errorsOf } from './find.js';
import type { UiModel } from './model.js';

const INSIGHT_ROWS = 2_000_000;

interface State {
  base: Omit<MarksResponse, 'insights' | 'notes' | 'pending'>;
  insights: MarksResponse['insights'];
  notes: string[];
  pending: boolean;
}
const states = new WeakMap<UiModel, State>();

/** The worker's module: beside this one when built; from dist/ when this runs from src/ (tests). */
function workerFile(): URL {
  const here = new URL('./insight-worker.js', import.meta.url);
  return fs.existsSync(fileURLToPath(here)) ? here : new URL('../../dist/server/insight-worker.js', import.meta.url);
}

export function marksOf(m: UiModel, insights = true): MarksResponse {
  let s = states.get(m);
  if (!s) {
    const at = (id: number) => ({ lane: m.laneOfRow(id).info.lane, timeUs: m.globalTime(id) });
    const errors = errorsOf(m).errors.map((e) => ({ id: e.id, message: e.message, ...at(e.id) }));
    s = { base: { http: m.http, errors }, insights: [], notes: [], pending: insights };
    states.set(m, s);
    if (insights) run(m, s, at);
  }
  return { ...s.base, insights: s.insights, notes: s.notes, ...(s.pending ? { pending: true } : {}) };
}

function run(m: UiModel, s: State, at: (id: number) => { lane: number; timeUs: number }): void {
  const done = (notes: string[]) => {
    s.notes = notes;
    s.pending = false;
  };
  let w: Worker;
  try {
    w = new Worker(workerFile(), { workerData: { dir: m.rec.dir, maxRowsPerThread: INSIGHT_ROWS } });
  } catch (e) {
    return done([`insights could not run: ${(e as Error).message}`]);
  }
  w.unref();
  w.once('message', (r: { findings?: Finding[]; errors?: { detector: string; message: string }[]; truncatedThreads?: number; failed?: string }) => {
    if (r.failed !== undefined) return done([`insights failed: ${r.failed}`]);
    s.insights = (r.findings ?? []).filter((f) => f.events.length > 0).map((f) => ({ id: f.events[0]!, kind: f.kind, severity: f.severity, title: f.title, ...at(f.events[0]!) }));
    const notes = (r.errors ?? []).map((e) => `insight detector ${e.detector} failed: ${e.message}`);
    if (r.truncatedThreads) notes.push(`insights looked at the first ${INSIGHT_ROWS.toLocaleString('en')} events of ${r.truncatedThreads} thread(s)`);
    done(notes);
  });
  w.once('error', (e) => done([`insights failed: ${e.message}`]));
  w.once('exit', (code) => s.pending && done([`insights stopped (exit ${code})`]));
}
