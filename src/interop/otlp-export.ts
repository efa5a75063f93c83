/**
 * A recording as an OTLP/JSON ExportTraceServiceRequest: one ResourceSpans per process (service
 * name, pid, runtime), the spans of src/interop/spans.ts with their ids, parents, HTTP attributes
 * (stable semantic conventions), statuses and exception events. Written to a file or POSTed to an
 * OTLP/HTTP endpoint (a collector, Jaeger, Tempo…).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EventIndex } from '../query/index/event-index.js';
import { wallClock } from './clock.js';
import { toAttributes, usToNanos, type ExportTraceServiceRequest, type OtlpSpan, type Plain, type ResourceSpans } from './otlp.js';
import { findSpans, type SpanOptions, type SpanRecord } from './spans.js';

export const SCOPE = { name: 'execution-cinema', version: '0.1.0' };
/** Written by the importer next to process.json: the resource attributes an imported process had. */
export const RESOURCE_FILE = 'resource.json';

export interface OtlpExportOptions extends SpanOptions {
  /** service.name of processes that were recorded (default: the script's name). */
  service?: string;
}

export interface OtlpExport {
  request: ExportTraceServiceRequest;
  spans: number;
  /** Spans left out by the limit. */
  truncated: number;
}

export function exportOtlp(index: EventIndex, options: OtlpExportOptions = {}): OtlpExport {
  const { spans, truncated } = findSpans(index, options);
  const clock = wallClock(index);
  const byProc = new Map<number, OtlpSpan[]>();
  for (const s of spans) {
    let list = byProc.get(s.proc);
    if (!list) byProc.set(s.proc, (list = []));
    list.push(toOtlp(s, clock.at(s.row, s.proc), s.end >= 0 ? clock.at(s.end, s.proc) : clock.at(s.row, s.proc)));
  }
  const resourceSpans: ResourceSpans[] = [];
  for (const [proc, list] of [...byProc].sort((a, b) => a[0] - b[0])) {
    resourceSpans.push({ resource: { attributes: toAttributes(resourceOf(index, proc, options.service)), droppedAttributesCount: 0 }, scopeSpans: [{ scope: SCOPE, spans: list }] });
  }
  return { request: { resourceSpans }, spans: spans.length, truncated };
}

function toOtlp(s: SpanRecord, startUs: number, endUs: number): OtlpSpan {
  const span: OtlpSpan = {
    traceId: s.traceId,
    spanId: s.spanId,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: usToNanos(startUs),
    endTimeUnixNano: usToNanos(Math.max(startUs, endUs)),
    attributes: toAttributes(s.attributes),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    status: s.status ? { code: s.status.code, ...(s.status.message ? { message: s.status.message } : {}) } : { code: 0 },
    links: [],
    droppedLinksCount: 0,
    // W3C flags (sampled) plus the proto's "is the parent remote" bits (known: 0x100, remote: 0x200).
    flags: 0x101 | (s.remoteParent ? 0x200 : 0),
  };
  if (s.parentSpanId) span.parentSpanId = s.parentSpanId;
  if (s.error) {
    span.status = { code: 2, message: s.error.message };
    const attrs: Record<string, Plain> = { 'exception.type': s.error.type, 'exception.message': s.error.message };
    if (s.error.stack) attrs['exception.stacktrace'] = s.error.stack;
    span.events.push({ timeUnixNano: span.endTimeUnixNano, name: 'exception', attributes: toAttributes(attrs), droppedAttributesCount: 0 });
  }
  return span;
}

function resourceOf(index: EventIndex, proc: number, service: string | undefined): Record<string, Plain> {
  const p = index.rec.processes[proc]!;
  try {
    const saved = JSON.parse(fs.readFileSync(path.join(p.dir, RESOURCE_FILE), 'utf8')) as unknown;
    if (saved && typeof saved === 'object' && !Array.isArray(saved)) return saved as Record<string, Plain>;
  } catch {
    // a recorded process: described below
  }
  const script = p.info.argv[1];
  return {
    'service.name': service ?? (script ? path.basename(script).replace(/\.[cm]?[jt]s$/, '') : 'node'),
    'process.pid': p.pid,
    'process.parent_pid': p.info.parentPid ?? p.info.ppid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': p.info.node.replace(/^v/, ''),
    'process.command_args': p.info.argv,
    'telemetry.sdk.name': 'execution-cinema',
    'telemetry.sdk.language': 'nodejs',
    'cinema.recording': index.rec.manifest.id,
  };
}

/** POSTs the request as OTLP/HTTP JSON; a base URL gets the standard /v1/traces path. */
export async function postOtlp(request: ExportTraceServiceRequest, endpoint: string, timeoutMs = 10_000): Promise<{ url: string; status: number; body: string }> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`--endpoint ${endpoint} is not a URL (e.g. http://127.0.0.1:4318)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--endpoint ${endpoint}: only http and https are supported`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request), signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot POST to ${url.href}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  const body = await res.text();
  if (!res.ok) throw new Error(`${url.href} answered ${res.status}: ${body.slice(0, 200).replace(/\s+/g, ' ')}`);
  return { url: url.href, status: res.status, body };
}
