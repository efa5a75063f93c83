/** `cinema export [REC] --format parquet|chrome|otlp`: a recording in formats other tools read. */
import fs from 'node:fs';
import { resolveRecording } from '../../recording/locate.js';
import { Recording } from '../../recording/recording.js';
import { exportParquet } from '../../query/export-parquet.js';
import { exportChrome } from '../../interop/chrome-export.js';
import { globMatcher } from '../../interop/clock.js';
import { exportOtlp, postOtlp } from '../../interop/otlp-export.js';
import { intOption, parse, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { openWithProgress } from './query.js';

const FORMATS = ['parquet', 'chrome', 'otlp'];

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a recording as Parquet, a Chrome/Perfetto trace or OTLP spans',
  usage: `cinema export [REC] --format parquet|chrome|otlp (--out FILE | --endpoint URL) [options]

Writes a recording (the latest under .cinema/ when REC is not given) in a format other tools read:

  parquet  one row per event: id, pid, thread, seq, kind, site, time_us, function, file, line,
           parent (the activation it happened in), link (call <-> exit), value (as JSON); for
           DuckDB, ClickHouse, Spark, Trino.
  chrome   Trace Event Format JSON for Perfetto (ui.perfetto.dev), chrome://tracing and Chrome's
           performance panel: a slice per function run per thread, HTTP exchanges as async
           slices, errors and logs as instants, causal links as flow arrows.
  otlp     OTLP/JSON spans (ExportTraceServiceRequest) for HTTP exchanges and the functions chosen
           with --functions, with W3C trace and span ids and parent links (record with
           --causality so requests carry traceparent); to a file or POSTed to a collector.

Options:
  -f, --format FORMAT      parquet, chrome or otlp
  -o, --out FILE           the file to write
      --endpoint URL       otlp: POST to this OTLP/HTTP endpoint (a base URL gets /v1/traces)
      --functions GLOBS    otlp: calls of these functions become spans too ('handle*,Cart.*')
      --service NAME       otlp: service.name of the recorded processes (default: script name)
      --limit N            otlp: at most N spans (default 100000)
      --no-values          chrome: leave captured arguments and results out
      --json               print what was written as JSON
  -h, --help               show this help

Examples:
  cinema export --format chrome --out trace.json       then open it in ui.perfetto.dev
  cinema export --format otlp --functions 'handle*' --endpoint http://127.0.0.1:4318`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, {
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      endpoint: { type: 'string' },
      functions: { type: 'string' },
      service: { type: 'string' },
      limit: { type: 'string' },
      'no-values': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (v.help) return io.help(this);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    if (v.format === undefined) throw new UsageError(`which format? --format ${FORMATS.join('|')}`);
    if (!FORMATS.includes(v.format)) throw new UsageError(`--format ${v.format} is not supported (formats: ${FORMATS.join(', ')})`);
    const otlp = v.format === 'otlp';
    if (!otlp) for (const o of ['endpoint', 'functions', 'service', 'limit'] as const) if (v[o] !== undefined) throw new UsageError(`--${o} is for --format otlp`);
    if (v['no-values'] && v.format !== 'chrome') throw new UsageError('--no-values is for --format chrome');
    if (!v.out && !(otlp && v.endpoint)) throw new UsageError(otlp ? 'where to? --out FILE or --endpoint URL' : 'where to? --out FILE');
    const limit = intOption(v.limit, 'limit', 100_000, 1, 10_000_000);
    const rec = Recording.open(resolveRecording(positionals[0]));
    const index = openWithProgress(rec, io);
    try {
      if (v.format === 'parquet') {
        const r = exportParquet(index, v.out!);
        io.out(v.json ? JSON.stringify(r) : `wrote ${r.rows} events to ${r.file}`);
      } else if (v.format === 'chrome') {
        const r = exportChrome(index, v.out!, { values: !v['no-values'] });
        io.out(v.json ? JSON.stringify(r) : `wrote ${r.slices} slices, ${r.flows} causal arrows (${r.events} trace events) to ${r.file}; open it in ui.perfetto.dev`);
        if (r.droppedFlows) io.err(`cinema export: ${r.droppedFlows} causal arrows left out (limit reached)`);
      } else {
        const r = exportOtlp(index, { fn: v.functions ? globMatcher(v.functions) : undefined, service: v.service, limit });
        const done: Record<string, unknown> = { spans: r.spans, truncated: r.truncated, traces: new Set(r.request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.traceId)))).size };
        if (v.out) {
          fs.writeFileSync(v.out, JSON.stringify(r.request), { mode: 0o600 });
          done.file = v.out;
        }
        if (v.endpoint) {
          const posted = await postOtlp(r.request, v.endpoint);
          done.endpoint = posted.url;
          done.status = posted.status;
        }
        if (v.json) io.out(JSON.stringify(done));
        else io.out(`wrote ${r.spans} spans in ${String(done.traces)} traces${v.out ? ` to ${v.out}` : ''}${v.endpoint ? `${v.out ? ' and' : ''} to ${String(done.endpoint)} (HTTP ${String(done.status)})` : ''}`);
        if (r.truncated) io.err(`cinema export: ${r.truncated} spans left out by --limit ${limit}`);
        if (r.spans === 0) io.err(`cinema export: no spans: the recording has no HTTP exchanges${v.functions ? ` and no calls of ${v.functions}` : '; choose functions with --functions GLOB'}`);
      }
    } finally {
      index.close();
    }
    return 0;
  },
};
