/**
 * The HTTP server behind `cinema ui`: serves the built web app and a read-only JSON API over the
 * recordings of its catalog (src/server/catalog.ts; src/server/api.ts is the contract).
 *
 * Security: binds 127.0.0.1 unless told otherwise; every request needs the per-session token
 * (the URL's `?token=` sets an HttpOnly SameSite=Strict cookie; scripts may send `x-cinema-token`);
 * Host must name this server (DNS rebinding) and Origin, when sent, must be this server; only
 * GET and HEAD, no bodies, bounded URLs and headers; static files only from the app's folder and
 * sources only for files the recording's site tables name.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecordingError } from '../recording/errors.js';
import { Catalog } from './catalog.js';
import { UiError, type UiModel } from './model.js';
import { RateLimiter, type RateLimit } from './limits.js';
import { api } from './routes.js';

export { api };

export interface UiServerOptions {
  port?: number;
  host?: string;
  /** Folder of the built web app (default: ui/dist of the package). */
  appDir?: string;
  /** A fixed token (tests); default: 32 random bytes. */
  token?: string;
  /** More recordings to offer beside the first. */
  recordings?: string[];
  /** A folder whose recordings are offered too (re-read when the list is asked for). */
  root?: string;
  /** Run the insight detectors for the timeline's markers (default true). */
  insights?: boolean;
  /** Requests per client (default: limits.ts). */
  rateLimit?: RateLimit;
}

export interface UiServer {
  url: string;
  /** The URL with the token: what to open. */
  openUrl: string;
  token: string;
  port: number;
  host: string;
  /** The model of the recording the server was started on. */
  model: UiModel;
  catalog: Catalog;
  close(): Promise<void>;
}

const MAX_URL = 4096;
const COOKIE = 'cinema_token';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export const defaultAppDir = (): string => fileURLToPath(new URL('../../ui/dist', import.meta.url));

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | null {
  const raw = req.headers.cookie;
  if (!raw) return null;
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

/** Opens the recording (building its index when needed) and starts serving it. */
export async function startUiServer(recDir: string, options: UiServerOptions = {}): Promise<UiServer> {
  const catalog = new Catalog(recDir, options.recordings, options.root);
  const model = catalog.model(null);
  if (options.insights === false) model.insights = false;
  const token = options.token ?? crypto.randomBytes(32).toString('hex');
  const host = options.host ?? '127.0.0.1';
  const appDir = path.resolve(options.appDir ?? defaultAppDir());
  let port = 0;

  const allowedHosts = (): Set<string> => {
    const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
    names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
    return new Set([...names].map((n) => `${n}:${port}`));
  };

  const send = (res: http.ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      'cache-control': 'no-store',
      ...extra,
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };
  const json = (res: http.ServerResponse, status: number, data: unknown) => send(res, status, JSON.stringify(data), 'application/json; charset=utf-8');
  const refuse = (res: http.ServerResponse, status: number, error: string) => json(res, status, { error });

  const limiter = new RateLimiter(options.rateLimit);
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const rawUrl = req.url ?? '/';
    if (!limiter.admit(req.socket.remoteAddress)) return refuse(res, 429, 'too many requests: slow down');
    if (rawUrl.length > MAX_URL) return refuse(res, 414, 'URL too long');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET and HEAD');
    const len = Number(req.headers['content-length'] ?? 0);
    if (len > 0 || req.headers['transfer-encoding'] !== undefined) return refuse(res, 413, 'requests have no body');
    // DNS rebinding: the Host must name this server; a browser's Origin must be this server.
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts().has(hostHeader)) return refuse(res, 403, 'bad Host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//i, '').toLowerCase())) return refuse(res, 403, 'bad Origin');
    if (req.headers['sec-fetch-site'] === 'cross-site') return refuse(res, 403, 'cross-site request');
    let url: URL;
    try {
      url = new URL(rawUrl, `http://${hostHeader}`);
    } catch {
      return refuse(res, 400, 'bad URL');
    }
    const given = url.searchParams.get('token');
    if (given !== null && url.pathname === '/') {
      if (!safeEqual(given, token)) return refuse(res, 401, 'wrong token: open the URL cinema ui printed');
      // Trade the URL's token for a cookie and drop it from the address bar (and from history).
      const rest = new URLSearchParams(url.searchParams);
      rest.delete('token');
      const q = rest.toString();
      return send(res, 303, '', 'text/plain', { location: `/${q ? `?${q}` : ''}${url.hash}`, 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` });
    }
    const presented = (req.headers['x-cinema-token'] as string | undefined) ?? cookieToken(req);
    if (presented === null || !safeEqual(presented, token)) {
      if (url.pathname.startsWith('/api/')) return refuse(res, 401, 'missing or wrong token');
      return send(res, 401, '<!doctype html><title>Execution Cinema</title><p>Open the URL that <code>cinema ui</code> printed (it carries this session\'s token).</p>', 'text/html; charset=utf-8');
    }
    if (url.pathname.startsWith('/api/')) {
      try {
        const route = url.pathname.slice(5);
        if (route === 'recordings') return json(res, 200, catalog.list());
        const rec = url.searchParams.get('rec');
        if (rec !== null && (rec.length > 255 || rec.includes('/') || rec.includes('\\'))) throw new UiError('bad recording name');
        return json(res, 200, api(catalog.model(rec === '' ? null : rec), route, url.searchParams));
      } catch (e) {
        if (e instanceof UiError) return refuse(res, e.status, e.message);
        if (e instanceof RecordingError || e instanceof RangeError) return refuse(res, 400, e.message);
        return refuse(res, 500, (e as Error).message);
      }
    }
    return serveStatic(res, url.pathname);
  };

  const serveStatic = (res: http.ServerResponse, pathname: string) => {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return refuse(res, 400, 'bad path');
    }
    if (rel.includes('\0') || rel.includes('\\') || rel.split('/').includes('..')) return refuse(res, 400, 'bad path');
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(appDir, '.' + rel);
    if (!file.startsWith(appDir + path.sep)) return refuse(res, 400, 'bad path');
    let body: Buffer;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      body = fs.readFileSync(file);
    } catch {
      if (rel === '/index.html') return send(res, 500, 'the web app is not built: run npm run build', 'text/plain; charset=utf-8');
      return refuse(res, 404, 'not found');
    }
    send(res, 200, body, types[path.extname(file)] ?? 'application/octet-stream', rel.startsWith('/assets/') ? { 'cache-control': 'private, max-age=31536000, immutable' } : {});
  };

  const server = http.createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000 }, handle);
  server.on('clientError', (_e, socket) => socket.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    catalog.close();
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  const base = `http://${shown}:${port}/`;
  return {
    url: base,
    openUrl: `${base}?token=${token}`,
    token,
    port,
    host,
    model,
    catalog,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          catalog.close();
          resolve();
        });
      }),
  };
}
