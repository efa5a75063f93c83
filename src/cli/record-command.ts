/**
 * Running a command under the recorder: prepares the recording directory and the environment
 * that makes every Node process of the command record itself, waits for it, and completes the
 * manifest. The program's stdio, exit code and signals are passed through untouched.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { files, makePrivateDir, writePrivateFile } from '../recording/layout.js';
import { newManifest, type Manifest } from '../recording/manifest.js';
import { DEFAULT_ROOT, newRecordingDir } from '../recording/locate.js';
import { Recording } from '../recording/recording.js';
import { copySources } from '../recording/sources.js';
import { redactArgv, secretValuePattern } from '../format/redact.js';
import { CONFIG_ENV, defaultConfig, type RuntimeConfig } from '../runtime/config.js';

const registerPath = fileURLToPath(new URL('../runtime/register.js', import.meta.url));

export interface RecordOptions extends Partial<Omit<RuntimeConfig, 'recording'>> {
  /** Recording directory; default: a new one under .cinema/ of `cwd`. */
  out?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdio?: 'inherit' | 'pipe' | 'ignore';
}

export interface RecordResult {
  dir: string;
  manifest: Manifest;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Exit status a shell would report: the code, or 128 + signal number. */
  status: number;
  stdout?: string;
  stderr?: string;
  /** Events lost (full rings, a failing disk) over all processes, and the first disk error. */
  lost: { dropped: number; diskError: string | null; manifestError: string | null };
}

export class CommandNotFound extends Error {}

/** NODE_OPTIONS with our preload added, quoted as Node expects when the path has spaces. */
export function nodeOptionsWithPreload(existing: string | undefined): string {
  const url = pathToFileURL(registerPath).href;
  return `${existing ? existing + ' ' : ''}--import=${url.includes(' ') ? `"${url}"` : url}`;
}

export async function recordCommand(command: string[], options: RecordOptions = {}): Promise<RecordResult> {
  const cwd = options.cwd ?? process.cwd();
  const dir = path.resolve(cwd, options.out ?? newRecordingDir(path.join(cwd, DEFAULT_ROOT), command));
  if (fs.existsSync(path.join(dir, files.manifest))) throw new Error(`${dir} already holds a recording; choose another --out`);
  try {
    makePrivateDir(dir);
  } catch (e) {
    throw new Error(`cannot create the recording folder: ${(e as Error).message}`);
  }
  const { out: _out, cwd: _cwd, env: _env, stdio: _stdio, ...runtime } = options;
  const config: RuntimeConfig = { ...defaultConfig(dir), cwd, ...runtime, recording: dir };
  const manifest = newManifest(redactArgv(command, new RegExp(config.redact, 'i'), secretValuePattern()), config.mode, crypto.randomUUID());
  manifest.cwd = cwd;
  const manifestFile = path.join(dir, files.manifest);
  writePrivateFile(manifestFile, JSON.stringify(manifest, null, 2));

  const baseEnv = options.env ?? process.env;
  const env = { ...baseEnv, [CONFIG_ENV]: JSON.stringify(config), NODE_OPTIONS: nodeOptionsWithPreload(baseEnv.NODE_OPTIONS) };
  const stdio = options.stdio ?? 'inherit';
  const child = spawn(command[0]!, command.slice(1), { cwd, env, stdio });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));

  // The terminal sends SIGINT to the whole group: let the program decide, and outlive it.
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new CommandNotFound(`command not found: ${command[0]}`) : e));
    child.once('close', (c, s) => resolve({ code: c, signal: s }));
  }).finally(() => {
    process.off('SIGINT', ignore);
    process.off('SIGTERM', forward);
    process.off('SIGHUP', forward);
  });

  const rec = Recording.open(dir);
  copySources(rec);
  manifest.endedAt = Date.now();
  manifest.exitCode = code;
  manifest.signal = signal;
  manifest.processes = rec.processes.map((p) => p.pid);
  manifest.complete = rec.processes.length > 0 && rec.processes.every((p) => p.info.complete);
  const lost = { dropped: 0, diskError: null as string | null, manifestError: null as string | null };
  for (const p of rec.processes) {
    lost.dropped += p.info.counters.dropped;
    lost.diskError ??= typeof p.info.diskError === 'string' ? p.info.diskError : null;
  }
  try {
    writePrivateFile(manifestFile, JSON.stringify(manifest, null, 2));
  } catch (e) {
    // A full or read-only disk: the program's own status still counts; the caller says what failed.
    lost.manifestError = (e as Error).message;
  }
  const status = code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0);
  return { dir, manifest, exitCode: code, signal, status, lost, ...(stdio === 'pipe' ? { stdout, stderr } : {}) };
}
