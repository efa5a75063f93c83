/**
 * Export of a recording's events to Parquet (one row per event), for engines that read it:
 * DuckDB, ClickHouse, Spark, Trino. Columns: id, pid, thread, seq, kind, site, time_us, function,
 * file, line, parent, link, value (the captured value as JSON text, null when none). Written in
 * batches from the index, so memory stays bounded whatever the recording's size.
 */
import { ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import { kindNames } from '../format/events.js';
import type { EventIndex } from './index/event-index.js';

const BATCH = 1 << 18;

export interface ExportResult {
  file: string;
  rows: number;
}

export function exportParquet(index: EventIndex, file: string, options: { batch?: number } = {}): ExportResult {
  const batch = options.batch ?? BATCH;
  let writer: ParquetWriter | null = null;
  let rows = 0;
  for (let from = 0; from < index.rows || (from === 0 && writer === null); from += batch) {
    const n = Math.max(0, Math.min(batch, index.rows - from));
    const kind = index.col.kind.range(from, n);
    const site = index.col.site.range(from, n);
    const time = index.col.time.range(from, n);
    const seq = index.col.seq.range(from, n);
    const parent = index.col.parent.range(from, n);
    const link = index.col.link.range(from, n);
    const valueOff = index.col.value.range(from, n);
    const id = new Int32Array(n);
    const pid = new Int32Array(n);
    const thread = new Int32Array(n);
    const line = new Int32Array(n);
    const kinds: string[] = new Array<string>(n);
    const fn: (string | null)[] = new Array<string | null>(n);
    const files: (string | null)[] = new Array<string | null>(n);
    const values: (string | null)[] = new Array<string | null>(n);
    let c = n > 0 ? index.chunkOf(from) : null;
    for (let i = 0; i < n; i++) {
      const r = from + i;
      if (c && r >= c.firstRow + c.rows) c = index.chunkOf(r);
      id[i] = r;
      pid[i] = c ? index.pidOf(c.proc) : 0;
      thread[i] = c ? c.thread : 0;
      kinds[i] = kindNames[kind[i]!] ?? String(kind[i]);
      const info = c ? index.site(c.proc, site[i]!) : undefined;
      fn[i] = info?.name ?? null;
      files[i] = info?.file ?? null;
      line[i] = info?.line ?? 0;
      values[i] = valueOff[i]! >= 0 ? JSON.stringify(index.valueAt(valueOff[i]!)) : null;
    }
    const columnData = [
      { name: 'id', data: id, type: 'INT32' as const },
      { name: 'pid', data: pid, type: 'INT32' as const },
      { name: 'thread', data: thread, type: 'INT32' as const },
      { name: 'seq', data: seq, type: 'DOUBLE' as const },
      { name: 'kind', data: kinds, type: 'STRING' as const },
      { name: 'site', data: Int32Array.from(site), type: 'INT32' as const },
      { name: 'time_us', data: time, type: 'DOUBLE' as const },
      { name: 'function', data: fn, type: 'STRING' as const },
      { name: 'file', data: files, type: 'STRING' as const },
      { name: 'line', data: line, type: 'INT32' as const },
      { name: 'parent', data: parent, type: 'INT32' as const },
      { name: 'link', data: link, type: 'INT32' as const },
      { name: 'value', data: values, type: 'STRING' as const },
    ];
    writer ??= new ParquetWriter({ writer: fileWriter(file), schema: schemaFromColumnData({ columnData }), createdBy: 'execution-cinema' });
    void writer.write({ columnData, rowGroupSize: batch });
    rows += n;
    if (n === 0) break;
  }
  writer!.finish();
  return { file, rows };
}
