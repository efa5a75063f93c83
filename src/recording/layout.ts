/** Where things live inside a recording directory, and how they are created (owner-only). */
import fs from 'node:fs';
import path from 'node:path';

export const FORMAT_NAME = 'execution-cinema';
/**
 * Raised when a recording may hold something an older reader cannot read, so it says "upgrade"
 * instead of failing on the first unknown byte. 2: value tag BRIEF (27, host objects named
 * `request #7`). Readers read every version up to theirs.
 */
export const FORMAT_VERSION = 2;

export const files = {
  manifest: 'manifest.json',
  processes: 'processes',
  process: 'process.json',
  segment: 'events.seg',
  sites: 'sites.jsonl',
  skipped: 'skipped.jsonl',
  sources: 'sources',
} as const;

export function processDir(recording: string, pid: number): string {
  return path.join(recording, files.processes, String(pid));
}

/** Creates a directory (and parents) readable by the owner only. */
export function makePrivateDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    // Node says ENOENT when the parent is on a read-only file system: the last level alone says why.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync(path.dirname(dir))) fs.mkdirSync(dir, { mode: 0o700 });
    throw e;
  }
  fs.chmodSync(dir, 0o700);
}

/**
 * Writes a file atomically (temp file + rename) with owner-only permissions. On a full disk
 * (ENOSPC) an existing file is rewritten in place instead: it reuses the blocks the file already
 * holds, so a recording can still say, in its process.json and manifest, that and why it lost
 * events; a crash during that rewrite could leave the file cut, which a full disk risks anyway.
 */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC' || !fs.existsSync(file)) throw e;
    fs.writeFileSync(file, data, { mode: 0o600 });
  }
}

/** Appends one line; O_APPEND keeps lines from several threads and processes whole. */
export function appendPrivateLine(file: string, line: string): void {
  fs.appendFileSync(file, line + '\n', { mode: 0o600 });
}
