import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const cinemaBin = path.join(root, 'bin', 'cinema.js');
export const fixture = (name: string) => path.join(root, 'test', 'fixtures', name);

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (bin/cinema.js) with this test's Node. */
export function cinema(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Run {
  const r = spawnSync(process.execPath, [cinemaBin, ...args], {
    cwd: opts.cwd ?? root,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeout ?? 60_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function node(args: string[], opts: { cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, args, { cwd: opts.cwd ?? root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'cinema-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Records `args` (a command) into a fresh directory; returns the run and the directory. */
export function record(command: string[], options: string[] = []): Run & { dir: string } {
  const dir = path.join(tempDir(), 'rec');
  const r = cinema(['record', '--out', dir, ...options, '--', ...command]);
  return { ...r, dir };
}

export interface StatsJson {
  events: number;
  byKind: Record<string, number>;
  functions: number;
  durationMs: number;
  dropped: number;
  complete: boolean;
  processes: { pid: number; parentPid: number | null; events: number; threads: number[]; complete: boolean; truncatedBytes: number; skippedFiles: unknown[] }[];
  hottest: { name: string; calls: number; location: string }[];
}

export function stats(dir: string): StatsJson {
  const r = cinema(['stats', dir, '--json']);
  if (r.code !== 0) throw new Error(`cinema stats failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as StatsJson;
}

export { spawn };
