/**
 * Faults while recording: SIGKILL at random moments, a full disk (a real 1 MB tmpfs when we may
 * mount one, and an injected ENOSPC), a folder that turns read-only, a slow disk, process.exit and
 * process.abort inside calls, a crashing worker, a child killed by a signal. In every case the
 * program's own output and status are untouched and the recording reads back, saying what it lost.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module shared with bench/faults.mjs
import * as K from './kill-harness.mjs';
import { cinema, fixture, record, root, stats, tempDir } from '../helpers.js';

const FAULT_ENV = 'EXECUTION_CINEMA_TEST_FAULT';
const N = 100_000;

function recordWithFault(fault: string, args: string[], options: string[] = []) {
  const dir = path.join(tempDir(), 'rec');
  const r = cinema(['record', '--out', dir, ...options, '--', process.execPath, ...args], { env: { ...process.env, [FAULT_ENV]: fault } });
  return { ...r, dir };
}

/** A fresh tmpfs mounted with `options` for the duration of `use`: unmounted whatever happens. */
function withTmpfs<T>(options: string, use: (point: string) => T): T {
  const point = path.join(tempDir('cinema-tmpfs-'), 'mnt');
  fs.mkdirSync(point);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', point], { encoding: 'utf8' });
  if (m.status !== 0) throw new Error(`mount failed: ${m.stderr}`);
  try {
    return use(point);
  } finally {
    spawnSync('umount', [point]);
  }
}

/** Whether this process may mount a tmpfs (root in most containers); tried once, left unmounted. */
const canMount = (() => {
  try {
    return withTmpfs('size=64k', () => true);
  } catch {
    return false;
  }
})();

const processJson = (dir: string) => {
  const procs = fs.readdirSync(path.join(dir, 'processes'));
  return JSON.parse(fs.readFileSync(path.join(dir, 'processes', procs[0]!, 'process.json'), 'utf8'));
};

