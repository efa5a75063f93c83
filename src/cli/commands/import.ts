/** `cinema import --format otlp FILE [--out DIR]`: traces of other services as a recording. */
import path from 'node:path';
import { importOtlp, readOtlpFile } from '../../interop/otlp-import.js';
import { parse, UsageError } from '../args.js';
import type { Command } from '../command.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'turn OTLP/JSON traces (any OpenTelemetry SDK, e.g. Elixir/Phoenix) into a recording',
  usage: `cinema import --format otlp FILE [--out DIR] [--json]

Reads OTLP/JSON traces (an ExportTraceServiceRequest, or one per line as a collector's file
exporter writes them) and writes a recording that queries, the UI and MCP open like any other:
each service instance is a process, each span a call of a function named after the span (its
attributes and ids are the call's arguments, an error status is a throw), spans nest on threads
by their parent links, and HTTP server/client spans also become HTTP events so that the
timeline and causality views link them across services.

Options:
  -f, --format FORMAT   otlp
  -o, --out DIR         where to write the recording (default: .cinema/import-<file>-<time>)
      --json            print what was written as JSON
  -h, --help            show this help

Example:
  cinema import --format otlp phoenix-traces.json --out rec && cinema query calltree rec`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, { format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' }, json: { type: 'boolean' } });
    if (v.help) return io.help(this);
    if (v.format === undefined) throw new UsageError('which format? --format otlp');
    if (v.format !== 'otlp') throw new UsageError(`--format ${v.format} is not supported (formats: otlp)`);
    if (positionals.length === 0) throw new UsageError('which file? cinema import --format otlp FILE');
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const file = positionals[0]!;
    const requests = readOtlpFile(file);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = path.resolve(v.out ?? path.join('.cinema', `import-${path.basename(file).replace(/\.[^.]*$/, '')}-${stamp}`));
    const r = importOtlp(requests, dir, ['cinema', 'import', '--format', 'otlp', path.resolve(file)]);
    if (r.spans === 0) io.err(`cinema import: ${file} holds no spans with valid ids and times`);
    io.out(v.json ? JSON.stringify(r) : `imported ${r.spans} spans of ${r.processes} service(s) into ${r.dir}${r.skipped ? ` (${r.skipped} spans skipped: bad ids or times, or repeated)` : ''}`);
    return 0;
  },
};
