import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinema, cinemaBin, fixture, record, spawn, tempDir, type Run } from '../helpers.js';

interface KV { key: string; value: Record<string, unknown> }
interface Span { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; startTimeUnixNano: string; endTimeUnixNano: string; attributes: KV[]; events: { name: string; timeUnixNano: string; attributes: KV[] }[]; status: { code: number; message?: string }; flags?: number }
interface Request { resourceSpans: { resource: { attributes: KV[] }; scopeSpans: { scope: { name: string; version?: string }; spans: Span[] }[] }[] }

/** Runs the CLI without blocking this process's event loop (the receiver lives here). */
function cinemaAsync(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cinemaBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function anyValue(v: Record<string, unknown>): unknown {
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return ((v.arrayValue as { values: Record<string, unknown>[] }).values ?? []).map(anyValue);
  throw new Error(`unexpected attribute value ${JSON.stringify(v)}`);
}
const attrs = (kvs: KV[]) => Object.fromEntries(kvs.map((kv) => [kv.key, anyValue(kv.value)]));
const hr = (nanos: string): [number, number] => [Number(BigInt(nanos) / 1_000_000_000n), Number(BigInt(nanos) % 1_000_000_000n)];

/**
 * The spans of a received request as the OpenTelemetry SDK's ReadableSpans, so the official
 * serializers (the definitions of opentelemetry-proto as the OpenTelemetry JS project implements
 * them) can encode them again: what they write must be what we sent.
 */
function asReadableSpans(req: Request) {
  return req.resourceSpans.flatMap((rs) => {
    const resource = { attributes: attrs(rs.resource.attributes) };
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({
        name: s.name,
        kind: s.kind - 1,
        spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: (s.flags ?? 0) & 0xff }),
        parentSpanContext: s.parentSpanId ? { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: 1, isRemote: ((s.flags ?? 0) & 0x200) !== 0 } : undefined,
        startTime: hr(s.startTimeUnixNano),
        endTime: hr(s.endTimeUnixNano),
        status: s.status,
        attributes: attrs(s.attributes),
        links: [],
        events: s.events.map((e) => ({ name: e.name, time: hr(e.timeUnixNano), attributes: attrs(e.attributes) })),
        duration: [0, 0],
        ended: true,
        resource,
        instrumentationScope: ss.scope,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      })),
    );
  });
}

