/**
 * A recording in the Trace Event Format (the JSON that chrome://tracing, Perfetto and Chrome's
 * performance panel load): one complete ("X") slice per activation of every function (an async
 * function's run up to each await and each run after it), nested per thread as on the stack;
 * HTTP exchanges as async ("b"/"e") slices on their own tracks; errors, logs, marks and process
 * events as instants; causal links into the root of each callback as flow ("s"/"f") arrows;
 * process and thread names as metadata. Times are µs after the earliest process's start.
 * Written in batches, so the file may be larger than memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kind } from '../format/events.js';
import type { EventIndex } from '../query/index/event-index.js';
import { thrownValue } from '../query/errors.js';
import { wallClock } from './clock.js';
import { field, item, plain } from './values.js';

export interface ChromeExportOptions {
  /** Include captured arguments and results in the slices' args (default true). */
  values?: boolean;
  /** At most this many flow arrows (default 100 000). */
  maxFlows?: number;
}

export interface ChromeExportResult {
  file: string;
  events: number;
  slices: number;
  flows: number;
  /** Flow arrows left out by maxFlows. */
  droppedFlows: number;
}

const ARG_CHARS = 512;

export function exportChrome(index: EventIndex, file: string, options: ChromeExportOptions = {}): ChromeExportResult {
  const clock = wallClock(index);
  const base = Math.min(...index.rec.processes.map((_, p) => clock.origin(p)));
  const ts = (row: number, proc: number) => Math.round((clock.at(row, proc) - base) * 1000) / 1000;
  const values = options.values !== false;
  const maxFlows = options.maxFlows ?? 100_000;
  const out = new JsonArrayWriter(file, { displayTimeUnit: 'ms', otherData: { recording: index.rec.manifest.id, command: index.rec.manifest.command.join(' '), originEpochUs: base, format: 'execution-cinema' } });
  const r: ChromeExportResult = { file, events: 0, slices: 0, flows: 0, droppedFlows: 0 };
  const emit = (e: object) => {
    out.write(e);
    r.events++;
  };
  const brief = (v: unknown) => {
    const s = JSON.stringify(v) ?? 'undefined';
    return s.length > ARG_CHARS ? `${s.slice(0, ARG_CHARS)}…` : s;
  };

  for (const [proc, p] of index.rec.processes.entries()) {
    const script = p.info.argv[1] ? path.basename(p.info.argv[1]) : p.info.argv[0] ?? 'node';
    emit({ name: 'process_name', ph: 'M', pid: p.pid, tid: 0, args: { name: `${script} (pid ${p.pid})` } });
    emit({ name: 'process_sort_index', ph: 'M', pid: p.pid, tid: 0, args: { sort_index: proc } });
    for (const t of p.info.threads) emit({ name: 'thread_name', ph: 'M', pid: p.pid, tid: t, args: { name: t === 0 ? 'main' : `worker ${t}` } });
  }

  // Activation starts waiting for their end (suspend, return or throw) in the same thread.
  const open = new Map<number, number>();
  for (const c of index.chunks) {
    const pid = index.pidOf(c.proc);
    const tid = c.thread;
    const kinds = index.col.kind.range(c.firstRow, c.rows);
    const parents = index.col.parent.range(c.firstRow, c.rows);
    for (let i = 0; i < c.rows; i++) {
      const row = c.firstRow + i;
      const k = kinds[i]!;
      if (k === Kind.CALL || k === Kind.RESUME) {
        open.set(row, ts(row, c.proc));
        if (parents[i]! < 0 && r.flows < maxFlows) {
          const from = flowSource(index, row);
          if (from >= 0) {
            const fc = index.chunkOf(from);
            const id = r.flows++;
            emit({ name: 'cause', cat: 'causality', ph: 's', id, pid: index.pidOf(fc.proc), tid: fc.thread, ts: ts(from, fc.proc), args: { event: from } });
            emit({ name: 'cause', cat: 'causality', ph: 'f', bp: 'e', id, pid, tid, ts: ts(row, c.proc), args: { event: index.callOf(row) } });
          }
        } else if (parents[i]! < 0 && flowSource(index, row) >= 0) r.droppedFlows++;
      } else if (k === Kind.SUSPEND || k === Kind.RETURN || k === Kind.THROW) {
        const a = parents[i]!;
        const start = open.get(a);
        if (start === undefined) continue;
        open.delete(a);
        const call = index.callOf(a);
        const site = index.site(c.proc, index.col.site.get(call));
        const args: Record<string, unknown> = { event: call, file: site?.file, line: site?.line };
        if (values) {
          if (call === a) {
            const v = index.value(call);
            if (v !== undefined) args.args = brief(plain(v));
          } else args.resumed = true;
          if (k !== Kind.SUSPEND) {
            const v = k === Kind.THROW ? thrownValue(index, row) : index.value(row);
            if (v !== undefined) args[k === Kind.THROW ? 'threw' : 'returned'] = brief(plain(v));
          }
        }
        emit({ name: site?.name ?? 'function', cat: k === Kind.THROW ? 'function,throw' : 'function', ph: 'X', ts: start, dur: Math.max(0, ts(row, c.proc) - start), pid, tid, args });
        r.slices++;
      } else if (k === Kind.HTTP) {
        const v = index.value(row);
        const phase = field(v, 'phase');
        const id = `${pid}:${String(field(v, 'dir'))}:${String(field(v, 'id'))}`;
        const name = `${String(field(v, 'dir')) === 'out' ? 'client' : 'server'} ${String(field(v, 'method') ?? '')} ${String(field(v, 'url') ?? '')}`.trim();
        if (phase === 'request') emit({ name, cat: 'http', ph: 'b', id, pid, tid, ts: ts(row, c.proc), args: { event: row, traceparent: plain(field(v, 'traceparent')) } });
        else emit({ name: `${name}`, cat: 'http', ph: 'e', id, pid, tid, ts: ts(row, c.proc), args: { event: row, status: plain(field(v, 'status')), error: plain(field(v, 'error')) } });
      } else if (k === Kind.ERROR || k === Kind.LOG || k === Kind.MARK || k === Kind.PROCESS) {
        const v = index.value(row);
        const name = k === Kind.LOG ? `console.${String(plain(item(v, 0)))}` : k === Kind.PROCESS ? String(plain(field(v, 'what'))) : k === Kind.ERROR ? 'uncaught error' : 'mark';
        emit({ name, cat: k === Kind.ERROR ? 'error' : k === Kind.LOG ? 'log' : k === Kind.MARK ? 'mark' : 'process', ph: 'i', s: 't', ts: ts(row, c.proc), pid, tid, args: { event: row, value: brief(plain(v)) } });
      }
    }
  }
  // Activations that never ended (the recording stopped inside them) end at the thread's last event.
  for (const [a, start] of open) {
    const c = index.chunkOf(a);
    const site = index.site(c.proc, index.col.site.get(index.callOf(a)));
    const last = lastRowOfThread(index, c.proc, c.thread);
    emit({ name: site?.name ?? 'function', cat: 'function,unfinished', ph: 'X', ts: start, dur: Math.max(0, ts(last, c.proc) - start), pid: index.pidOf(c.proc), tid: c.thread, args: { event: index.callOf(a), unfinished: true } });
    r.slices++;
  }
  out.close();
  return r;
}

