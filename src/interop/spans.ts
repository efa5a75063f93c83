/**
 * The spans of a recording: HTTP exchanges (each request with its response) and the calls of
 * chosen functions, each with its parent span found through the recording itself — the enclosing
 * calls first, then the causal links (an incoming request causes its handler, a callback its
 * scheduler) — and ids that follow W3C trace context: a client span's id is the parent-id its
 * traceparent header carried, a server span's parent is the parent-id it received. Spans of an
 * imported recording keep the ids they were imported with.
 */
import crypto from 'node:crypto';
import { Kind } from '../format/events.js';
import type { Value } from '../recording/value-reader.js';
import type { EventIndex } from '../query/index/event-index.js';
import { thrownValue } from '../query/errors.js';
import { field, item, plain } from './values.js';
import { isSpanId, isTraceId, SpanKind, type Plain } from './otlp.js';

export interface SpanRecord {
  /** The row that starts the span (a call or an HTTP request event). */
  row: number;
  /** The row that ends it (return, throw, HTTP response or error), -1: never ended. */
  end: number;
  proc: number;
  name: string;
  kind: number;
  spanId: string;
  traceId: string;
  parentSpanId?: string;
  /** The parent, when it is a span of this export. */
  parent?: SpanRecord;
  attributes: Record<string, Plain>;
  error?: { type: string; message: string; stack?: string };
  /** The parent came from another process or service (a received traceparent). */
  remoteParent?: boolean;
  /** HTTP status or imported status. */
  status?: { code: number; message?: string };
}

export interface SpanOptions {
  /** Which functions' calls become spans (besides HTTP exchanges and imported spans). */
  fn?: (name: string) => boolean;
  /** At most this many spans (the earliest). */
  limit?: number;
}

/** Fields of an imported call's second argument (src/interop/otlp-import.ts). */
export interface ImportedSpanMeta {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  remoteParent?: boolean;
  status?: { code: number; message?: string };
}

const hash = (text: string, hex: number) => crypto.createHash('sha256').update(text).digest('hex').slice(0, hex);
const TP = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}/i;

export function findSpans(index: EventIndex, options: SpanOptions = {}): { spans: SpanRecord[]; truncated: number } {
  const limit = options.limit ?? Infinity;
  const byRow = new Map<number, SpanRecord>();
  const http = new Map<string, SpanRecord>();
  const remoteParent = new Map<SpanRecord, { trace: string; span: string }>();
  // The trace id a client's traceparent carried: its trace when it has no parent span here.
  const sentTrace = new Map<SpanRecord, string>();
  const recId = index.rec.manifest.id;
  let truncated = 0;
  const imported = index.rec.processes.map((p) => p.info.node.startsWith('imported'));
  const chosen = index.rec.processes.map((_, proc) => {
    const ids = new Set<number>();
    if (!options.fn && !imported[proc]) return ids;
    for (const [id, s] of index.rec.processes[proc]!.sites()) if (s.kind === 'function' && (imported[proc] || options.fn!(s.name))) ids.add(id);
    return ids;
  });
  const add = (s: SpanRecord) => {
    if (byRow.size >= limit) truncated++;
    else byRow.set(s.row, s);
  };

  for (const c of index.chunks) {
    const kinds = index.col.kind.range(c.firstRow, c.rows);
    const sites = index.col.site.range(c.firstRow, c.rows);
    const pid = index.pidOf(c.proc);
    for (let i = 0; i < c.rows; i++) {
      const row = c.firstRow + i;
      const k = kinds[i]!;
      if (k === Kind.CALL && chosen[c.proc]!.has(sites[i]!)) add(callSpan(index, row, c.proc, imported[c.proc]!, recId));
      else if (k === Kind.HTTP && !imported[c.proc]) {
        const v = index.value(row);
        const phase = field(v, 'phase');
        const key = `${c.proc}:${String(field(v, 'dir'))}:${String(field(v, 'id'))}`;
        if (phase === 'request') {
          const s = httpSpan(v, row, c.proc, `${recId}:${pid}:${row}`);
          const tp = TP.exec(String(field(v, 'traceparent') ?? ''));
          if (tp && s.kind === SpanKind.SERVER) remoteParent.set(s, { trace: tp[1]!.toLowerCase(), span: tp[2]!.toLowerCase() });
          if (tp && s.kind === SpanKind.CLIENT) sentTrace.set(s, tp[1]!.toLowerCase());
          http.set(key, s);
          add(s);
        } else {
          const s = http.get(key);
          if (!s) continue;
          s.end = row;
          const status = field(v, 'status');
          if (typeof status === 'number') {
            s.attributes['http.response.status_code'] = status;
            if (status >= (s.kind === SpanKind.SERVER ? 500 : 400)) s.status = { code: 2 };
          }
          if (phase === 'error') s.error = { type: 'Error', message: String(plain(field(v, 'error')) ?? 'request failed') };
          const route = field(v, 'route');
          if (typeof route === 'string' && s.kind === SpanKind.SERVER) {
            s.attributes['http.route'] = route;
            s.name = `${String(s.attributes['http.request.method'])} ${route}`;
          }
        }
      }
    }
  }

  const bySpanId = new Map<string, SpanRecord>();
  for (const s of byRow.values()) bySpanId.set(s.spanId, s);
  for (const s of byRow.values()) {
    if (s.parentSpanId !== undefined) {
      s.parent = bySpanId.get(s.parentSpanId);
      continue;
    }
    const remote = remoteParent.get(s);
    if (remote) {
      s.parentSpanId = remote.span;
      s.remoteParent = true;
      s.parent = bySpanId.get(remote.span);
      if (!s.parent) s.traceId = remote.trace;
      continue;
    }
    s.parent = enclosingSpan(index, s.row, byRow);
    s.parentSpanId = s.parent?.spanId;
  }
  const resolveTrace = (s: SpanRecord, depth = 0): string => {
    if (!s.traceId) s.traceId = s.parent && depth < 1000 ? resolveTrace(s.parent, depth + 1) : (sentTrace.get(s) ?? hash(`${recId}:trace:${s.row}`, 32));
    return s.traceId;
  };
  const spans = [...byRow.values()];
  for (const s of spans) resolveTrace(s);
  return { spans, truncated };
}

