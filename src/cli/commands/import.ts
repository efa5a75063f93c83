/** `cinema import --format otlp|chrome FILE [--out DIR]`: traces of other services and tools as a recording. */
import path from 'node:path';
import { importChrome, readChromeFile } from '../../interop/chrome-import.js';
import { importOtlp, readOtlpFile } from '../../interop/otlp-import.js';
import { parse, UsageError } from '../args.js';
import type { Command } from '../command.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'turn OTLP/JSON traces (any OpenTelemetry SDK, e.g. Elixir/Phoenix) or a Chrome trace into a recording',
  usage: `cinema import --format otlp|chrome FILE [--out DIR] [--json]

Reads OTLP/JSON traces (an ExportTraceServiceRequest, or one per line as a collector's file
exporter writes them) and writes a recording that queries, the UI and MCP open like any other:
each service instance is a process, each span a call of a function named after the span (its
attributes and ids are the call's arguments, an error status is a throw), spans nest on threads
by their parent links, and HTTP server/client spans also become HTTP events so that the
timeline and causality views link them across services.

With --format chrome, reads a Trace Event Format file (Chrome, Perfetto, cinema export --format
chrome): slices become calls nested per thread, instants log or error events, flow arrows a
message from the arrow's start to its end (a cause), HTTP async slices HTTP events.

Options:
  -f, --format FORMAT   otlp or chrome
  -o, --out DIR         where to write the recording (default: .cinema/import-<file>-<time>)
      --json            print what was written as JSON
  -h, --help            show this help

Example:
  cinema import --format otlp phoenix-traces.json --out rec && cinema query calltree rec`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, { format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' }, json: { type: 'boolean' } });
    if (v.help) return io.help(this);
    if (v.format === undefined) throw new UsageError('which format? --format otlp|chrome');
    if (v.format !== 'otlp' && v.format !== 'chrome') throw new UsageError(`--format ${v.format} is not supported (formats: otlp, chrome)`);
    if (positionals.length === 0) throw new UsageError(`which file? cinema import --format ${v.format} FILE`);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const file = positionals[0]!;
    const command = ['cinema', 'import', '--format', v.format, path.resolve(file)];
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = path.resolve(v.out ?? path.join('.cinema', `import-${path.basename(file).replace(/\.[^.]*$/, '')}-${stamp}`));
    if (v.format === 'chrome') {
      const { events, originUs } = readChromeFile(file);
      const r = importChrome(events, originUs, dir, command);
      io.out(v.json ? JSON.stringify(r) : `imported ${r.slices} slices of ${r.processes} process(es) into ${r.dir}`);
      return 0;
    }
    const r = importOtlp(readOtlpFile(file), dir, command);
    if (r.spans === 0) io.err(`cinema import: ${file} holds no spans with valid ids and times`);
    io.out(v.json ? JSON.stringify(r) : `imported ${r.spans} spans of ${r.processes} service(s) into ${r.dir}${r.skipped ? ` (${r.skipped} spans skipped: bad ids or times, or repeated)` : ''}`);
    return 0;
  },
};
