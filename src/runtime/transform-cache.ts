/**
 * Transformed files cached on disk, so a program's second start does not parse and instrument
 * again. An entry is keyed by the SHA-256 of the transformer's own code, the options and the file
 * (path and content); its text has no site ids in it (they are allocated when the module runs, see
 * src/instrument/runtime-base.ts), so one entry serves every process and thread.
 *
 * Where: $EXECUTION_CINEMA_CACHE, else node_modules/.cache/execution-cinema under the recorded
 * program's directory when it has node_modules, else $XDG_CACHE_HOME/execution-cinema (or
 * ~/.cache/execution-cinema). Folders are created 0700, files 0600, written to a temporary name
 * and renamed. A folder owned by someone else or writable by others is not used. An entry whose
 * checksum does not match (cut short, damaged) is ignored and written again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE_ENV = 'EXECUTION_CINEMA_CACHE';
const HEADER = 'ec-cache-1';

export type CachedTransform = { ok: true; code: string } | { ok: false; reason: string };

/** Where the cache lives for a program run in `cwd`, or null when it is turned off. */
export function cacheDir(cwd: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const given = env[CACHE_ENV];
  if (given !== undefined && given !== '') return /^(?:0|off|false|no)$/i.test(given) ? null : path.resolve(cwd, given);
  if (fs.existsSync(path.join(cwd, 'node_modules'))) return path.join(cwd, 'node_modules', '.cache', 'execution-cinema');
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'execution-cinema');
}

let transformerId: string | null = null;

/** Hash of the transformer's code (dist/instrument, the probe contract) and the parser's version. */
function transformerVersion(): string {
  if (transformerId !== null) return transformerId;
  const h = createHash('sha256');
  const dist = fileURLToPath(new URL('../', import.meta.url));
  for (const dir of ['instrument', 'format']) {
    const abs = path.join(dist, dir);
    for (const name of fs.readdirSync(abs).sort()) if (name.endsWith('.js')) h.update(name).update(fs.readFileSync(path.join(abs, name)));
  }
  try {
    const req = fs.readFileSync(new URL('../../node_modules/oxc-parser/package.json', import.meta.url), 'utf8');
    h.update((JSON.parse(req) as { version: string }).version);
  } catch {
    // installed elsewhere: the transformer's own code still keys the cache
  }
  transformerId = h.digest('hex');
  return transformerId;
}

export class TransformCache {
  private usable: boolean | null = null;

  constructor(readonly dir: string) {}

  key(code: string, file: string, options: string): string {
    return createHash('sha256').update(transformerVersion()).update('\0').update(options).update('\0').update(file).update('\0').update(code).digest('hex');
  }

  get(key: string): CachedTransform | null {
    if (!this.ready()) return null;
    let text: string;
    try {
      text = fs.readFileSync(this.entry(key), 'utf8');
    } catch {
      return null;
    }
    const nl = text.indexOf('\n');
    const [magic, sum, status] = text.slice(0, nl < 0 ? 0 : nl).split(' ');
    const body = text.slice(nl + 1);
    if (magic !== HEADER || sum !== checksum(body) || (status !== 'ok' && status !== 'skip')) return null;
    return status === 'ok' ? { ok: true, code: body } : { ok: false, reason: body };
  }

  set(key: string, value: CachedTransform): void {
    if (!this.ready()) return;
    const body = value.ok ? value.code : value.reason;
    const file = this.entry(key);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, `${HEADER} ${checksum(body)} ${value.ok ? 'ok' : 'skip'}\n${body}`, { mode: 0o600, flag: 'wx' });
      fs.renameSync(tmp, file);
    } catch {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // nothing more to do: the cache is an optimisation
      }
    }
  }

  private entry(key: string): string {
    return path.join(this.dir, key.slice(0, 2), key.slice(2));
  }

  /** Creates the folder (0700) once; refuses one that is a link, not ours, or open to others. */
  private ready(): boolean {
    if (this.usable !== null) return this.usable;
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const st = fs.lstatSync(this.dir);
      const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
      this.usable = st.isDirectory() && mine && (st.mode & 0o077) === 0;
    } catch {
      this.usable = false;
    }
    return this.usable;
  }
}

function checksum(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 32);
}
