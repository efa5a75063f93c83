/**
 * `cinema record --failures-only`: cuts the recording of a test run into one recording per failed
 * test. Runner hooks mark each test's start and end (src/runtime/test-hooks/); a failed test
 * keeps the chunks of its process that overlap its run (whole chunks, copied frame by frame with
 * their stream positions, so stacks and links inside them stay intact), in a recording named after
 * the test. Such a recording is a flight-mode excerpt: it may start a little before the test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kind } from '../format/events.js';
import { codecNames, type CodecCode } from '../format/layout.js';
import { visitChunk } from '../recording/events.js';
import { files, makePrivateDir, processDir, writePrivateFile } from '../recording/layout.js';
import type { ProcessInfo } from '../recording/manifest.js';
import type { Recording } from '../recording/recording.js';
import { FrameEncoder, SegmentFile } from '../recording/segment-writer.js';
import type { Value } from '../recording/value-reader.js';
import { field } from './values.js';

export interface TestRun {
  name: string;
  file?: string;
  pid: number;
  thread: number;
  start: number;
  end: number;
  failed: boolean;
  error?: string;
}

export interface FailedTest extends TestRun {
  dir: string;
}

const str = (v: Value | undefined) => (typeof v === 'string' ? v : undefined);

/** Every test the hooks marked, with its time range in its process's clock. */
export function testRuns(rec: Recording): TestRun[] {
  const runs: TestRun[] = [];
  for (const p of rec.processes) {
    const open = new Map<string, number>();
    for (const chunk of p.chunks()) {
      visitChunk(chunk, (kind, _site, _seq, time, _payload, hasValue, values) => {
        if (kind !== Kind.MARK || !hasValue) return;
        const v = values.record();
        const name = str(field(v, 'test'));
        const phase = field(v, 'phase');
        if (name === undefined) return;
        const key = `${chunk.thread}:${name}`;
        if (phase === 'start') open.set(key, time);
        else if (phase === 'end') {
          runs.push({ name, file: str(field(v, 'file')), pid: p.pid, thread: chunk.thread, start: open.get(key) ?? time, end: time, failed: field(v, 'failed') === true, error: str(field(v, 'error')) });
          open.delete(key);
        }
      });
    }
  }
  return runs;
}

/** Writes a recording per failed test under `base/<slug>`; returns them. */
export function splitFailures(rec: Recording, base: string, slug: (name: string) => string): FailedTest[] {
  const out: FailedTest[] = [];
  const used = new Set<string>();
  for (const run of testRuns(rec).filter((r) => r.failed)) {
    let name = slug(run.name);
    for (let n = 2; used.has(name) || fs.existsSync(path.join(base, name)); n++) name = `${slug(run.name)}-${n}`;
    used.add(name);
    const dir = path.join(base, name);
    writeExcerpt(rec, run, dir);
    out.push({ ...run, dir });
  }
  return out;
}

function writeExcerpt(rec: Recording, run: TestRun, dir: string): void {
  const p = rec.processes.find((x) => x.pid === run.pid)!;
  makePrivateDir(processDir(dir, run.pid));
  const procDir = processDir(dir, run.pid);
  const codec = Object.entries(codecNames).find(([, n]) => n === p.info.codec)?.[0];
  const encoder = new FrameEncoder(Number(codec ?? 0) as CodecCode);
  const segment = new SegmentFile(path.join(procDir, files.segment));
  // Per thread: a chunk overlaps the run when it starts before the run ends and the thread's next chunk starts after it began.
  const chunks = [...p.chunks()];
  let kept = 0;
  let events = 0;
  for (const [i, c] of chunks.entries()) {
    const next = chunks.slice(i + 1).find((n) => n.thread === c.thread);
    if (c.time > run.end || (next !== undefined && next.time < run.start)) continue;
    const words = new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength);
    segment.append(encoder.encode(c, words, c.values));
    kept++;
    events += c.words;
  }
  segment.close();
  for (const f of [files.sites, files.skipped]) if (fs.existsSync(path.join(p.dir, f))) fs.copyFileSync(path.join(p.dir, f), path.join(procDir, f));
  const info: ProcessInfo = { ...p.info, parentPid: null, mode: 'flight', counters: { ...p.info.counters, chunks: kept, events, bytes: fs.statSync(path.join(procDir, files.segment)).size } };
  writePrivateFile(path.join(procDir, files.process), JSON.stringify(info, null, 2));
  const sources = path.join(rec.dir, files.sources);
  if (fs.existsSync(sources)) fs.cpSync(sources, path.join(dir, files.sources), { recursive: true });
  const manifest = { ...rec.manifest, mode: 'flight' as const, processes: [run.pid], test: { name: run.name, file: run.file, error: run.error } };
  writePrivateFile(path.join(dir, files.manifest), JSON.stringify(manifest, null, 2));
}
