/**
 * "Record, then debug": a launch configuration with a `command` runs it under `cinema record`
 * first (a child process of the real CLI, so the program runs exactly as `cinema record` runs it)
 * and replays the recording it leaves. The program's output goes to the editor's debug console.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { files } from '../recording/layout.js';
import { DEFAULT_ROOT, newRecordingDir } from '../recording/locate.js';

const cinemaBin = (): string => fileURLToPath(new URL('../../bin/cinema.js', import.meta.url));

export interface RecordRun {
  command: string[];
  cwd: string;
  /** More `cinema record` options (`--causality`, `--include GLOB`…). */
  options?: string[];
  env?: Record<string, string>;
}

/** Runs `cinema record` and resolves with the recording's directory once it exits. */
export function recordThenReplay(run: RecordRun, output: (text: string, category: 'stdout' | 'stderr') => void): Promise<string> {
  if (!Array.isArray(run.command) || run.command.length === 0 || !run.command.every((a) => typeof a === 'string')) {
    return Promise.reject(new Error("'command' must be a non-empty array of strings, e.g. [\"node\", \"app.js\"]"));
  }
  if (run.options !== undefined && !(Array.isArray(run.options) && run.options.every((a) => typeof a === 'string'))) {
    return Promise.reject(new Error("'recordOptions' must be an array of strings"));
  }
  const out = path.resolve(newRecordingDir(path.join(run.cwd, DEFAULT_ROOT), run.command));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cinemaBin(), 'record', '--out', out, ...(run.options ?? []), '--', ...run.command], {
      cwd: run.cwd,
      env: { ...process.env, ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8').on('data', (s: string) => output(s, 'stdout'));
    child.stderr.setEncoding('utf8').on('data', (s: string) => output(s, 'stderr'));
    child.on('error', (e) => reject(new Error(`cannot run cinema record: ${e.message}`)));
    // The program's own exit status is its business (a failing run is what one debugs): what counts is a recording.
    child.on('close', (code) => (fs.existsSync(path.join(out, files.manifest)) ? resolve(out) : reject(new Error(`cinema record left no recording (exit ${code}; see the debug console)`))));
  });
}
