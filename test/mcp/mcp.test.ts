import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp, type HttpMcp } from '../../src/mcp/server.js';
import { Workspace } from '../../src/mcp/workspace.js';
import { cinema, cinemaBin, root, spawn, tempDir } from '../helpers.js';

const bug = (name: string) => path.join(root, 'examples', 'bugs', `${name}.mjs`);
let cwd: string;

beforeAll(() => {
  cwd = tempDir('cinema-mcp-');
  for (const name of ['swallowed', 'uncaught-null']) {
    const r = cinema(['record', '--out', path.join(cwd, '.cinema', name), '--', 'node', bug(name)], { cwd });
    expect(r.stderr).toContain('recorded');
  }
  // the newest first: make uncaught-null the latest
  const later = new Date(Date.now() + 1000);
  fs.utimesSync(path.join(cwd, '.cinema', 'uncaught-null', 'manifest.json'), later, later);
});

type ToolResult = { content: { type: string; text: string }[]; isError?: boolean };
const call = async (c: Client, name: string, args: Record<string, unknown> = {}) => {
  const r = (await c.callTool({ name, arguments: args })) as ToolResult;
  return { ...r, json: r.isError ? undefined : (JSON.parse(r.content[0]!.text) as any) };
};

/** Every tool, as an assistant would use them, with their answers checked. */
async function exercise(c: Client): Promise<void> {
  const tools = (await c.listTools()).tools.map((t) => t.name).sort();
  expect(tools).toEqual(['call_tree', 'causal_chain', 'explain_error', 'find_events', 'insights', 'list_recordings', 'overview', 'read_source', 'search_values', 'slow_calls', 'stack', 'state_at', 'value_history']);

  const list = await call(c, 'list_recordings');
  expect(list.json.recordings.map((r: { name: string }) => r.name).sort()).toEqual(['swallowed', 'uncaught-null']);

  const overview = await call(c, 'overview', { recording: 'uncaught-null' });
  expect(overview.json.recording).toBe('uncaught-null');
  expect(overview.json.byKind.call).toBeGreaterThan(3);
  expect(overview.json.uncaughtErrors).toHaveLength(1);

  const events = await call(c, 'find_events', { recording: 'uncaught-null', kinds: ['write'], limit: 2 });
  expect(events.json.events).toHaveLength(2);
  expect(events.json.more).toBe(true);
  expect(events.json.events[0].link).toBe(`http://127.0.0.1:7373/#rec=uncaught-null&event=${events.json.events[0].id}`);
  const page2 = await call(c, 'find_events', { recording: 'uncaught-null', kinds: ['write'], limit: 2, offset: 2 });
  expect(page2.json.events[0].id).toBeGreaterThan(events.json.events[1].id);

  const greet = (await call(c, 'find_events', { function: 'greeting', kinds: ['call'] })).json.events; // default recording: the latest
  expect(greet).toHaveLength(2);
  const stack = await call(c, 'stack', { event: greet[1].id });
  expect(stack.json.frames.map((f: { name: string }) => f.name)).toEqual(['greeting', 'render']);
  const tree = await call(c, 'call_tree', { event: stack.json.frames[1].call });
  expect(tree.json.name).toBe('render');
  expect(tree.json.children[0].name).toBe('greeting');
  expect(tree.json.children[0].threw).toBe(true);

  const explain = await call(c, 'explain_error');
  expect(explain.json.error.end).toBe('uncaught');
  expect(explain.json.cause.kind).toBe('uncaught-error');
  expect(explain.json.cause.locations[0].line).toBe(14);
  expect(explain.json.cause.eventLinks[0]).toMatch(/#rec=uncaught-null&event=\d+$/);

  const writeOfProfile = explain.json.cause.events[0] as number;
  const userId = (await call(c, 'find_events', { kinds: ['call'], function: 'resetSession' })).json.events[0].value.items[0].id as number;
  const history = await call(c, 'value_history', { target: `${userId}.profile` });
  expect(history.json.writes.map((w: { value: unknown }) => w.value).at(-1)).toBe(null);
  expect(history.json.writes.at(-1).writer.name).toBe('resetSession');
  const state = await call(c, 'state_at', { object: String(userId), event: writeOfProfile });
  expect(state.json.seen).toBe(true);
  expect(state.json.applied.map((w: { key: string }) => w.key)).toContain('profile');

  const chain = await call(c, 'causal_chain', { event: writeOfProfile });
  expect(chain.json.steps.map((s: { relation: string }) => s.relation)).toEqual(['start', 'written in this frame']);
  const resumed = await call(c, 'causal_chain', { event: greet[1].id });
  expect(resumed.json.steps.map((s: { relation: string; event: { name?: string } }) => `${s.relation} ${s.event.name}`)).toEqual(['start greeting', 'called by render']);
  expect(chain.json.steps[1].event.name).toBe('resetSession');

  const slow = await call(c, 'slow_calls', { top: 3 });
  expect(slow.json.length).toBeGreaterThan(0);
  expect(slow.json[0].slowestLink).toContain('#rec=uncaught-null&event=');

  const ins = await call(c, 'insights', { recording: 'swallowed' });
  expect(ins.json.findings.map((f: { kind: string }) => f.kind)).toEqual(['swallowed-error']);

  const src = await call(c, 'read_source', { recording: 'uncaught-null', event: writeOfProfile, context: 1 });
  expect(src.json.lines).toEqual(['   13    user.lastSeen = Date.now();', '   14>   user.profile = null; // BUG: should keep the profile', '   15  }']);

  const found = await call(c, 'search_values', { value: 'Ada' });
  expect(found.json.hits.length).toBeGreaterThan(0);
  expect(found.json.hits[0].event.link).toContain('#rec=uncaught-null&event=');

  // Bad arguments: MCP tool errors, and the server keeps answering.
  for (const [name, args] of [
    ['stack', { event: -1 }],
    ['stack', { event: 'x' }],
    ['stack', {}],
    ['stack', { event: 10_000_000 }],
    ['find_events', { kinds: ['nope'] }],
    ['overview', { recording: 'no-such-recording' }],
    ['overview', { recording: '../../etc' }],
    ['state_at', { object: 'garbage' }],
    ['read_source', { file: '/etc/passwd', line: 1 }],
    ['value_history', { target: '' }],
    ['explain_error', { event: 0 }],
    ['no_such_tool', {}],
  ] as const) {
    const r = await c.callTool({ name, arguments: args }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
    expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
    expect((r as ToolResult).content[0]!.text.length).toBeGreaterThan(3);
  }
  expect((await call(c, 'list_recordings')).json.total).toBe(2);
}

describe('cinema mcp over stdio (the real CLI)', () => {
  it('answers every tool, with links and paging, and survives bad arguments', async () => {
    const client = new Client({ name: 'test', version: '1' });
    const transport = new StdioClientTransport({ command: process.execPath, args: [cinemaBin, 'mcp'], cwd, stderr: 'pipe', env: { ...process.env, CINEMA_LLM_URL: '' } as Record<string, string> });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe('execution-cinema');
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  it('--recording serves one recording; a missing one is a one-line error', () => {
    const r = cinema(['mcp', '--recording', path.join(cwd, 'nothing-here')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(cinema(['mcp', '--help']).stdout).toContain('--http PORT');
  });
});

describe('cinema mcp over Streamable HTTP', () => {
  let server: HttpMcp;
  beforeAll(async () => {
    server = await serveHttp(new Workspace(null, path.join(cwd, '.cinema')), 'test', { port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('binds 127.0.0.1 and answers every tool with the token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${server.token}` } } }));
    try {
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  it('refuses requests without the token, with a wrong token, a foreign Host or Origin', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const post = (headers: Record<string, string>) => rawPost(server.port, headers, JSON.stringify(init));
    const accept = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    expect((await post(accept)).status).toBe(401);
    expect((await post({ ...accept, authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post({ ...accept, authorization: `Bearer ${server.token}`, host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await post({ ...accept, authorization: `Bearer ${server.token}`, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ ...accept, authorization: `Bearer ${server.token}` })).status).toBe(200);
  });

  it('the CLI prints the URL and token and listens on 127.0.0.1', async () => {
    const child = spawn(process.execPath, [cinemaBin, 'mcp', '--http', '0', '--recording', path.join(cwd, '.cinema', 'swallowed')], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout!.on('data', (d: Buffer) => {
          buf += d;
          if (/token \S+/.test(buf)) resolve(buf);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const url = /listening on (\S+)/.exec(out)![1]!;
      const token = /token (\S+)/.exec(out)![1]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const client = new Client({ name: 'test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
      const list = await call(client, 'list_recordings');
      expect(list.json.recordings.map((r: { name: string }) => r.name)).toEqual(['swallowed']);
      await client.close();
    } finally {
      child.kill('SIGTERM');
    }
  });
});

function rawPost(port: number, headers: Record<string, string>, body: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('optional language-model summary', () => {
  it('is off by default: no summarize tool, --summary asks for CINEMA_LLM_URL', () => {
    const env = { ...process.env };
    delete env.CINEMA_LLM_URL;
    const r = cinema(['insights', path.join(cwd, '.cinema', 'swallowed'), '--summary'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CINEMA_LLM_URL');
  });

  it('calls an OpenAI-compatible endpoint on 127.0.0.1 with the findings', async () => {
    const seen: { url?: string; auth?: string; body?: any } = {};
    const fake = http.createServer((req, res) => {
      let b = '';
      req.on('data', (d) => (b += d));
      req.on('end', () => {
        Object.assign(seen, { url: req.url, auth: req.headers.authorization, body: JSON.parse(b) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'The catch in checkout hides the failure.' } }] }));
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
    const port = (fake.address() as { port: number }).port;
    try {
      const env = { ...process.env, CINEMA_LLM_URL: `http://127.0.0.1:${port}/v1`, CINEMA_LLM_KEY: 'k-123', CINEMA_LLM_MODEL: 'local-model' };
      const out = await run([cinemaBin, 'insights', path.join(cwd, '.cinema', 'swallowed'), '--summary', '--json'], env);
      expect(out.code, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout).summary).toBe('The catch in checkout hides the failure.');
      expect(seen.url).toBe('/v1/chat/completions');
      expect(seen.auth).toBe('Bearer k-123');
      expect(seen.body.model).toBe('local-model');
      expect(seen.body.messages.at(-1).content).toContain('swallowed');
    } finally {
      fake.close();
    }
  });
});

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d));
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
