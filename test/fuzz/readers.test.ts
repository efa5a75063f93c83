/**
 * Fuzzing the recording readers with damaged recordings (fixed seed, a couple of thousand cases).
 * The contract: a reader ends in a RecordingError with a one-line message, or returns a correct
 * (possibly partial) answer; a segment cut short returns every whole frame before the cut; a newer
 * format version is refused naming the version. The harness is shared with bench/fuzz.mjs, which
 * runs the same cases by the hundred thousand.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module shared with bench/fuzz.mjs
import * as H from './harness.mjs';
import { root } from '../helpers.js';

const SEED = 42;
/** Cases per family (13 families). */
const RUNS = 120;

interface Result {
  outcome: 'ok' | 'recording-error' | 'other';
  detail: string;
  ms: number;
}

let lib: any;
let corpus: any[];
let scratch: string;
let recordings: string;

beforeAll(async () => {
  lib = await H.loadLib(root);
  recordings = fs.mkdtempSync(path.join(os.tmpdir(), 'cinema-fuzz-rec-'));
  const dirs = H.recordFixtures(root, recordings);
  scratch = H.makeScratch();
  corpus = H.makeCorpus(lib, dirs, scratch);
});

afterAll(() => {
  for (const d of [scratch, recordings]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const run = (c: object): Result => H.runCase(lib, corpus, c, scratch, 5000);
const recIndex = (name: string): number => {
  const i = corpus.findIndex((r) => r.name === name);
  if (i < 0) throw new Error(`no base recording ${name}`);
  return i;
};

describe('readers on damaged recordings (fast-check, seed 42)', () => {
  it('base recordings read back the same events however they are cut into frames', () => {
    const names = corpus.map((r) => r.name);
    expect(names).toContain('fib/split99');
    const frames = corpus.filter((r) => r.name.startsWith('fib')).map((r) => r.procs[0].frames.length);
    expect(Math.max(...frames)).toBeGreaterThan(20);
  });

  for (const family of H.FAMILIES as string[]) {
    it(`${family}: RecordingError or the right answer, never anything else`, () => {
      const seen: Record<string, number> = {};
      fc.assert(
        fc.property(H.caseArb(fc, family), (c: any) => {
          const r = run(c);
          const key = r.outcome;
          seen[key] = (seen[key] ?? 0) + 1;
          if (r.outcome === 'other') throw new Error(`${r.detail}\ncase: ${H.showCase(c)}`);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      // every family must reach the readers in both ways (or, for the families that can only be
      // refused, at least be refused)
      expect((seen['ok'] ?? 0) + (seen['recording-error'] ?? 0)).toBeGreaterThan(RUNS / 3);
    });
  }

  it('truncation at each frame boundary reads exactly the whole frames before it', () => {
    for (const name of ['fib/split99', 'workers/split5', 'async/split5']) {
      const base = corpus[recIndex(name)];
      const proc = base.procs.find((p: any) => p.frames.length > 1);
      for (let k = 0; k < proc.frames.length; k++) {
        const r = run({ family: 'truncate', rec: recIndex(name), proc: base.procs.indexOf(proc), where: 'frameEnd', frame: k, r: 0 });
        expect(r.outcome, r.detail).toBe('ok');
      }
    }
  });

  it('a newer segment version and a newer manifest version are refused, naming the version', () => {
    expect(run({ family: 'fileHeader', rec: 0, proc: 0, version: 2, magic: false })).toMatchObject({ outcome: 'recording-error', detail: expect.stringContaining('version 2') });
    expect(run({ family: 'manifest', rec: 0, mode: 'version', version: 7 })).toMatchObject({ outcome: 'recording-error', detail: expect.stringContaining('version 7') });
  });
});

/** Reader bugs the fuzzer found, one reproduction each, kept so they stay fixed. */
describe('reader bugs found by fuzzing stay fixed', () => {
  it('frame-order: a duplicated frame is refused or read once ', () => {
    const r = run({ family: 'frameOps', rec: recIndex('fib/split99'), proc: 0, op: 'dup', i: 0, j: 1 });
    expect(r.outcome, r.detail).not.toBe('other');
  });

  it('frame-order: a frame missing from the middle of a thread is noticed', () => {
    const r = run({ family: 'frameOps', rec: recIndex('fib/split99'), proc: 0, op: 'remove', i: 3, j: 0 });
    expect(r.outcome, r.detail).not.toBe('other');
  });

  it('frame-position-time: a frame position of NaN (valid header checksum) is refused', () => {
    const r = run({ family: 'headerField', rec: recIndex('fib/split99'), proc: 0, frame: 0, field: 'POSITION', u32: 0, delta: 0, useDelta: false, f64: NaN });
    expect(r.outcome, r.detail).not.toBe('other');
  });

  it('process-json-shape: a process directory whose process.json is {} gives a RecordingError', () => {
    const r = run({ family: 'structure', rec: 0, proc: 0, what: 'extraProcDir' });
    expect(r.outcome, r.detail).not.toBe('other');
  });

  it('process-json-shape: process.json holding `null` gives a RecordingError', () => {
    const r = run({ family: 'processJson', rec: 0, proc: 0, mode: 'notObject', field: 'pid', value: null, cut: 0, garbage: new Uint8Array() });
    expect(r.outcome, r.detail).not.toBe('other');
  });

  it('sites-null-line: a line `null` in sites.jsonl is skipped or refused', () => {
    const r = run({ family: 'sitesJsonl', rec: 0, proc: 0, mode: 'line', line: null, field: 'base', value: null, cut: 0, garbage: new Uint8Array() });
    expect(r.outcome, r.detail).not.toBe('other');
  });

  it('processes-not-dir: <rec>/processes being a file gives a RecordingError', () => {
    const r = run({ family: 'structure', rec: 0, proc: 0, what: 'processesIsFile' });
    expect(r.outcome, r.detail).not.toBe('other');
  });

  it('manifest-shape: manifest.json with "command": null gives a RecordingError', () => {
    const r = run({ family: 'manifest', rec: 0, mode: 'field', field: 'command', value: null });
    expect(r.outcome, r.detail).not.toBe('other');
  });
});

describe('cinema stats on damaged recordings (CLI)', () => {
  /** Runs the CLI on the damaged recording of case `c`; `DIR` in args is replaced by its directory. */
  function cli(c: object, args: string[] = ['stats', 'DIR']) {
    const { files } = H.applyCase(lib, corpus, c);
    const dir = H.writeCase(scratch, files);
    return spawnSync(process.execPath, [path.join(root, 'bin', 'cinema.js'), ...args.map((a) => (a === 'DIR' ? dir : a))], { encoding: 'utf8', timeout: 30_000 });
  }
  const oneLineError = (r: ReturnType<typeof cli>, cmd: string) => {
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^cinema ${cmd}: `));
    return lines[0]!;
  };

  it('a bit flip in a frame: exit 1, one line', () => {
    oneLineError(cli({ family: 'bitflip', rec: recIndex('fib'), proc: 0, flips: [16 * 8 + 52 * 8 + 3], burst: null }), 'stats');
  });

  it('a newer manifest version: exit 1, one line naming the version', () => {
    expect(oneLineError(cli({ family: 'manifest', rec: 0, mode: 'version', version: 3 }), 'stats')).toContain('version 3');
  });

  it('a newer segment file version: exit 1, one line naming the version', () => {
    expect(oneLineError(cli({ family: 'fileHeader', rec: 0, proc: 0, version: 9, magic: false }), 'stats')).toContain('version 9');
  });

  it('manifest.json not JSON: exit 1, one line', () => {
    oneLineError(cli({ family: 'manifest', rec: 0, mode: 'garbage', garbage: new Uint8Array([0x7b, 0x22]) }), 'stats');
  });

  it('a hostile value record: query events exits 1 with one line', () => {
    oneLineError(cli({ family: 'hostileValue', rec: 0, which: 0, wrap: false }, ['query', 'DIR', 'events', '--json']), 'query');
  });

  it('a segment cut inside a frame: exit 0 and the whole frames before the cut', () => {
    const rec = recIndex('fib/split99');
    const base = corpus[rec];
    const r = cli({ family: 'truncate', rec, proc: 0, where: 'inPayload', frame: 10, r: 5 }, ['stats', 'DIR', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.events).toBe(base.procs[0].frames.slice(0, 10).reduce((n: number, f: any) => n + f.rows.length, 0));
  });
});
