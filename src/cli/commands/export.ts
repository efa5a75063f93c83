/** `cinema export [REC] --format parquet --out FILE`: events to Parquet for other engines. */
import { resolveRecording } from '../../recording/locate.js';
import { Recording } from '../../recording/recording.js';
import { exportParquet } from '../../query/export-parquet.js';
import { parse, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { openWithProgress } from './query.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write events to Parquet (for DuckDB, ClickHouse, Spark, Trino)',
  usage: `cinema export [REC] --format parquet --out FILE [--json]

Writes every event of a recording (the latest under .cinema/ when REC is not given) to a Parquet
file, one row per event: id, pid, thread, seq, kind, site, time_us, function, file, line, parent
(the activation it happened in), link (call <-> exit), value (the captured value as JSON).

Options:
  -f, --format FORMAT   parquet (chrome and otlp are not written yet)
  -o, --out FILE        the file to write
      --json            print what was written as JSON
  -h, --help            show this help`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, { format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' }, json: { type: 'boolean' } });
    if (v.help) return io.help(this);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    if (v.format === undefined) throw new UsageError('which format? --format parquet');
    if (v.format !== 'parquet') throw new UsageError(`--format ${v.format} is not supported (formats: parquet)`);
    if (!v.out) throw new UsageError('where to? --out FILE');
    const rec = Recording.open(resolveRecording(positionals[0]));
    const index = openWithProgress(rec, io);
    try {
      const r = exportParquet(index, v.out);
      if (v.json) io.out(JSON.stringify(r));
      else io.out(`wrote ${r.rows} events to ${r.file}`);
    } finally {
      index.close();
    }
    return 0;
  },
};
