/**
 * `cinema mcp`: an MCP server over stdio or Streamable HTTP whose tools answer questions about
 * recordings (tools.ts). The HTTP transport binds 127.0.0.1, requires the session token as a
 * Bearer header and checks Host and Origin, so other local users' pages cannot reach it.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { registerTools } from './tools.js';
import { registerSummary } from './summary.js';
import { Workspace } from './workspace.js';

export const SERVER_NAME = 'execution-cinema';

export function createMcpServer(ws: Workspace, version: string): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version },
    {
      instructions:
        'Tools over Execution Cinema recordings of Node.js programs. Start with list_recordings and overview, then insights for likely causes; ' +
        'every event has an id (use it with stack, call_tree, causal_chain, read_source) and a link into the web UI.',
    },
  );
  registerTools(server, ws);
  registerSummary(server, ws);
  return server;
}

export async function serveStdio(ws: Workspace, version: string): Promise<void> {
  const server = createMcpServer(ws, version);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  ws.close();
}

export interface HttpMcp {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 4 << 20;

/** Streamable HTTP on 127.0.0.1: one MCP session per `initialize`, token and Host/Origin checked on every request. */
export async function serveHttp(ws: Workspace, version: string, options: { port?: number; token?: string; admit?: (client: string | undefined) => boolean } = {}): Promise<HttpMcp> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let port = options.port ?? 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const fail = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
  };
  const authorized = (req: http.IncomingMessage): boolean => {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(h);
    if (!m) return false;
    const a = Buffer.from(m[1]!);
    const b = Buffer.from(token);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      // The caller's rate limit (cinema mcp passes the servers' own: src/server/limits.ts).
      if (options.admit && !options.admit(req.socket.remoteAddress)) return fail(res, 429, 'too many requests: slow down');
      if (!allowedHosts().includes(req.headers.host ?? '')) return fail(res, 403, 'forbidden host');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().includes(origin)) return fail(res, 403, 'forbidden origin');
      if (!authorized(req)) return fail(res, 401, 'missing or wrong token (send Authorization: Bearer <token>)');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname !== '/mcp') return fail(res, 404, 'not found (the endpoint is /mcp)');
      let body: unknown;
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const c of req) {
          size += (c as Buffer).length;
          if (size > MAX_BODY) return fail(res, 413, 'request too large');
          chunks.push(c as Buffer);
        }
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return fail(res, 400, 'body is not JSON');
        }
      }
      const sid = req.headers['mcp-session-id'];
      let transport = typeof sid === 'string' ? sessions.get(sid) : undefined;
      if (!transport) {
        if (typeof sid === 'string') return fail(res, 404, 'unknown session');
        if (req.method !== 'POST') return fail(res, 400, 'start a session with an initialize request');
        const t: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => crypto.randomUUID(),
          onsessioninitialized: (id) => void sessions.set(id, t),
        });
        t.onclose = () => {
          if (t.sessionId) sessions.delete(t.sessionId);
        };
        await createMcpServer(ws, version).connect(t);
        transport = t;
      }
      await transport.handleRequest(req, res, body);
    })().catch((e: unknown) => {
      if (!res.headersSent) fail(res, 500, (e as Error).message);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    token,
    async close() {
      for (const t of sessions.values()) await t.close().catch(() => {});
      sessions.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      ws.close();
    },
  };
}
