import path from 'node:path';
import { defaultGeometry } from '../../format/layout.js';
import { defaultLimits, defaultRedactPattern } from '../../format/values.js';
import type { Mode } from '../../recording/manifest.js';
import { intOption, parse, UsageError } from '../args.js';
import { recordCommand } from '../record-command.js';
import { recordFailuresOnly } from '../failures-only.js';
import type { Command } from '../command.js';
import { planOption } from '../plan-option.js';

const modes: Mode[] = ['lossless', 'flight', 'sampled'];

/** The default key pattern plus the user's, each checked to be a valid pattern. */
function redactPattern(extra: string[] | undefined): string {
  const parts = [defaultRedactPattern];
  for (const p of extra ?? []) {
    try {
      new RegExp(p, 'i');
    } catch (e) {
      throw new UsageError(`--redact '${p}' is not a valid pattern: ${(e as Error).message}`);
    }
    parts.push(`(?:${p})`);
  }
  return parts.join('|');
}

export const record: Command = {
  name: 'record',
  summary: 'run a command and record every Node.js process it starts',
  usage: `cinema record [options] -- <command…>

Runs <command> with recording on: every Node.js process it starts (and their worker threads)
records every function of your code into one recording. stdin, stdout, stderr and the exit code
are the program's own; where the recording went is printed on stderr.

Options:
  -o, --out DIR          recording directory (default: .cinema/<time>-<name>)
  -m, --mode MODE        lossless (default: never drops, waits for the disk),
                         flight (keeps the last --flight-mb in memory, written on exit,
                         uncaught error, SIGINT/SIGTERM/SIGHUP or SIGUSR2), or
                         sampled (records --burst-ms out of every --period-ms)
  -i, --include GLOB     files to instrument (repeatable; default: **)
  -x, --exclude GLOB     files to leave alone (repeatable; default: **/node_modules/**)
      --no-values        record calls without argument and return values
      --no-writes        record values of calls but not state changes (property and variable
                         writes, deletes, Map/Set/array method calls)
      --plan FILE        level per function from a plan (cinema plan; docs/plan.schema.json)
      --level LEVEL      one level for every function: off, boundary, calls or full (levels can
                         be changed while it runs: cinema control <pid>)
      --causality        also record async context (async_hooks), messages (emit, postMessage,
                         IPC), HTTP exchanges with traceparent, console output, event-loop
                         delay and GC pauses, to follow causes across them (costs more on
                         promise-heavy code)
      --causality-mode M full (default with --causality) or light: no async_hooks and no
                         emit/socket links; each incoming HTTP request is one async context
                         (about half the cost per request on a server); implies --causality
      --redact PATTERN   also redact values of keys (object keys, header and query names,
                         --flags) matching this case-insensitive pattern (repeatable); keys
                         like password, token, secret, authorization, cookie, api_key are
                         always redacted, and so are strings shaped like credentials (JWTs,
                         bearer tokens, AWS keys, private keys, URL passwords) and the values
                         of secret-named environment variables
      --depth N          nesting kept per value snapshot (default ${defaultLimits.depth})
      --keys N           keys or items kept per object (default ${defaultLimits.keys})
      --string-bytes N   bytes kept per string (default ${defaultLimits.stringBytes})
      --flight-mb N      flight mode: compressed MB kept in memory (default 64)
      --max-mb N         cap each process's recording on disk at N MB: the oldest data
                         goes first, counted as aged out (default: no cap)
      --burst-ms N       sampled mode: length of a recorded burst (default 10)
      --period-ms N      sampled mode: time from one burst to the next (default 100)
      --failures-only    for a test run (node --test, mocha, jest, vitest): record each
                         test in flight mode and keep a recording only for each failed
                         test, named after it, under --out (default .cinema/tests/)
  -q, --quiet            do not print where the recording went
  -h, --help             show this help

Examples:
  cinema record -- node app.js
  cinema record --mode flight -- node server.js
  cinema record -- npx tsx src/main.ts
  cinema record --failures-only -- node --test`,
  async run(argv, io) {
    const split = argv.indexOf('--');
    const own = split >= 0 ? argv.slice(0, split) : argv;
    const { values: v, positionals } = parse(own, {
      out: { type: 'string', short: 'o' },
      mode: { type: 'string', short: 'm' },
      include: { type: 'string', short: 'i', multiple: true },
      exclude: { type: 'string', short: 'x', multiple: true },
      'no-values': { type: 'boolean' },
      'no-writes': { type: 'boolean' },
      causality: { type: 'boolean' },
      'causality-mode': { type: 'string' },
      redact: { type: 'string', multiple: true },
      plan: { type: 'string' },
      level: { type: 'string' },
      depth: { type: 'string' },
      keys: { type: 'string' },
      'string-bytes': { type: 'string' },
      'flight-mb': { type: 'string' },
      'max-mb': { type: 'string' },
      'burst-ms': { type: 'string' },
      'period-ms': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      'failures-only': { type: 'boolean' },
    });
    if (v.help) return io.help(this);
    const command = split >= 0 ? [...positionals, ...argv.slice(split + 1)] : positionals;
    if (command.length === 0) throw new UsageError('no command to record; usage: cinema record [options] -- <command…>');
    const mode = (v.mode ?? 'lossless') as Mode;
    if (!modes.includes(mode)) throw new UsageError(`--mode must be one of ${modes.join(', ')}, not '${v.mode}'`);
    const burstMs = intOption(v['burst-ms'], 'burst-ms', 10, 1, 60_000);
    const periodMs = intOption(v['period-ms'], 'period-ms', 100, 1, 600_000);
    if (burstMs > periodMs) throw new UsageError('--burst-ms cannot be longer than --period-ms');
    if (v['failures-only'] && v.mode !== undefined && mode !== 'flight') throw new UsageError('--failures-only records in flight mode; leave out --mode');
    const plan = planOption(v.plan, v.level);
    const causalityMode = v['causality-mode'];
    if (causalityMode !== undefined && causalityMode !== 'full' && causalityMode !== 'light') throw new UsageError(`--causality-mode must be full or light, not '${causalityMode}'`);
    const options = {
      ...(plan ? { plan } : {}),
      ...(v.out ? { out: v.out } : {}),
      mode,
      include: v.include ?? ['**'],
      exclude: v.exclude ?? ['**/node_modules/**'],
      values: !v['no-values'],
      writes: !v['no-writes'],
      causality: causalityMode === 'light' ? ('light' as const) : v.causality === true || causalityMode === 'full',
      redact: redactPattern(v.redact),
      limits: {
        depth: intOption(v.depth, 'depth', defaultLimits.depth, 0, 32),
        keys: intOption(v.keys, 'keys', defaultLimits.keys, 0, 10_000),
        stringBytes: intOption(v['string-bytes'], 'string-bytes', defaultLimits.stringBytes, 0, 60_000),
        recordBytes: defaultLimits.recordBytes,
      },
      flightBytes: intOption(v['flight-mb'], 'flight-mb', 64, 1, 16_384) * 1024 * 1024,
      maxBytes: intOption(v['max-mb'], 'max-mb', 0, 1, 1_048_576) * 1024 * 1024,
      sample: { burstMs, periodMs },
      geometry: defaultGeometry,
    };
    if (v['failures-only']) return recordFailuresOnly(command, options, io, v.quiet === true);
    const result = await recordCommand(command, options);
    if (!v.quiet) {
      const rel = path.relative(process.cwd(), result.dir) || '.';
      const how = result.signal ? `killed by ${result.signal}` : `exit ${result.exitCode}`;
      io.err(`cinema: recorded ${result.manifest.processes.length} process(es), ${how} → ${rel}  (cinema stats ${rel})`);
    }
    const { dropped, diskError, manifestError } = result.lost;
    if (dropped > 0) io.err(`cinema: warning: ${dropped} events lost${diskError ? ` (disk: ${diskError})` : ' (full rings)'}`);
    if (manifestError) io.err(`cinema: warning: could not complete the manifest: ${manifestError}`);
    return result.status;
  },
};