const received: { path: string; type: string; body: Request }[] = [];
let server: http.Server;
let port = 0;
let recording = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += String(d)));
    req.on('end', () => {
      received.push({ path: req.url!, type: req.headers['content-type'] ?? '', body: JSON.parse(body) as Request });
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/fail/v1/traces' ? (res.statusCode = 503, '{"message":"overloaded"}') : '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  const rec = record(['node', fixture('correlate/http-chain.mjs')], ['--causality']);
  expect({ code: rec.code, stderr: rec.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('recorded 3 process(es)') });
  recording = rec.dir;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('cinema export --format otlp', () => {
  it('posts OTLP/JSON that the official serializers reproduce, with one trace and parent links across three services', async () => {
    const r = await cinemaAsync(['export', recording, '--format', 'otlp', '--functions', 'handle*', '--endpoint', `http://127.0.0.1:${port}`, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(received).toHaveLength(1);
    const { path: p, type, body } = received[0]!;
    expect(p).toBe('/v1/traces');
    expect(type).toBe('application/json');
    // Decoded by the official definitions: serialized again from the SDK's span model, the JSON is ours.
    const spans = asReadableSpans(body) as unknown as Parameters<typeof JsonTraceSerializer.serializeRequest>[0];
    const official = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!)) as Request;
    expect(official).toEqual(body);
    // …and the protobuf encoding of the same spans holds 16-byte trace and 8-byte span ids.
    const proto = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    const all = body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    for (const s of all) {
      expect(s.traceId).toMatch(/^[\da-f]{32}$/);
      expect(s.spanId).toMatch(/^[\da-f]{16}$/);
      expect(proto.includes(Buffer.from(s.traceId, 'hex'))).toBe(true);
      expect(proto.includes(Buffer.from(s.spanId, 'hex'))).toBe(true);
    }
    expect(JSON.parse(r.stdout)).toMatchObject({ spans: all.length, traces: 1, status: 200 });

    // The tree: launcher client → A server → handleA → two clients → B servers → handleB.
    const byId = new Map(all.map((s) => [s.spanId, s]));
    const parent = (s: Span) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
    expect(new Set(all.map((s) => s.traceId)).size).toBe(1);
    const service = (s: Span) => attrs(body.resourceSpans.find((rs) => rs.scopeSpans.some((ss) => ss.spans.includes(s)))!.resource.attributes)['service.name'];
    const serverA = all.find((s) => s.kind === 2 && s.name === 'GET /a')!;
    expect(service(serverA)).toBe('http-a');
    expect(parent(serverA)!.kind).toBe(3);
    expect(service(parent(serverA)!)).toBe('http-chain');
    expect(serverA.flags! & 0x300).toBe(0x300); // remote parent
    const handleA = all.find((s) => s.name === 'handleA')!;
    expect(parent(handleA)).toBe(serverA);
    const clientsOfA = all.filter((s) => s.kind === 3 && service(s) === 'http-a');
    expect(clientsOfA).toHaveLength(2);
    for (const c of clientsOfA) expect(parent(c)).toBe(handleA);
    const serversB = all.filter((s) => s.kind === 2 && service(s) === 'http-b');
    expect(serversB.map((s) => s.name).sort()).toEqual(['GET /b', 'GET /b2']);
    expect(serversB.map((s) => parent(s)).sort()).toEqual([...clientsOfA].sort());
    for (const h of all.filter((s) => s.name === 'handleB')) expect(serversB).toContain(parent(h));
    // In one process, every span starts no earlier than its parent (across processes the clock
    // shifts of the timeline try to keep causes first, but a starved clock ticker can defeat them).
    for (const s of all) if (parent(s) && service(parent(s)!) === service(s)) expect(BigInt(s.startTimeUnixNano) >= BigInt(parent(s)!.startTimeUnixNano), `${s.name} ${s.startTimeUnixNano} vs parent ${parent(s)!.name} ${parent(s)!.startTimeUnixNano}`).toBe(true);
    expect(attrs(serverA.attributes)).toMatchObject({ 'http.request.method': 'GET', 'url.path': '/a', 'http.response.status_code': 200 });
    // Secrets stayed redacted, as in the recording.
    expect(JSON.stringify(body)).not.toMatch(/SECRET-(PW|TOKEN|APIKEY|PASS)/);

    // The ids are the recording's: a client span is the parent-id its traceparent header carried.
    const ev = (JSON.parse(cinema(['query', recording, 'events', '--kind', 'http', '--json', '--limit', '100']).stdout) as { value: { entries: [string, unknown][] } }[]).map((e) => Object.fromEntries(e.value.entries) as { phase: string; dir: string; traceparent?: string; span?: string });
    const sent = ev.filter((e) => e.phase === 'request' && e.dir === 'out').map((e) => e.span).sort();
    expect(sent).toHaveLength(3);
    expect(all.filter((s) => s.kind === 3).map((s) => s.spanId).sort()).toEqual(sent);
    const got = ev.filter((e) => e.phase === 'request' && e.dir === 'in').map((e) => e.traceparent!.split('-')[2]).sort();
    expect(all.filter((s) => s.kind === 2).map((s) => s.parentSpanId).sort()).toEqual(got);
  });

  it('writes the same request to a file, and reports an endpoint that fails or is not there in one line', async () => {
    const out = path.join(tempDir(), 'spans.json');
    const w = cinema(['export', recording, '--format', 'otlp', '--functions', 'handle*', '--out', out]);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/^wrote 9 spans in 1 traces to /);
    const file = JSON.parse(fs.readFileSync(out, 'utf8')) as Request;
    expect(file.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId))).sort()).toEqual(received[0]!.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId))).sort());

    const failing = await cinemaAsync(['export', recording, '--format', 'otlp', '--endpoint', `http://127.0.0.1:${port}/fail/v1/traces`]);
    expect(failing.code).toBe(1);
    expect(failing.stderr.trim()).toBe(`cinema export: http://127.0.0.1:${port}/fail/v1/traces answered 503: {"message":"overloaded"}`);
    const closed = await new Promise<number>((r) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => r(p));
      });
    });
    const refused = await cinemaAsync(['export', recording, '--format', 'otlp', '--endpoint', `http://127.0.0.1:${closed}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`cinema export: cannot POST to http://127.0.0.1:${closed}/v1/traces: ECONNREFUSED`);
    const bad = cinema(['export', recording, '--format', 'otlp', '--endpoint', 'not a url']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a URL');
  });
  it('names an Express server span after its route, with the handler function as its child', () => {
    const { dir, code } = record(['node', fixture('otlp/express-app.mjs')], ['--causality']);
    expect(code).toBe(0);
    const out = path.join(tempDir(), 'spans.json');
    expect(cinema(['export', dir, '--format', 'otlp', '--functions', 'showUser', '--out', out]).code).toBe(0);
    const all = (JSON.parse(fs.readFileSync(out, 'utf8')) as Request).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    const server = all.find((s) => s.kind === 2)!;
    expect(server.name).toBe('GET /users/:id');
    expect(attrs(server.attributes)).toMatchObject({ 'http.route': '/users/:id', 'url.path': '/users/42', 'http.response.status_code': 200 });
    const client = all.find((s) => s.kind === 3)!;
    expect(server.parentSpanId).toBe(client.spanId);
    expect(all.find((s) => s.name === 'showUser')!.parentSpanId).toBe(server.spanId);
    expect(new Set(all.map((s) => s.traceId)).size).toBe(1);
  });
});
