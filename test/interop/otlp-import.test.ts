import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { cinema, cinemaBin, fixture, record, tempDir } from '../helpers.js';

interface Ev { id: number; pid: number; thread: number; kind: string; name?: string; time: number; value?: { type: string; items?: unknown[]; entries?: [string, unknown][]; name?: string; message?: string } }
const json = <T>(args: string[]): T => {
  const r = cinema(args);
  if (r.code !== 0) throw new Error(`cinema ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};
const entries = (v: unknown) => Object.fromEntries((v as { entries: [string, unknown][] }).entries) as Record<string, unknown>;

let cwd = '';
let rec = '';
beforeAll(() => {
  cwd = tempDir('cinema-import-');
  rec = path.join(cwd, '.cinema', 'phoenix');
  const r = cinema(['import', '--format', 'otlp', fixture('otlp/phoenix.json'), '--out', rec, '--json']);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toMatchObject({ processes: 2, spans: 9, skipped: 0 });
});

describe('cinema import --format otlp (an Elixir/Phoenix service and the Node service it calls)', () => {
  it('makes each span a call with its attributes, nested under its parent, concurrent requests on their own threads', () => {
    const calls = json<Ev[]>(['query', rec, 'events', '--kind', 'call', '--json', '--limit', '100']);
    expect(calls.map((c) => c.name).sort()).toEqual(['/users/:id', '/users/:id', 'GET /prices', 'HTTP GET', 'POST /users', 'myapp.repo.query:posts', 'myapp.repo.query:users', 'myapp.repo.query:users', 'myapp.repo.query:users']);
    const show = calls.find((c) => c.name === '/users/:id' && entries(c.value!.items![0])['http.target'] === '/users/42')!;
    expect(entries(show.value!.items![0])).toMatchObject({ 'http.route': '/users/:id', 'http.method': 'GET', 'phoenix.plug': 'Elixir.MyAppWeb.UserController', 'phoenix.action': 'show', 'http.status_code': 200 });
    expect(entries(show.value!.items![1])).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: 'b7ad6b7169203331', kind: 2 });
    // Its call tree holds the Ecto queries with their SQL and the outgoing HTTP call, with durations.
    const tree = json<{ name: string; dur?: number; children?: { name: string; args?: unknown; dur?: number }[] }>(['query', rec, 'calltree', String(show.id), '--json']);
    expect(tree.children!.map((c) => c.name)).toEqual(['myapp.repo.query:users', 'myapp.repo.query:posts', 'HTTP GET']);
    expect(JSON.stringify(tree.children![0]!.args)).toContain('SELECT u0.\\"id\\", u0.\\"name\\", u0.\\"email\\" FROM \\"users\\"');
    // The concurrent GET /users/7 overlaps it in time: another lane (thread) of the same process.
    const other = calls.find((c) => c.name === '/users/:id' && c.id !== show.id)!;
    expect(other.pid).toBe(show.pid);
    expect(other.thread).not.toBe(show.thread);
    const stack = json<{ frames: { name: string }[] }>(['query', rec, 'stack', String(calls.find((c) => c.thread === other.thread && c.name === 'myapp.repo.query:users')!.id), '--json']);
    expect(stack.frames.map((f) => f.name)).toEqual(['myapp.repo.query:users', '/users/:id']);
  });

  it('links the Phoenix client span to the Node server span it caused, and shows an error status as a throw', () => {
    const http = json<Ev[]>(['query', rec, 'events', '--kind', 'http', '--json', '--limit', '100']);
    const pricingIn = http.find((e) => entries(e.value)['url'] === '/prices' && entries(e.value)['phase'] === 'request')!;
    const causes = json<Ev[]>(['query', rec, 'causes', String(pricingIn.id), '--json']);
    expect(causes.map((c) => c.name ?? c.kind)).toEqual(expect.arrayContaining(['http', 'HTTP GET', '/users/:id']));
    expect(causes.find((c) => c.name === 'HTTP GET')!.pid).not.toBe(pricingIn.pid);
    // The timeline puts both services in one order: the client request before the server's.
    const timeline = json<{ events: Ev[] }>(['query', rec, 'timeline', '--json', '--limit', '200']);
    const order = timeline.events.map((e) => e.id);
    const clientOut = http.find((e) => entries(e.value)['dir'] === 'out' && entries(e.value)['phase'] === 'request')!;
    expect(order.indexOf(clientOut.id)).toBeLessThan(order.indexOf(pricingIn.id));
    const errors = json<{ error?: unknown; thrown?: { name: string; message: string } }[]>(['query', rec, 'errors', '--json']);
    expect(JSON.stringify(errors)).toContain('Elixir.Ecto.ConstraintError');
    const logs = json<Ev[]>(['query', rec, 'events', '--kind', 'log', '--json']);
    expect(JSON.stringify(logs[0]!.value)).toContain('users_email_index (unique_constraint)');
  });

  it('is opened by the MCP tools like a recording', async () => {
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [cinemaBin, 'mcp'], cwd, stderr: 'pipe', env: { ...process.env, CINEMA_LLM_URL: '' } as Record<string, string> }));
    try {
      const call = async (name: string, args: Record<string, unknown> = {}) => JSON.parse(((await client.callTool({ name, arguments: args })) as { content: { text: string }[] }).content[0]!.text) as Record<string, unknown>;
      const overview = await call('overview', { recording: 'phoenix' });
      expect(JSON.stringify(overview)).toContain('myapp.repo.query:users');
      const explained = await call('explain_error', { recording: 'phoenix' });
      expect(JSON.stringify(explained)).toContain('Ecto.ConstraintError');
    } finally {
      await client.close();
    }
  });

  it('round trip: a recording exported as OTLP and imported exports the same spans, ids and parents', () => {
    const { dir, code } = record(['node', fixture('correlate/http-chain.mjs')], ['--causality']);
    expect(code).toBe(0);
    const first = path.join(tempDir(), 'first.json');
    expect(cinema(['export', dir, '--format', 'otlp', '--functions', 'handle*,getB', '--out', first]).code).toBe(0);
    const imported = path.join(tempDir(), 'imported');
    expect(cinema(['import', '--format', 'otlp', first, '--out', imported]).code).toBe(0);
    const second = path.join(tempDir(), 'second.json');
    expect(cinema(['export', imported, '--format', 'otlp', '--out', second]).code).toBe(0);
    type Req = { resourceSpans: { resource: unknown; scopeSpans: { spans: { spanId: string }[] }[] }[] };
    const norm = (file: string) => {
      const r = JSON.parse(fs.readFileSync(file, 'utf8')) as Req;
      return r.resourceSpans.map((rs) => ({ resource: rs.resource, spans: rs.scopeSpans.flatMap((ss) => ss.spans).sort((a, b) => a.spanId.localeCompare(b.spanId)) })).sort((a, b) => JSON.stringify(a.resource).localeCompare(JSON.stringify(b.resource)));
    };
    const a = norm(first);
    expect(a.flatMap((r) => r.spans)).toHaveLength(10);
    expect(norm(second)).toEqual(a);
  });

  it('rejects what is not OTLP/JSON in one line, and skips spans without valid ids', () => {
    const dir = tempDir();
    const notJson = path.join(dir, 'x.json');
    fs.writeFileSync(notJson, '{"resourceSpans": [');
    let r = cinema(['import', '--format', 'otlp', notJson, '--out', path.join(dir, 'a')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`cinema import: ${notJson} is not OTLP/JSON (line 1 is not valid JSON)`);
    fs.writeFileSync(notJson, '{"spans": []}');
    expect(cinema(['import', '--format', 'otlp', notJson]).stderr.trim()).toBe(`cinema import: ${notJson} is not OTLP/JSON traces (no resourceSpans)`);
    expect(cinema(['import', '--format', 'otlp', path.join(dir, 'missing.json')]).stderr).toContain('cannot read');
    expect(cinema(['import', '--format', 'zipkin', notJson]).code).toBe(2);
    const doc = JSON.parse(fs.readFileSync(fixture('otlp/phoenix.json'), 'utf8')) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    doc.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId = 'xyz';
    doc.resourceSpans[1]!.scopeSpans[0]!.spans[0]!.spanId = doc.resourceSpans[0]!.scopeSpans[1]!.spans[0]!.spanId; // a repeated id
    const damaged = path.join(dir, 'damaged.jsonl');
    // A collector's file exporter writes one request per line.
    fs.writeFileSync(damaged, doc.resourceSpans.map((rs) => JSON.stringify({ resourceSpans: [rs] })).join('\n'));
    r = cinema(['import', '--format', 'otlp', damaged, '--out', path.join(dir, 'b'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ spans: 7, skipped: 2, processes: 1 });
    expect(cinema(['import', '--format', 'otlp', damaged, '--out', path.join(dir, 'b')]).stderr).toContain('already holds a recording');
  });
});