/**
 * The nearest span that contains `row`: up the activations (a resumed frame continues from its
 * call, whose caller is the one it had before it suspended), then across the causal link of the
 * outermost one (the request that started a handler, the callback's scheduler).
 */
function enclosingSpan(index: EventIndex, row: number, spans: Map<number, SpanRecord>): SpanRecord | undefined {
  let r = row;
  for (let steps = 0; steps < 100_000; steps++) {
    // For a call: its caller's activation; for any other event: the activation it happened in.
    const a = index.col.parent.get(r);
    if (a >= 0) {
      const call = index.callOf(a);
      const s = spans.get(call);
      if (s) return s;
      r = call >= 0 ? call : a;
      continue;
    }
    const cause = index.col.cause.get(r);
    if (cause < 0 || cause === r) return undefined;
    const s = spans.get(cause);
    if (s) return s;
    r = cause;
  }
  return undefined;
}

function callSpan(index: EventIndex, row: number, proc: number, imported: boolean, recId: string): SpanRecord {
  const site = index.site(proc, index.col.site.get(row));
  const end = index.col.link.get(row);
  const args = index.value(row);
  const s: SpanRecord = { row, end, proc, name: site?.name ?? 'function', kind: SpanKind.INTERNAL, spanId: '', traceId: '', attributes: {} };
  const meta = imported ? (plain(item(args, 1)) as Partial<ImportedSpanMeta> | null) : null;
  if (meta && isSpanId(meta.spanId) && isTraceId(meta.traceId)) {
    Object.assign(s, { spanId: meta.spanId, traceId: meta.traceId, kind: Number(meta.kind) || 0 });
    if (isSpanId(meta.parentSpanId)) s.parentSpanId = meta.parentSpanId;
    if (meta.remoteParent === true) s.remoteParent = true;
    if (meta.status && typeof meta.status.code === 'number') s.status = meta.status;
    const attrs = plain(item(args, 0));
    if (attrs && typeof attrs === 'object' && !Array.isArray(attrs)) s.attributes = attrs;
  } else {
    s.spanId = hash(`${recId}:${index.pidOf(proc)}:${row}`, 16);
    Object.assign(s.attributes, { 'code.function.name': s.name, 'code.file.path': site?.file ?? null, 'code.line.number': site?.line ?? null, 'cinema.event': row });
    if (args !== undefined) s.attributes['cinema.args'] = JSON.stringify(plain(args)).slice(0, 1024);
  }
  if (end >= 0 && index.kind(end) === Kind.THROW) {
    const thrown = thrownValue(index, end);
    s.error = thrown && typeof thrown === 'object' && 'type' in thrown && thrown.type === 'error' ? { type: thrown.name, message: thrown.message, stack: thrown.stack } : { type: 'throw', message: JSON.stringify(plain(thrown)) ?? 'thrown' };
    s.status ??= { code: 2, message: s.error.message };
  }
  return s;
}

function httpSpan(v: Value | undefined, row: number, proc: number, seed: string): SpanRecord {
  const out = field(v, 'dir') === 'out';
  const method = String(field(v, 'method') ?? 'GET');
  const url = String(field(v, 'url') ?? '');
  const span = field(v, 'span');
  const s: SpanRecord = { row, end: -1, proc, name: method, kind: out ? SpanKind.CLIENT : SpanKind.SERVER, spanId: out && isSpanId(span) ? span.toLowerCase() : hash(seed, 16), traceId: '', attributes: {} };
  s.attributes['http.request.method'] = method;
  if (out) s.attributes['url.full'] = url;
  else {
    const q = url.indexOf('?');
    s.attributes['url.path'] = q < 0 ? url : url.slice(0, q);
    if (q >= 0) s.attributes['url.query'] = url.slice(q + 1);
    s.name = `${method} ${String(s.attributes['url.path'])}`;
  }
  s.attributes['cinema.event'] = row;
  return s;
}
