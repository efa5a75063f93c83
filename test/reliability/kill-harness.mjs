/**
 * SIGKILL at random moments, shared by test/reliability/kill.test.ts (a fixed seed, 20 runs in
 * `npm test`) and bench/faults.mjs (100 runs). Each run records test/fixtures/kill-target.mjs (calls,
 * awaits, a worker, values), kills it at a moment drawn from the seed — during start-up, while it
 * works, or (sometimes) together with the `cinema record` that watches it, so nobody completes the
 * manifest — and then checks the recording with an oracle that knows nothing of the reader:
 *   - it opens, and stats, events and the call tree read without an error;
 *   - every segment file is read to its last whole frame: the reader's frame count equals a walk of
 *     the frame headers, and only the bytes after the last whole frame are reported as cut;
 *   - what was read is a prefix of each thread's stream: returns never outnumber calls, and at the
 *     kill at most a few calls were open.
 *
 * Plain JS on purpose: the test imports it through vitest, the bench through plain Node.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rng } from '../../bench/workloads/harness.mjs';

const FILE_HEADER = 16;
const FRAME_HEADER = 52;
const PAYLOAD_BYTES_AT = 36;

export async function loadLib(root) {
  const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
  const [recording, stats, events, reader] = await Promise.all([imp('recording/recording.js'), imp('query/stats.js'), imp('query/events.js'), imp('recording/segment-reader.js')]);
  return { Recording: recording.Recording, computeStats: stats.computeStats, listEvents: events.listEvents, readSegment: reader.readSegment };
}

/** Whole frames in a segment file by walking headers only (no checksums, no decompression). */
export function walkFrames(file) {
  const buf = fs.readFileSync(file);
  let off = FILE_HEADER;
  let frames = 0;
  while (off + FRAME_HEADER <= buf.length) {
    const end = off + FRAME_HEADER + buf.readUInt32LE(off + PAYLOAD_BYTES_AT);
    if (end > buf.length) break;
    frames++;
    off = end;
  }
  return { frames, cut: Math.max(0, buf.length - off) };
}

function killGroup(cli) {
  try {
    process.kill(-cli.pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The pid of the recorded process, once its recording directory exists (null if it never did). */
async function recordedPid(dir, cli) {
  for (let i = 0; i < 3000 && cli.exitCode === null; i++) {
    try {
      const pids = fs.readdirSync(path.join(dir, 'processes')).filter((n) => /^\d+$/.test(n));
      if (pids.length) return Number(pids.sort((a, b) => Number(a) - Number(b))[0]);
    } catch {
      // not there yet
    }
    await sleep(5);
  }
  return null;
}

/** One run: record, kill at `plan.delayMs` after the recording started, check. Returns a verdict. */
export async function killRun(root, lib, plan, scratch) {
  const dir = path.join(scratch, `kill-${plan.index}`);
  const target = path.join(root, 'test', 'fixtures', 'kill-target.mjs');
  const cli = spawn(process.execPath, [path.join(root, 'bin', 'cinema.js'), 'record', '--quiet', '--out', dir, ...(plan.mode ? ['--mode', plan.mode] : []), '--', process.execPath, target], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  cli.stderr.on('data', (d) => (stderr += d));
  const running = new Promise((resolve) => cli.stdout.once('data', resolve));
  cli.stdout.resume();
  const closed = new Promise((resolve) => cli.once('close', (code, signal) => resolve({ code, signal })));
  const pid = await recordedPid(dir, cli);
  if (pid === null) {
    killGroup(cli);
    await closed;
    return { ok: false, why: `the recording never started in 15 s: ${stderr.trim()}` };
  }
  if (plan.afterRunning) await Promise.race([running, sleep(10_000)]);
  await sleep(plan.delayMs);
  try {
    if (plan.killTree) killGroup(cli);
    else process.kill(pid, 'SIGKILL');
  } catch {
    // already gone: the program finished before the moment came
  }
  // `cinema record` ends once its program is gone; if it does not, it is a hang: say so, leave nothing behind.
  const end = await Promise.race([closed, sleep(30_000).then(() => null)]);
  if (end === null) {
    killGroup(cli);
    return { ok: false, why: 'cinema record did not end within 30 s of the kill' };
  }
  return { ...check(lib, dir, plan), cli: end, stderr };
}

export function check(lib, dir, plan) {
  let rec;
  try {
    rec = lib.Recording.open(dir);
  } catch (e) {
    // Killed together with `cinema record` before it wrote anything: there is no manifest at all.
    if (plan.killTree && !fs.existsSync(path.join(dir, 'manifest.json'))) return { ok: true, events: 0, note: 'no manifest yet' };
    return { ok: false, why: `open: ${e.message}` };
  }
  try {
    const stats = lib.computeStats(rec);
    lib.listEvents(rec, { limit: 1e9 });
    for (const proc of rec.processes) {
      for (const file of proc.segmentFiles()) {
        const scan = { frames: 0, truncatedBytes: 0 };
        let read = 0;
        for (const _ of lib.readSegment(file, scan)) read++;
        const walk = walkFrames(file);
        if (read !== walk.frames) return { ok: false, why: `${file}: reader read ${read} frames, the file holds ${walk.frames} whole ones` };
        if (scan.truncatedBytes !== walk.cut) return { ok: false, why: `${file}: reader reports ${scan.truncatedBytes} cut bytes, the walk ${walk.cut}` };
      }
    }
    const open = stats.byKind.call - stats.byKind.return;
    // kill-target's deepest stack is 3 frames per thread (two threads), plus suspended async calls.
    if (open < 0 || open > 12) return { ok: false, why: `not a prefix: ${stats.byKind.call} calls, ${stats.byKind.return} returns` };
    return { ok: true, events: stats.events, complete: stats.complete };
  } catch (e) {
    return { ok: false, why: `read: ${e.name}: ${e.message}` };
  }
}

/**
 * The plans of `runs` kills from `seed`: a moment 0–`maxMs` ms after the recording started (one run
 * in four: during start-up) or after the program said it runs; one run in five kills the whole
 * tree; one in four records in flight mode (which a SIGKILL leaves empty by design).
 */
export function plans(seed, runs, maxMs = 600) {
  const r = rng(seed);
  return Array.from({ length: runs }, (_, index) => ({ index, delayMs: Math.floor(r() * maxMs), afterRunning: r() >= 0.25, killTree: r() < 0.2, mode: r() < 0.25 ? 'flight' : undefined }));
}

export function makeScratch() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cinema-kill-'));
}
