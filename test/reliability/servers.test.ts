/**
 * Locked-down servers, on top of test/ui/server.test.ts and test/mcp/mcp.test.ts: request rate
 * limits (UI and MCP), the MCP body limit, no path traversal through any MCP parameter that names
 * a recording or a file, and owner-only recordings, indexes and transform caches.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp, type HttpMcp } from '../../src/mcp/server.js';
import { Workspace } from '../../src/mcp/workspace.js';
import { RateLimiter } from '../../src/server/limits.js';
import { startUiServer, type UiServer } from '../../src/server/server.js';
import { cinema, fixture, record, tempDir } from '../helpers.js';

function send(port: number, p: string, headers: Record<string, string>, method = 'GET', body?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve({ status: 413, body: 'reset' }) : reject(e)));
    if (body) req.write(body);
    req.end();
  });
}

describe('rate limits', () => {
  it('the token bucket admits a burst, then refuses until time refills it', () => {
    let t = 0;
    const l = new RateLimiter({ burst: 3, perSecond: 2 }, () => t);
    expect([l.admit('a'), l.admit('a'), l.admit('a'), l.admit('a')]).toEqual([true, true, true, false]);
    expect(l.admit('b')).toBe(true); // per client
    t = 500; // half a second: one request back
    expect([l.admit('a'), l.admit('a')]).toEqual([true, false]);
  });

  it('cinema ui answers 429 once a client exceeds its burst', async () => {
    const r = record([process.execPath, fixture('fib.mjs')]);
    const s: UiServer = await startUiServer(r.dir, { rateLimit: { burst: 5, perSecond: 0.001 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await send(s.port, '/api/session', { 'x-cinema-token': s.token })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const last = await send(s.port, '/api/session', { 'x-cinema-token': s.token });
      expect(JSON.parse(last.body)).toEqual({ error: 'too many requests: slow down' });
    } finally {
      await s.close();
    }
  });
});

describe('cinema mcp --http', () => {
  let root: string;
  let server: HttpMcp;
  let client: Client;
  let outside: string;
  let budget = Infinity;
  beforeAll(async () => {
    root = path.join(tempDir(), '.cinema');
    expect(cinema(['record', '--out', path.join(root, 'inside'), '--', process.execPath, fixture('cart.mjs')]).code).toBe(0);
    outside = record([process.execPath, fixture('fib.mjs')]).dir;
    server = await serveHttp(new Workspace(null, root), 'test', { port: 0, admit: () => budget-- > 0 });
    client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${server.token}` } } }));
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: { text: string }[] };

  it('no path traversal through any parameter that names a recording or a file', async () => {
    const tools = (await client.listTools()).tools;
    const withRecording = tools.filter((t) => 'recording' in ((t.inputSchema.properties ?? {}) as object)).map((t) => t.name);
    expect(withRecording.length).toBeGreaterThan(8);
    const names = ['..', '../..', '/etc', '../../../../etc', outside, path.relative(process.cwd(), outside), `${root}/../x`, 'inside/../../x', '%2e%2e'];
    for (const tool of withRecording) {
      for (const recording of names) {
        const r = await call(tool, { recording, event: 0, object: '1', target: 'x.y', value: 'x', file: '/etc/passwd', line: 1 });
        expect({ tool, recording, error: r.isError }).toEqual({ tool, recording, error: true });
        expect(r.content[0]!.text).not.toMatch(/root:x:0/);
      }
    }
    for (const file of ['/etc/passwd', '../../../../../etc/passwd', 'file:///etc/passwd', `${fixture('cart.mjs')}/../../../package.json`, 'sources/../manifest.json']) {
      const r = await call('read_source', { recording: 'inside', file, line: 1 });
      expect({ file, error: r.isError }).toEqual({ file, error: true });
      expect(r.content[0]!.text).toMatch(/holds no source/);
    }
    // and the real thing still works
    const ok = await call('read_source', { recording: 'inside', file: fixture('cart.mjs'), line: 1 });
    expect(ok.isError).toBeFalsy();
  });

  it('refuses a request body over its limit, and answers 429 past the rate limit', async () => {
    const big = Buffer.alloc(5 << 20, 0x20);
    const r = await send(server.port, '/mcp', { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, 'POST', big);
    expect(r.status).toBe(413);
    budget = 3;
    let last = 0;
    for (let i = 0; i < 10 && last !== 429; i++) last = (await send(server.port, '/mcp', { authorization: `Bearer ${server.token}` })).status;
    expect(last).toBe(429);
  });
});

describe('owner-only files', () => {
  it('recordings, their indexes and source copies are 0700/0600; so is the transform cache', () => {
    const cache = path.join(tempDir(), 'cache');
    const dir = path.join(tempDir(), 'rec');
    const r = cinema(['record', '--out', dir, '--', process.execPath, fixture('cart.mjs')], { env: { ...process.env, EXECUTION_CINEMA_CACHE: cache } });
    expect(r.code).toBe(0);
    expect(cinema(['query', dir, 'slowest']).code).toBe(0); // builds the index
    const entries = fs.readdirSync(dir, { withFileTypes: true, recursive: true });
    expect(entries.some((e) => e.name === 'checksums.json')).toBe(true);
    const modes = entries.map((e) => {
      const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
      return [p, (fs.statSync(p).mode & 0o777).toString(8), e.isDirectory() ? '700' : '600'];
    });
    for (const [p, mode, want] of modes) expect({ p, mode }).toEqual({ p, mode: want });
    expect((fs.statSync(dir).mode & 0o777).toString(8)).toBe('700');
    const cached = fs.readdirSync(cache, { withFileTypes: true, recursive: true });
    expect(cached.some((e) => e.isFile())).toBe(true);
    for (const e of cached) {
      const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
      expect({ p, mode: (fs.statSync(p).mode & 0o777).toString(8) }).toEqual({ p, mode: e.isDirectory() ? '700' : '600' });
    }
  });
});