/** The nearest causal ancestor of a root activation that ran inside an activation (a slice an arrow can start from). */
function flowSource(index: EventIndex, row: number): number {
  let r = index.col.cause.get(row);
  for (let steps = 0; r >= 0 && steps < 64; steps++) {
    const k = index.kind(r);
    if (k === Kind.CALL || k === Kind.RESUME || index.col.parent.get(r) >= 0) return r;
    const next = index.col.cause.get(r);
    if (next === r) break;
    r = next;
  }
  return -1;
}

function lastRowOfThread(index: EventIndex, proc: number, thread: number): number {
  for (let i = index.chunks.length - 1; i >= 0; i--) {
    const c = index.chunks[i]!;
    if (c.proc === proc && c.thread === thread) return c.firstRow + c.rows - 1;
  }
  return 0;
}

/** Writes `{...head, "traceEvents": [ … ]}` one event at a time, flushing in 1 MiB batches. */
class JsonArrayWriter {
  readonly #fd: number;
  #buf: string[] = [];
  #size = 0;
  #first = true;

  constructor(file: string, head: object) {
    this.#fd = fs.openSync(file, 'w', 0o600);
    const h = JSON.stringify(head);
    this.#push(`${h.slice(0, -1)}${h.length > 2 ? ',' : ''}"traceEvents":[\n`);
  }

  write(e: object): void {
    this.#push(`${this.#first ? '' : ',\n'}${JSON.stringify(e)}`);
    this.#first = false;
  }

  #push(s: string): void {
    this.#buf.push(s);
    this.#size += s.length;
    if (this.#size > 1 << 20) this.#flush();
  }

  #flush(): void {
    fs.writeSync(this.#fd, this.#buf.join(''));
    this.#buf = [];
    this.#size = 0;
  }

  close(): void {
    this.#push('\n]}\n');
    this.#flush();
    fs.closeSync(this.#fd);
  }
}
