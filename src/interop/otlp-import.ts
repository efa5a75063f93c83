/**
 * OTLP/JSON traces (from any OpenTelemetry SDK or a collector's file exporter: one
 * ExportTraceServiceRequest, or one per line) as a recording. Each resource (service instance)
 * becomes a process; each span a call of a function named after the span, on a thread ("lane")
 * where it nests inside its parent; attributes and ids are the call's arguments, its status the
 * return (or a throw, for an error status). Server and client spans with HTTP attributes also get
 * HTTP events carrying W3C traceparent, so the correlator links a client span to the server span
 * it caused, across services, and the timeline, causality and UI views work as for a recording.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kind } from '../format/events.js';
import { RESOURCE_FILE } from './otlp-export.js';
import { attributesOf, nanosToUs, normalizeId, SpanKind, StatusCode, type ExportTraceServiceRequest, type OtlpSpan, type Plain } from './otlp.js';
import { layOut, type LaneSpan } from './lanes.js';
import { RecordingBuilder, type ProcessBuilder } from './recording-builder.js';
import { ErrorValue, ListValue, type Encodable } from './value-encoder.js';

export interface ImportResult {
  dir: string;
  processes: number;
  spans: number;
  /** Spans left out: no valid ids or times, or a span id seen before. */
  skipped: number;
}

/** Parses a file: one JSON document, or JSON lines (a collector's file exporter). */
export function readOtlpFile(file: string): ExportTraceServiceRequest[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const docs: unknown[] = [];
  try {
    docs.push(JSON.parse(text));
  } catch {
    const lines = text.split('\n').filter((l) => l.trim());
    for (const [i, line] of lines.entries()) {
      try {
        docs.push(JSON.parse(line));
      } catch {
        throw new Error(`${file} is not OTLP/JSON (line ${i + 1} is not valid JSON)`);
      }
    }
  }
  const out = docs.filter((d): d is ExportTraceServiceRequest => !!d && typeof d === 'object' && Array.isArray((d as ExportTraceServiceRequest).resourceSpans));
  if (out.length === 0) throw new Error(`${file} is not OTLP/JSON traces (no resourceSpans)`);
  return out;
}

interface Imported extends LaneSpan {
  span: OtlpSpan;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attrs: Record<string, Plain>;
}

export function importOtlp(requests: ExportTraceServiceRequest[], dir: string, command: string[]): ImportResult {
  // Resources with the same attributes are one service instance, whatever batch they came in.
  const groups = new Map<string, { attrs: Record<string, Plain>; spans: OtlpSpan[] }>();
  for (const req of requests) {
    for (const rs of req.resourceSpans ?? []) {
      const attrs = attributesOf(rs?.resource?.attributes);
      const key = JSON.stringify(attrs);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { attrs, spans: [] }));
      for (const ss of rs?.scopeSpans ?? []) for (const sp of ss?.spans ?? []) if (sp && typeof sp === 'object') g.spans.push(sp);
    }
  }
  const builder = new RecordingBuilder(dir, command);
  const seen = new Set<string>();
  const pids = new Set<number>();
  let spans = 0;
  let skipped = 0;
  let n = 0;
  for (const { attrs, spans: raw } of groups.values()) {
    const list: Imported[] = [];
    for (const sp of raw) {
      const traceId = normalizeId(sp.traceId, 16);
      const spanId = normalizeId(sp.spanId, 8);
      const start = nanosToUs(sp.startTimeUnixNano);
      const end = nanosToUs(sp.endTimeUnixNano);
      if (!traceId || !spanId || !Number.isFinite(start) || seen.has(spanId)) {
        skipped++;
        continue;
      }
      seen.add(spanId);
      const parentSpanId = normalizeId(sp.parentSpanId, 8) ?? undefined;
      list.push({ span: sp, traceId, spanId, parentSpanId, id: spanId, parent: parentSpanId, start, end: Number.isFinite(end) && end >= start ? end : start, attrs: attributesOf(sp.attributes) });
    }
    if (list.length === 0) continue;
    const pid = pidFor(attrs, pids, ++n);
    const origin = Math.floor(Math.min(...list.map((s) => s.start)) / 1000);
    const service = String(attrs['service.name'] ?? `service-${n}`);
    const runtime = [attrs['process.runtime.name'], attrs['process.runtime.version']].filter((x) => x !== undefined).join(' ') || String(attrs['telemetry.sdk.language'] ?? 'unknown');
    const proc = builder.process({
      pid,
      argv: [service, ...(Array.isArray(attrs['process.command_args']) ? (attrs['process.command_args'] as Plain[]).map(String) : [])],
      timeOrigin: origin,
      endedAt: Math.max(...list.map((s) => s.end)) / 1000,
      runtime: `imported from OTLP (${runtime})`,
      file: `otlp:${service}`,
    });
    fs.writeFileSync(path.join(dir, 'processes', String(pid), RESOURCE_FILE), JSON.stringify(attrs), { mode: 0o600 });
    writeSpans(proc, list, origin * 1000);
    spans += list.length;
  }
  builder.finish();
  return { dir, processes: builder.processes, spans, skipped };
}

