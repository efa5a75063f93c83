/**
 * Source texts kept with a recording, so it can be read on another machine or after the code
 * changed. Copied once when recording ends, not while the program runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { files } from './layout.js';
import { maskSourceSecrets, secretValuePattern } from '../format/redact.js';
import type { Recording } from './recording.js';

/** Site files are paths, or file: URLs for some ES modules: the path on disk (a URL that is no file path stays as it is). */
export function diskPath(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}

/** A source file as people read it: relative to the current directory when inside it, else as is (a file:// URL as its path). */
export function displayPath(file: string): string {
  const f = diskPath(file);
  const rel = path.relative(process.cwd(), f);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : f;
}

/** Where the copy of `file` lives inside the recording (absolute paths mirrored under sources/). */
export function sourcePath(recording: string, file: string): string {
  const rel = path.resolve(file).replace(/^[/\\]+/, '').replace(/:/g, '');
  return path.join(recording, files.sources, rel);
}

export function copySources(rec: Recording): number {
  const seen = new Set<string>();
  for (const proc of rec.processes) for (const site of proc.sites().values()) seen.add(site.file);
  let copied = 0;
  const secrets = secretValuePattern();
  for (const file of seen) {
    const dest = sourcePath(rec.dir, file);
    try {
      fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
      // Credentials written into the code are masked with '*' (lines and columns stay where they were).
      fs.writeFileSync(dest, maskSourceSecrets(fs.readFileSync(file, 'utf8'), secrets), { mode: 0o600 });
      fs.chmodSync(dest, 0o600);
      copied++;
    } catch {
      // gone or unreadable: the recording still has its site table
    }
  }
  return copied;
}

/** The recorded text of a source file, or null. Only paths inside sources/ are ever read. */
export function readSource(recording: string, file: string): string | null {
  const root = path.join(recording, files.sources) + path.sep;
  const p = sourcePath(recording, file);
  if (!p.startsWith(root)) return null;
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}