describe('SIGKILL at random moments (seed 20261126, 20 runs)', () => {
  let lib: unknown;
  let scratch: string;
  beforeAll(async () => {
    lib = await K.loadLib(root);
    scratch = K.makeScratch();
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('every recording opens and reads to its last whole frame, a prefix of what the program did', async () => {
    const verdicts: { ok: boolean; why?: string; events?: number }[] = [];
    for (const plan of K.plans(20261126, 20)) verdicts.push({ ...(await K.killRun(root, lib, plan, scratch)), plan });
    const bad = verdicts.filter((v) => !v.ok);
    expect(bad).toEqual([]);
    // the moments span start-up (nothing flushed yet) and work (events on disk)
    expect(verdicts.filter((v) => (v.events ?? 0) > 1000).length).toBeGreaterThanOrEqual(5);
  }, 240_000);
});

describe('disk full', () => {
  it('an injected ENOSPC: the program runs on, the lost events are counted and the error kept', () => {
    const r = recordWithFault('enospc:0', [fixture('many-calls.mjs'), String(N)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`sum ${N * (N - 1)}\n`);
    expect(r.stderr).toMatch(/warning: \d+ events lost \(disk: ENOSPC/);
    const info = processJson(r.dir);
    expect(info.diskError).toMatch(/ENOSPC/);
    expect(info.counters.dropped).toBe(3 * N); // N calls, returns and writes
    const text = cinema(['stats', r.dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/disk error: ENOSPC: no space left on device, write \(300,000 events lost\)/);
  });

  it('ENOSPC part-way: frames before it read back whole, and events + lost = everything', () => {
    // Room for a few whole frames (~100 KB each here; 20 KB held only a frame flushed early, by the
    // idle timer, and a loaded CI machine started the loop before it: no frame fit, no events).
    const r = recordWithFault('enospc:400000', [fixture('many-calls.mjs'), String(3 * N)], ['--string-bytes', '8']);
    expect(r.code).toBe(0);
    const s = stats(r.dir);
    expect(s.events).toBeGreaterThan(0);
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.events + s.dropped).toBe(9 * N);
  });

  // A real full file system: a 256 KB tmpfs (needs root; skipped where mount is refused).
  it.skipIf(!canMount)('a real 256 KB tmpfs filling up: whole frames up to the full disk, the loss counted', () => withTmpfs('size=256k', (mountPoint) => {
    const dir = path.join(mountPoint, 'rec');
    const r = cinema(['record', '--out', dir, '--', process.execPath, fixture('many-calls.mjs'), String(20 * N)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`sum ${20 * N * (20 * N - 1)}\n`);
    expect(r.stderr).toMatch(/events lost \(disk: ENOSPC/);
    const s = stats(dir);
    expect(s.events).toBeGreaterThan(1000);
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.events + s.dropped).toBe(60 * N);
    // every byte of the segment is whole frames: nothing half-written was left behind
    const seg = path.join(dir, 'processes', String(s.processes[0]!.pid), 'events.seg');
    expect(K.walkFrames(seg).cut).toBe(0);
  }));
});

describe('metadata on a full disk', () => {
  it.skipIf(!canMount)('process.json and the manifest are rewritten in place when no block is free, new files still fail', async () => {
    const { writePrivateFile } = await import('../../dist/recording/layout.js');
    withTmpfs('size=64k', (mountPoint) => {
      const meta = path.join(mountPoint, 'process.json');
      writePrivateFile(meta, JSON.stringify({ counters: { dropped: 0 } }));
      // Fill every free block.
      const fd = fs.openSync(path.join(mountPoint, 'fill'), 'w');
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) fs.writeSync(fd, block);
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        fs.closeSync(fd);
      }
      const update = JSON.stringify({ counters: { dropped: 300000 }, diskError: 'ENOSPC: no space left on device, write' });
      writePrivateFile(meta, update);
      expect(fs.readFileSync(meta, 'utf8')).toBe(update);
      expect(fs.readdirSync(mountPoint).sort()).toEqual(['fill', 'process.json']); // no temp file left
      expect(() => writePrivateFile(path.join(mountPoint, 'new.json'), update)).toThrow(/ENOSPC/);
    });
  });
});

describe('read-only output folder', () => {
  it('a folder that turns read-only while recording: the program runs on, the recording says why it lost events', () => {
    const r = recordWithFault('erofs', [fixture('fib.mjs')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(spawnSync(process.execPath, [fixture('fib.mjs')], { encoding: 'utf8' }).stdout);
    expect(processJson(r.dir).diskError).toMatch(/EROFS/);
    expect(stats(r.dir).dropped).toBeGreaterThan(0);
  });

  it.skipIf(!canMount)('a read-only --out (a read-only mount): one clear line, non-zero exit, nothing run', () => withTmpfs('size=1m,ro', (roPoint) => {
    const marker = path.join(tempDir(), 'ran');
    const r = cinema(['record', '--out', path.join(roPoint, 'rec'), '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot create the recording folder: EROFS: read-only file system/);
    expect(fs.existsSync(marker)).toBe(false);
  }));
});

describe('slow disk', () => {
  it('lossless mode waits for it: every event kept', () => {
    const r = recordWithFault('slow:20', [fixture('many-calls.mjs'), String(3 * N)]);
    expect(r.stdout).toBe(`sum ${3 * N * (3 * N - 1)}\n`);
    const s = stats(r.dir);
    expect(s.dropped).toBe(0);
    expect(s.byKind.call).toBe(3 * N);
  });

  it('flight mode drops instead of waiting, and counts every event it dropped', () => {
    const r = recordWithFault('slow:20', [fixture('many-calls.mjs'), String(3 * N)], ['--mode', 'flight']);
    expect(r.stdout).toBe(`sum ${3 * N * (3 * N - 1)}\n`);
    const s = stats(r.dir);
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.events + s.dropped + s.evicted).toBe(9 * N);
  });
});

describe('programs that end abruptly', () => {
  it('process.exit inside nested calls: exit code kept, the recording complete with the open calls', () => {
    const r = record([process.execPath, fixture('exit-inside.mjs'), 'exit']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('before 1000\n');
    const s = stats(r.dir);
    expect(s.complete).toBe(true);
    expect(s.byKind.call - s.byKind.return).toBe(2); // outer and inner never returned
  });

  it('process.abort inside nested calls: SIGABRT status kept, the recording written before the abort', () => {
    const r = record([process.execPath, fixture('exit-inside.mjs'), 'abort']);
    expect(r.signal ?? r.code).toBe(134);
    expect(r.stdout).toBe('before 1000\n');
    const s = stats(r.dir);
    expect(s.byKind.call).toBe(1002);
    expect(s.byKind.call - s.byKind.return).toBe(2);
    expect(processJson(r.dir).endReason).toBe('abort');
  });

  it('a worker that crashes: its calls, the throw and the uncaught error are recorded; main carries on', () => {
    const r = record([process.execPath, fixture('crash-worker.mjs')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('worker error: worker exploded\nworker exit 1, main sum 90\n');
    const s = stats(r.dir);
    expect(s.processes[0]!.threads.length).toBe(2);
    expect(s.byKind.throw).toBe(1);
    expect(s.byKind.error).toBe(1);
    expect(Object.fromEntries(s.hottest.map((h) => [h.name, h.calls])).countdown).toBe(51);
  });

  it('a child killed by SIGKILL: the parent completes, the child reads back to its last chunk', () => {
    const r = record([process.execPath, fixture('child-killed.mjs')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('child ended null SIGKILL, parent 42\n');
    const s = stats(r.dir);
    expect(s.processes).toHaveLength(2);
    const [parent, child] = s.processes;
    expect(parent!.complete).toBe(true);
    expect(child!.complete).toBe(false);
    expect(child!.parentPid).toBe(parent!.pid);
    expect(child!.events).toBeGreaterThan(0);
    // a prefix of what the child did: at the kill at most burst() and tick() were open
    expect(s.byKind.call - s.byKind.return).toBeGreaterThanOrEqual(0);
    expect(s.byKind.call - s.byKind.return).toBeLessThanOrEqual(2);
    expect(s.complete).toBe(false);
  });
});
