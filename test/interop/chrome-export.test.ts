import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kind } from '../../src/format/events.js';
import { EventIndex } from '../../src/query/index/event-index.js';
import { Recording } from '../../src/recording/recording.js';
import { cinema, fixture, record, tempDir } from '../helpers.js';
import { checkTrace, type TraceEvent } from './trace-event-schema.js';

function exportTrace(dir: string, extra: string[] = []): { r: { slices: number; flows: number; events: number }; events: TraceEvent[]; problems: string[] } {
  const out = path.join(tempDir(), 'trace.json');
  const run = cinema(['export', dir, '--format', 'chrome', '--out', out, '--json', ...extra]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const { problems, events } = checkTrace(JSON.parse(fs.readFileSync(out, 'utf8')));
  return { r: JSON.parse(run.stdout) as { slices: number; flows: number; events: number }, events, problems };
}

/** Per activation (call or resume row) of the recording: thread, name, start and end in µs after the earliest process start. */
function activations(dir: string) {
  const rec = Recording.open(dir);
  const index = EventIndex.open(rec);
  try {
    const base = Math.min(...rec.processes.map((p) => p.info.timeOrigin * 1000));
    const out = new Map<number, { pid: number; tid: number; name: string; call: number; start: number; end: number }>();
    for (const c of index.chunks) {
      for (let row = c.firstRow; row < c.firstRow + c.rows; row++) {
        const k = index.kind(row);
        const at = rec.processes[c.proc]!.info.timeOrigin * 1000 - base + index.col.time.get(row);
        if (k === Kind.CALL || k === Kind.RESUME) {
          const call = index.callOf(row);
          out.set(row, { pid: index.pidOf(c.proc), tid: c.thread, name: index.site(c.proc, index.col.site.get(call))!.name, call, start: at, end: NaN });
        } else if (k === Kind.SUSPEND || k === Kind.RETURN || k === Kind.THROW) out.get(index.col.parent.get(row))!.end = at;
      }
    }
    return [...out.values()];
  } finally {
    index.close();
  }
}

const slicesOf = (events: TraceEvent[], row: number) => events.find((e) => e.ph === 'X' && e.args!.event === row);

describe('cinema export --format chrome', () => {
  it('writes a valid Trace Event file with one slice per function run, nested per thread, that reads back to the recording', () => {
    const { dir, code } = record(['node', fixture('async.mjs')]);
    expect(code).toBe(0);
    const { r, events, problems } = exportTrace(dir);
    expect(problems).toEqual([]);
    const slices = events.filter((e) => e.ph === 'X');
    expect(slices).toHaveLength(r.slices);
    // Read back: every activation of every function is a slice with its name, thread, start and
    // duration; an async function shows one slice per run between awaits.
    const acts = activations(dir);
    expect(acts.length).toBeGreaterThan(20);
    const key = (a: { pid?: number; tid?: number; name?: string; call: number; start: number }) => `${a.pid}:${a.tid}:${a.name}:${a.call}:${a.start.toFixed(3)}`;
    const fromTrace = slices.map((s) => key({ pid: s.pid, tid: s.tid, name: s.name, call: s.args!.event as number, start: s.ts! })).sort();
    expect(fromTrace).toEqual(acts.map(key).sort());
    const ended = acts.filter((a) => !Number.isNaN(a.end));
    // Runs of one call can share a start time (a starved clock): each needs a slice of its own duration.
    const unmatched = ended.filter((a) => !slices.some((x) => x.args!.event === a.call && Math.abs(x.ts! - a.start) < 0.002 && Math.abs(x.dur! - (a.end - a.start)) < 0.002));
    expect(unmatched).toEqual([]);
    const steps = slices.filter((s) => s.name === 'step');
    expect(steps.filter((s) => s.args!.resumed)).toHaveLength(10); // 5 calls × 2 awaits each
    expect(steps.filter((s) => s.args!.returned !== undefined).map((s) => Number(s.args!.returned))).toEqual([0, 2, 4, 6, 8]);
    expect(events.find((e) => e.ph === 'M' && e.name === 'process_name')!.args!.name).toContain('async.mjs');
  });

  it('draws HTTP exchanges as async slices and causal links across processes as flow arrows', () => {
    const { dir, code } = record(['node', fixture('correlate/http-chain.mjs')], ['--causality']);
    expect(code).toBe(0);
    const { r, events, problems } = exportTrace(dir);
    expect(problems).toEqual([]);
    const pids = new Set(events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.pid));
    expect(pids.size).toBe(3);
    const http = events.filter((e) => e.cat === 'http');
    // launcher → A, A → B twice: three client and three server exchanges, each begun and ended.
    expect(http.filter((e) => e.ph === 'b').map((e) => e.name!.split(' ')[0]).sort()).toEqual(['client', 'client', 'client', 'server', 'server', 'server']);
    expect(http.filter((e) => e.ph === 'e')).toHaveLength(6);
    const starts = events.filter((e) => e.ph === 's');
    expect(starts).toHaveLength(r.flows);
    // A flow whose ends are in different processes: the request that caused a handler elsewhere.
    const finishes = new Map(events.filter((e) => e.ph === 'f').map((e) => [e.id, e]));
    const crossProcess = starts.filter((s) => finishes.get(s.id)!.pid !== s.pid);
    expect(crossProcess.length).toBeGreaterThanOrEqual(3);
    // Each arrow ends at the root of a run (args.event: the activation's row); the request to A
    // leads to the run that calls handleA, the requests to B to runs of handleB.
    const rootOf = (f: TraceEvent) => slicesOf(events, f.args!.event as number);
    const roots = crossProcess.map((s) => rootOf(finishes.get(s.id)!));
    expect(roots.every((r) => r !== undefined)).toBe(true);
    expect(roots.map((r) => r!.name)).toEqual(expect.arrayContaining(['handleB']));
    const treeNames = roots.map((r) => JSON.stringify(JSON.parse(cinema(['query', dir, 'calltree', String(r!.args!.event), '--json']).stdout)));
    expect(treeNames.some((t) => t.includes('"name":"handleA"'))).toBe(true);
    expect(events.filter((e) => e.cat === 'log').length).toBeGreaterThan(0);

    // Re-imported (cinema import --format chrome) and exported again: the same slices, instants
    // and HTTP exchanges; causal arrows only where the first file had them.
    const file = path.join(tempDir(), 'first.json');
    fs.writeFileSync(file, JSON.stringify({ otherData: { originEpochUs: 1_700_000_000_000_000 }, traceEvents: events }));
    const back = path.join(tempDir(), 'back');
    const imp = cinema(['import', '--format', 'chrome', file, '--out', back, '--json']);
    expect(imp.stderr).toBe('');
    expect(JSON.parse(imp.stdout)).toMatchObject({ processes: 3, slices: r.slices });
    const again = exportTrace(back);
    expect(again.problems).toEqual([]);
    const norm = (list: TraceEvent[]) => {
      const base = Math.min(...list.filter((e) => e.ph !== 'M').map((e) => e.ts!));
      const pids = [...new Set(list.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.pid))];
      const at = (e: TraceEvent) => Math.round(e.ts! - base);
      return {
        slices: list.filter((e) => e.ph === 'X').map((e) => `${pids.indexOf(e.pid)}/${e.tid} ${e.name} ${at(e)} ${Math.round(e.dur!)}`).sort(),
        instants: list.filter((e) => e.ph === 'i').map((e) => `${pids.indexOf(e.pid)}/${e.tid} ${e.cat} ${e.name} ${at(e)}`).sort(),
        http: list.filter((e) => e.cat === 'http').map((e) => `${pids.indexOf(e.pid)} ${e.ph} ${e.name} ${at(e)}`).sort(),
        flows: list.filter((e) => e.ph === 'f').map((f) => { const s = list.find((x) => x.ph === 's' && x.id === f.id)!; return `${pids.indexOf(s.pid)} ${at(s)} -> ${pids.indexOf(f.pid)} ${at(f)}`; }).sort(),
      };
    };
    const [a, b] = [norm(events), norm(again.events)];
    // Lines match when their words match, numbers within 2 µs (clock origins are whole µs on import).
    const same = (x: string, y: string) => { const n = x.split(' '), m = y.split(' '); return n.length === m.length && n.every((w, k) => w === m[k] || Math.abs(Number(w) - Number(m[k])) <= 2); };
    const unmatched = (x: string[], y: string[]) => { const left = [...y]; return x.filter((line) => { const i = left.findIndex((o) => same(line, o)); if (i < 0) return true; left.splice(i, 1); return false; }); };
    expect(b.slices).toHaveLength(a.slices.length);
    expect(unmatched(a.slices, b.slices)).toEqual([]);
    expect(unmatched(a.instants, b.instants)).toEqual([]);
    expect(unmatched(a.http, b.http)).toEqual([]);
    expect(b.flows.length).toBeGreaterThan(0);
    expect(unmatched(b.flows, a.flows)).toEqual([]);
    // Arrows across processes come back as causes (not all: arrows into runs that start in the
    // same microsecond on one thread cannot be told apart once imported).
    const cross = (l: string[]) => l.filter((f) => { const [from, , , to] = f.split(' '); return from !== to; });
    expect(cross(b.flows).length).toBeGreaterThan(0);
  });

  it('the schema check catches what a viewer would reject', () => {
    const ok = { ph: 'X', name: 'a', ts: 0, dur: 10, pid: 1, tid: 1 };
    expect(checkTrace({ traceEvents: [ok] }).problems).toEqual([]);
    expect(checkTrace({ traceEvents: [ok, { ...ok, ts: 5, dur: 10 }] }).problems[0]).toContain('without nesting');
    expect(checkTrace({ traceEvents: [{ ...ok, dur: -1 }] }).problems[0]).toContain('dur');
    expect(checkTrace({ traceEvents: [ok, { ph: 's', name: 'c', cat: 'c', id: 1, ts: 50, pid: 1, tid: 1 }] }).problems.join()).toMatch(/no slice encloses.*1 starts, 0 finishes/);
    expect(checkTrace({ nope: [] }).problems).toEqual(['no traceEvents array']);
  });

  it('refuses options of other formats and a missing --out with a usage error', () => {
    const dir = path.join(tempDir(), 'not-read'); // usage is checked before the recording is opened
    const r = cinema(['export', dir, '--format', 'chrome', '--functions', 'x', '--out', path.join(tempDir(), 't.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--functions is for --format otlp');
    expect(cinema(['export', dir, '--format', 'chrome']).stderr).toContain('--out FILE');
  });
});
