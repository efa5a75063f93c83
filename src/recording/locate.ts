/** Naming and finding recordings: new ones under `.cinema/`, and "the latest" when none is named. */
import fs from 'node:fs';
import path from 'node:path';
import { RecordingError } from './errors.js';
import { files } from './layout.js';

export const DEFAULT_ROOT = '.cinema';

/** A fresh directory name for a recording of `command` under `root`. */
export function newRecordingDir(root: string, command: string[]): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '').replace('T', '-');
  const script = command.find((a, i) => i > 0 && !a.startsWith('-')) ?? command[0] ?? 'run';
  const name = path.basename(script).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'run';
  let dir = path.join(root, `${stamp}-${name}`);
  for (let i = 2; fs.existsSync(dir); i++) dir = path.join(root, `${stamp}-${name}-${i}`);
  return dir;
}

/** The recording named, or the latest one under `.cinema/` of `cwd`. */
export function resolveRecording(named: string | undefined, cwd = process.cwd()): string {
  if (named) return named;
  const root = path.join(cwd, DEFAULT_ROOT);
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    throw new RecordingError(`no recording named and none in ${DEFAULT_ROOT}/ here; record one with: cinema record -- node app.js`);
  }
  const candidates = entries
    .map((name) => path.join(root, name))
    .filter((dir) => fs.existsSync(path.join(dir, files.manifest)))
    .map((dir) => ({ dir, mtime: fs.statSync(path.join(dir, files.manifest)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  if (candidates.length === 0) throw new RecordingError(`no recordings in ${root}; record one with: cinema record -- node app.js`);
  return path.relative(cwd, candidates[0]!.dir) || '.';
}
