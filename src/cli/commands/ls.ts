/** `cinema ls [DIR]` and `cinema rm REC…`: the recordings under .cinema/, and removing one. */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ROOT } from '../../recording/locate.js';
import { RecordingError } from '../../recording/errors.js';
import { parse, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { bytes } from '../format.js';

export interface RecordingEntry {
  dir: string;
  name: string;
  bytes: number;
  startedAt: number | null;
  command: string[];
  complete: boolean;
}

function du(p: string): number {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of fs.readdirSync(p)) n += du(path.join(p, e));
  return n;
}

/** The manifest of a recording directory, or null when `dir` is not one. */
function manifestOf(dir: string): { command?: unknown; startedAt?: unknown; complete?: unknown } | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as unknown;
    return m !== null && typeof m === 'object' && (m as { format?: unknown }).format === 'execution-cinema' ? (m as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function listRecordings(root: string): RecordingEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  const out: RecordingEntry[] = [];
  for (const name of names) {
    const dir = path.join(root, name);
    const m = manifestOf(dir);
    if (!m) continue;
    out.push({
      dir,
      name,
      bytes: du(dir),
      startedAt: typeof m.startedAt === 'number' ? m.startedAt : null,
      command: Array.isArray(m.command) ? m.command.map(String) : [],
      complete: m.complete === true,
    });
  }
  return out.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
}

export const ls: Command = {
  name: 'ls',
  summary: 'list the recordings under .cinema/ with size, date, command',
  usage: `cinema ls [DIR] [--json]

Lists the recordings under DIR (default .cinema/ here), oldest first: name, size on disk (index
included), start date, whether it is complete, and the command recorded.

Options:
      --json     print the list as JSON
  -h, --help     show this help`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, { json: { type: 'boolean' } });
    if (v.help) return io.help(this);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const list = listRecordings(positionals[0] ?? path.join(process.cwd(), DEFAULT_ROOT));
    if (v.json) io.out(JSON.stringify(list, null, 2));
    else if (list.length === 0) io.out(`no recordings in ${positionals[0] ?? DEFAULT_ROOT + '/'}`);
    else
      for (const r of list) {
        const date = r.startedAt === null ? '?' : new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 19);
        io.out(`${r.name}  ${bytes(r.bytes).padStart(9)}  ${date}  ${r.complete ? 'complete  ' : 'INCOMPLETE'}  ${r.command.join(' ')}`);
      }
    return 0;
  },
};

export const rm: Command = {
  name: 'rm',
  summary: 'remove recordings (only directories that are recordings)',
  usage: `cinema rm REC… [--json]

Removes each recording REC (a path, or a name under .cinema/ here). Refuses anything that is not a
recording directory (one with an Execution Cinema manifest.json).

Options:
      --json     print what was removed as JSON
  -h, --help     show this help`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, { json: { type: 'boolean' } });
    if (v.help) return io.help(this);
    if (positionals.length === 0) throw new UsageError('which recording? give its path or its name under .cinema/');
    const dirs = positionals.map((p) => {
      const candidates = [p, path.join(process.cwd(), DEFAULT_ROOT, p)];
      const dir = candidates.find((c) => fs.existsSync(c) && fs.lstatSync(c).isDirectory() && manifestOf(c));
      if (!dir) throw new RecordingError(`${p} is not a recording (no Execution Cinema manifest.json there); nothing removed`);
      return path.resolve(dir);
    });
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    if (v.json) io.out(JSON.stringify({ removed: dirs }));
    else for (const d of dirs) io.out(`removed ${path.relative(process.cwd(), d) || d}`);
    return 0;
  },
};
