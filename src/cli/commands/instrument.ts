import fs from 'node:fs';
import path from 'node:path';
import { aotLevels, instrumentSource, relocateMap } from '../../plugins/aot.js';
import { planOption } from '../plan-option.js';
import { sourceFilter } from '../../plugins/filter.js';
import { parse, UsageError } from '../args.js';
import type { Command } from '../command.js';

const SKIP_DIRS = new Set(['.git', '.cinema']);

interface Summary {
  out: string;
  instrumented: string[];
  copied: number;
  failed: { file: string; reason: string }[];
}

export const instrument: Command = {
  name: 'instrument',
  summary: 'write instrumented copies of source files (ahead of time), with source maps',
  usage: `cinema instrument <src…> --out <dir> [options]

Writes an instrumented copy of every JavaScript / TypeScript file under each <src> (a file or a
directory) into <dir>, mirroring the tree, with a source map next to each (<file>.map, chained
with the input's own map, inline or as a file) and the sourceMappingURL comment. Other files are
copied as they are, and so are files that cannot be instrumented (listed, exit code 0).

The output runs without the recorder; under 'cinema record' it records its events with sites in
the original sources (it is not instrumented again).

Paths: a directory's files go to <dir>/<path inside it>; a file goes to <dir>/<path relative to
the current directory> (or <dir>/<name> when it is outside it).

Options:
  -o, --out DIR          output directory (required; skipped when it is inside a source)
  -i, --include GLOB     files to instrument (repeatable; default: **)
  -x, --exclude GLOB     files to copy without instrumenting (repeatable; default: **/node_modules/**)
                         globs match the path inside a <src> directory, relative to the
                         current directory, or absolute
      --no-values        record calls without argument, return and written values
      --plan FILE        compile each function at its level in a plan (cinema plan): an 'off'
                         function gets no probes, 'boundary' no values, 'calls' no state writes
      --level LEVEL      compile every function at one level: off, boundary, calls, full
      --json             print what was done as JSON
  -q, --quiet            print nothing but errors
  -h, --help             show this help

Example:
  cinema instrument src --out build/instrumented && cinema record -- node build/instrumented/main.js`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, {
      out: { type: 'string', short: 'o' },
      include: { type: 'string', short: 'i', multiple: true },
      exclude: { type: 'string', short: 'x', multiple: true },
      'no-values': { type: 'boolean' },
      plan: { type: 'string' },
      level: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    });
    if (v.help) return io.help(this);
    if (positionals.length === 0) throw new UsageError('no source given; usage: cinema instrument <src…> --out <dir>');
    if (!v.out) throw new UsageError('--out <dir> is required');
    const out = path.resolve(v.out);
    const plan = planOption(v.plan, v.level);
    const levels = aotLevels(plan ? { plan } : {});
    const wanted = sourceFilter({ ...(v.include ? { include: v.include } : {}), ...(v.exclude ? { exclude: v.exclude } : {}) });
    const jobs: { from: string; to: string; root: string }[] = [];
    for (const src of positionals) {
      const abs = path.resolve(src);
      let st: fs.Stats;
      try {
        st = fs.statSync(abs);
      } catch {
        throw new UsageError(`no such file or directory: ${src}`);
      }
      if (st.isDirectory()) {
        for (const file of walk(abs, out)) jobs.push({ from: file, to: path.join(out, path.relative(abs, file)), root: abs });
      } else {
        const rel = path.relative(process.cwd(), abs);
        const name = rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(abs) : rel;
        jobs.push({ from: abs, to: path.join(out, name), root: path.dirname(abs) });
      }
    }
    const clash = jobs.find((j) => j.to === j.from);
    if (clash) throw new UsageError(`--out ${v.out} would overwrite the source ${path.relative(process.cwd(), clash.from)}`);
    const summary: Summary = { out, instrumented: [], copied: 0, failed: [] };
    const values = !v['no-values'];
    const targets = new Set(jobs.filter((j) => wanted(j.from, j.root)).map((j) => j.to));
    for (const job of jobs) {
      fs.mkdirSync(path.dirname(job.to), { recursive: true });
      // A source's own .map is replaced by the one written with its instrumented copy.
      if (job.to.endsWith('.map') && targets.has(job.to.slice(0, -4))) continue;
      if (!targets.has(job.to)) {
        fs.copyFileSync(job.from, job.to);
        summary.copied++;
        continue;
      }
      try {
        writeInstrumented(job.from, job.to, values, levels);
        summary.instrumented.push(job.from);
      } catch (e) {
        summary.failed.push({ file: job.from, reason: (e as Error).message });
        fs.copyFileSync(job.from, job.to);
        summary.copied++;
      }
    }
    report(summary, io, v.json === true, v.quiet === true);
    return 0;
  },
};

function writeInstrumented(from: string, to: string, values: boolean, levels: ReturnType<typeof aotLevels>): void {
  const r = instrumentSource(fs.readFileSync(from, 'utf8'), from, { values }, levels);
  const map = relocateMap(r.map, from, to);
  const mapName = `${path.basename(to)}.map`;
  fs.writeFileSync(to, `${r.code}\n//# sourceMappingURL=${encodeURI(mapName)}\n`);
  fs.writeFileSync(`${to}.map`, JSON.stringify(map));
}

function report(s: Summary, io: { out(l: string): void; err(l: string): void }, json: boolean, quiet: boolean): void {
  if (json) {
    io.out(JSON.stringify(s, null, 2));
    return;
  }
  for (const f of s.failed) io.err(`cinema instrument: copied as it is: ${path.relative(process.cwd(), f.file)} (${f.reason})`);
  if (!quiet) io.out(`instrumented ${s.instrumented.length} file(s), copied ${s.copied} → ${path.relative(process.cwd(), s.out) || '.'}`);
}

/** Regular files under `dir` (following symbolic links to files), skipping `skip` and VCS folders. */
function* walk(dir: string, skip: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (p === skip) continue;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walk(p, skip);
    } else if (e.isFile() || (e.isSymbolicLink() && isFile(p))) yield p;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
