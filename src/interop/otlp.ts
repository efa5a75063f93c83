/**
 * OTLP/JSON trace documents (the JSON mapping of opentelemetry-proto's ExportTraceServiceRequest,
 * as the OpenTelemetry SDKs and collectors write it): the types we read and write, attribute
 * values to and from plain data, and id and time helpers. Ids are lowercase hex (trace 32 digits,
 * span 16), times are decimal strings of nanoseconds since the epoch.
 */
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: string;
}

export interface KeyValue {
  key: string;
  value?: AnyValue;
}

export interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
}

export interface OtlpLink {
  traceId: string;
  spanId: string;
  attributes?: KeyValue[];
}

/** SpanKind of the proto: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
export const SpanKind = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
/** Status code: 0 unset, 1 ok, 2 error. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
  events: OtlpEvent[];
  droppedEventsCount?: number;
  status: { code: number; message?: string };
  links: OtlpLink[];
  droppedLinksCount?: number;
  flags?: number;
}

export interface ScopeSpans {
  scope?: { name: string; version?: string };
  spans: OtlpSpan[];
  schemaUrl?: string;
}

export interface ResourceSpans {
  resource: { attributes: KeyValue[]; droppedAttributesCount?: number };
  scopeSpans: ScopeSpans[];
  schemaUrl?: string;
}

export interface ExportTraceServiceRequest {
  resourceSpans: ResourceSpans[];
}

export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** An attribute value as plain data (ints beyond 2^53 stay decimal strings, bytes stay base64). */
export function fromAnyValue(v: AnyValue | undefined): Plain {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(fromAnyValue);
  if (v.kvlistValue) return attributesOf(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return v.bytesValue;
  return null;
}

export function attributesOf(kvs: KeyValue[] | undefined): { [key: string]: Plain } {
  const out: { [key: string]: Plain } = {};
  for (const kv of kvs ?? []) if (kv && typeof kv.key === 'string') out[kv.key] = fromAnyValue(kv.value);
  return out;
}

/** Plain data as an attribute value, the way the OpenTelemetry JS SDK encodes it. */
export function toAnyValue(v: Plain | undefined): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(toAnyValue) } };
  if (v && typeof v === 'object') return { kvlistValue: { values: toAttributes(v) } };
  return {};
}

export function toAttributes(o: { [key: string]: Plain | undefined }): KeyValue[] {
  return Object.entries(o)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key, v]) => ({ key, value: toAnyValue(v) }));
}

/** µs since the epoch as OTLP nanoseconds (exact: no float multiplication of the whole). */
export function usToNanos(us: number): string {
  const whole = Math.floor(us);
  const frac = Math.round((us - whole) * 1000);
  return (BigInt(whole) * 1000n + BigInt(frac)).toString();
}

/** OTLP nanoseconds as µs since the epoch (fractions of a µs kept as a fraction). */
export function nanosToUs(nanos: string | number | undefined): number {
  if (nanos === undefined || nanos === '') return NaN;
  try {
    const n = BigInt(typeof nanos === 'number' ? Math.round(nanos) : nanos);
    return Number(n / 1000n) + Number(n % 1000n) / 1000;
  } catch {
    return NaN;
  }
}

export const isTraceId = (s: unknown): s is string => typeof s === 'string' && /^[\da-f]{32}$/i.test(s) && !/^0+$/.test(s);
export const isSpanId = (s: unknown): s is string => typeof s === 'string' && /^[\da-f]{16}$/i.test(s) && !/^0+$/.test(s);

/**
 * OTLP/JSON ids are hex, but some exporters write the proto3 default (base64 of the bytes): read
 * both, so files from either kind of exporter import.
 */
export function normalizeId(s: unknown, bytes: 8 | 16): string | null {
  if (typeof s !== 'string' || s === '') return null;
  if (new RegExp(`^[\\da-f]{${bytes * 2}}$`, 'i').test(s)) return s.toLowerCase();
  if (/^[A-Za-z\d+/]+={0,2}$/.test(s)) {
    const b = Buffer.from(s, 'base64');
    if (b.length === bytes) return b.toString('hex');
  }
  return null;
}