/** The service's own pid when it gave one and it is free, else a made-up one above any real pid. */
function pidFor(attrs: Record<string, Plain>, used: Set<number>, n: number): number {
  const given = attrs['process.pid'];
  let pid = typeof given === 'number' && Number.isSafeInteger(given) && given > 0 && given < 2 ** 31 && !used.has(given) ? given : 4_000_000 + n;
  while (used.has(pid)) pid++;
  used.add(pid);
  return pid;
}

const PARAMS = ['attributes', 'span'];

function writeSpans(proc: ProcessBuilder, list: Imported[], originUs: number): void {
  let exchange = 0;
  const http = new Map<Imported, number>();
  const at = (us: number) => us - originUs;
  // A span's events are written in time order between its children's runs, so each lands in
  // the span's own activation (an event that falls inside a child's run follows that child).
  const pending = new Map<Imported, { t: number; value: Encodable }[]>();
  const tops = new Map<number, Imported[]>();
  const flush = (s: Imported | undefined, upTo: number, lane: number) => {
    const q = s && pending.get(s);
    while (q && q.length && q[0]!.t <= upTo) {
      const e = q.shift()!;
      proc.thread(lane).event(Kind.LOG, 0, at(e.t), e.value);
    }
  };
  for (const step of layOut(list)) {
    const s = step.span;
    const t = proc.thread(step.lane);
    const stack = tops.get(step.lane) ?? [];
    tops.set(step.lane, stack);
    const site = proc.site(s.span.name || '(unnamed span)', PARAMS);
    const kind = Number(s.span.kind) || 0;
    const method = s.attrs['http.request.method'] ?? s.attrs['http.method'];
    const isHttp = method !== undefined && (kind === SpanKind.SERVER || kind === SpanKind.CLIENT);
    if (step.begin) {
      flush(stack.at(-1), s.start, step.lane);
      stack.push(s);
      const status = s.span.status && typeof s.span.status === 'object' ? { code: Number(s.span.status.code) || 0, message: s.span.status.message } : undefined;
      const remoteParent = typeof s.span.flags === 'number' && (s.span.flags & 0x300) === 0x300 ? true : undefined;
      const meta: Encodable = { traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, kind, remoteParent, status, links: (s.span.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })) };
      t.event(Kind.CALL, site, at(s.start), new ListValue([s.attrs as Encodable, meta]));
      if (isHttp) {
        http.set(s, ++exchange);
        t.event(Kind.HTTP, 0, at(s.start), httpRequest(s, kind, exchange, String(method)));
      }
      const events = (s.span.events ?? []).map((e) => {
        const level = e?.name === 'exception' ? 'error' : 'info';
        const value = new ListValue([level, new ListValue([String(e?.name ?? 'event'), attributesOf(e?.attributes) as Encodable])]);
        return { t: Math.min(s.end, Math.max(s.start, nanosToUs(e?.timeUnixNano) || s.start)), value };
      });
      pending.set(s, events.sort((a, b) => a.t - b.t));
      continue;
    }
    flush(s, Infinity, step.lane);
    pending.delete(s);
    stack.pop();
    const id = http.get(s);
    if (id !== undefined) {
      const status = s.attrs['http.response.status_code'] ?? s.attrs['http.status_code'];
      t.event(Kind.HTTP, 0, at(s.end), { phase: 'response', dir: kind === SpanKind.CLIENT ? 'out' : 'in', id, api: 'otlp', status: typeof status === 'number' ? status : null, ms: Math.round(s.end - s.start) / 1000 });
    }
    if (Number(s.span.status?.code) === StatusCode.ERROR) {
      const ex = (s.span.events ?? []).find((e) => e?.name === 'exception');
      const ea = attributesOf(ex?.attributes);
      t.event(Kind.THROW, site, at(s.end), new ErrorValue(String(ea['exception.type'] ?? 'Error'), String(s.span.status?.message || ea['exception.message'] || 'error status'), String(ea['exception.stacktrace'] ?? '')));
    } else t.event(Kind.RETURN, site, at(s.end), s.span.status?.code ? { code: Number(s.span.status.code), message: s.span.status.message ?? null } : undefined);
  }
}

function httpRequest(s: Imported, kind: number, id: number, method: string): Encodable {
  const a = s.attrs;
  const route = a['http.route'];
  const url = a['url.full'] ?? a['http.url'] ?? a['url.path'] ?? a['http.target'] ?? route ?? '';
  const out = kind === SpanKind.CLIENT;
  // A server span received its parent's id; a client span sent its own.
  const traceparent = out ? `00-${s.traceId}-${s.spanId}-01` : s.parentSpanId ? `00-${s.traceId}-${s.parentSpanId}-01` : undefined;
  return { phase: 'request', dir: out ? 'out' : 'in', id, api: 'otlp', method, url: String(url), headers: {}, traceparent, span: out ? s.spanId : undefined, route: typeof route === 'string' ? route : undefined };
}
