/**
 * HTTP in and out, through diagnostics channels only: node:http/https servers and clients, and
 * undici (which global `fetch` is built on). Each phase of an exchange is one HTTP event whose
 * value is an object (layout in src/format/events.ts). Outgoing requests carry a W3C
 * `traceparent` whose parent-id (the "span") names the client's request event, so a recorded
 * server, in this or another recording, can link the request it received to the code that sent it.
 *
 * Trace ids follow the work: a server request keeps the trace id of the traceparent it came with
 * (or starts a trace) and gets a span of its own; it is made the current exchange of its async
 * context (AsyncLocalStorage, entered on the server's start channel), so a request sent while
 * handling it carries the same trace id and records the server span as its `parent`.
 *
 * Secrets never reach the disk: header names matching the redaction pattern (authorization,
 * cookie, set-cookie, api keys, tokens…) are redacted by the value writer, and query-string
 * parameters whose names match are replaced here, as is a password in the URL's user info.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { ClientRequest, OutgoingMessage } from 'node:http';
import { exchangeContextId } from '../format/events.js';
import { listen } from './channels.js';
import { nameHostObjects, type ObjectTag } from './object-refs.js';
import { CausalWord } from './observed-probes.js';
import type { ThreadProbes } from './thread-probes.js';
import { P } from './primordials.js';

const HTTP = CausalWord.HTTP;
const REDACTED = '[redacted]';

/**
 * Keys of one HTTP phase's value (src/format/events.ts) and, as bits (ValueWriter.fields), the
 * values the recorder made (ids) and the header objects Node made for this phase.
 */
interface Layout {
  keys: readonly string[];
  trusted: number;
  fresh: number;
}
const bits = (keys: string[], names: string[]): number => names.reduce((m, k) => (keys.includes(k) ? m | (1 << keys.indexOf(k)) : m), 0);
const layout = (keys: string[]): Layout => ({ keys, trusted: bits(keys, ['trace', 'span']), fresh: bits(keys, ['headers']) });
const CLIENT_REQUEST = layout(['phase', 'dir', 'id', 'api', 'method', 'url', 'headers', 'traceparent', 'trace', 'span', 'parent']);
const SERVER_REQUEST = layout(['phase', 'dir', 'id', 'api', 'method', 'url', 'headers', 'traceparent', 'trace', 'span']);
const CLIENT_RESPONSE = layout(['phase', 'dir', 'id', 'api', 'status', 'headers', 'ms']);
const SERVER_RESPONSE = layout(['phase', 'dir', 'id', 'api', 'status', 'headers', 'route', 'ms']);
const FAILURE = layout(['phase', 'dir', 'id', 'api', 'error', 'ms']);

type Headers = Record<string, unknown>;

/** Light causality's async id of an exchange (format/events.ts); the `none` exchange (-1) gives 0, no context. */
const contextId = (x: { id: number }): number => exchangeContextId(x.id);
interface Exchange {
  id: number;
  start: number;
  /** This side's span id (16 hex digits) and its trace id (32). */
  span: string;
  trace: string;
  /** A server exchange's route, where the framework names it on a channel (Fastify). */
  route: string | undefined;
}

/** The trace id of a W3C traceparent (`00-<trace>-<parent>-<flags>`), or ''. */
function traceOf(tp: unknown): string {
  return typeof tp === 'string' && tp.length >= 55 && tp[2] === '-' && tp[35] === '-' ? hex(tp.slice(3, 35).toLowerCase()) : '';
}

/** Only hex digits pass: trace and span ids are written without the secret scan. */
const HEX = /^[0-9a-f]+$/;
const hex = (s: string): string => (P.RegExpExec(HEX, s) !== null ? s : '');

/** Replaces the values of secret-looking query parameters and a password in user info. */
const AUTH = /^([a-z][a-z0-9+.-]*:\/\/[^/@:?#]*):[^/@?#]*@/i;

export function redactUrl(url: string, secret: RegExp): string {
  let out = url;
  // A path (what a server sees) has no user info.
  if (url.charCodeAt(0) !== 47 && AUTH.test(out)) out = out.replace(AUTH, `$1:${REDACTED}@`);
  const q = out.indexOf('?');
  if (q < 0) return out;
  const hash = out.indexOf('#', q);
  const query = out.slice(q + 1, hash < 0 ? undefined : hash);
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    let key = rawKey;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      // keep the raw key
    }
    secret.lastIndex = 0;
    return eq >= 0 && secret.test(key) ? `${rawKey}=${REDACTED}` : pair;
  });
  return `${out.slice(0, q + 1)}${parts.join('&')}${hash < 0 ? '' : out.slice(hash)}`;
}

/** The parent-id of a W3C traceparent (16 hex digits), or ''. */
function spanOf(tp: unknown): string {
  return typeof tp === 'string' && tp.length >= 52 && tp[35] === '-' ? hex(tp.slice(36, 52).toLowerCase()) : '';
}

/** Header lists as undici keeps them (flat [name, value, …] of strings or Buffers, or "a: b\r\n" text) as an object. */
function headerObject(raw: unknown): Headers {
  const h: Headers = {};
  if (typeof raw === 'string') {
    for (const line of raw.split('\r\n')) {
      const c = line.indexOf(':');
      if (c > 0) h[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
    }
  } else if (P.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const k = String(raw[i]).toLowerCase();
      const v = raw[i + 1];
      h[k] = P.isArray(v) ? v.map(String).join(', ') : String(v);
    }
  }
  return h;
}

/** An own data property, read without running getters. */
function own(o: unknown, key: string): unknown {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function') || P.isProxy(o)) return undefined;
  const d = P.getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
}

/**
 * `light` (light causality, no async_hooks): each incoming request is also an async context of
 * its own (ASYNC_INIT 'HTTPREQUEST' with the exchange id), and the probes follow the exchange the
 * AsyncLocalStorage carries, so the handler's events, and callbacks it schedules, are bracketed
 * by that context.
 */
export function captureHttp(probes: ThreadProbes, secret: RegExp, light = false): void {
  // Each phase is written straight from its values: no object per event, ids not scanned for secrets.
  const record = (l: Layout, values: unknown[]): void => probes.causalFields(HTTP, l.keys, values, l.trusted, l.fresh);
  // Ids: a random per-process prefix and a counter (unique without a random draw per request).
  const tracePrefix = randomBytes(12).toString('hex');
  const spanPrefix = randomBytes(4).toString('hex');
  let nextId = 1;
  // Read and written through our own copies of WeakMap's methods: the namer below runs inside the
  // value writer, where a program's replacement of WeakMap.prototype.get would run its code (and
  // its probes) in the middle of a record.
  const exchanges = new WeakMap<object, Exchange>();
  /** The server exchange whose handling is running now. */
  const current = new AsyncLocalStorage<Exchange>();
  const getHeaders = OutgoingMessage.prototype.getHeaders;
  const getHeader = OutgoingMessage.prototype.getHeader;
  const setHeader = OutgoingMessage.prototype.setHeader;
  const now = () => performance.now();
  const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  /** A new exchange; `span` given: the client span a received traceparent named. */
  const begin = (o: object, trace: string, span = ''): Exchange => {
    const id = nextId++;
    const h = hex8(id);
    const x: Exchange = { id, start: now(), span: span || `${spanPrefix}${h}`, trace: trace || `${tracePrefix}${h}`, route: undefined };
    P.WeakMapSet(exchanges, o, x);
    return x;
  };
  const ms = (x: Exchange) => Math.round((now() - x.start) * 1000) / 1000;
  const url = (u: string) => redactUrl(u, secret);

  // node:http / https client. The traceparent goes in before the headers are written: on the
  // `created` channel where Node has it, else when the request renders its headers (Node 20 has
  // no channel that early, so ClientRequest#_implicitHeader is wrapped, and does nothing where
  // the channel already did the work).
  const inject = (req: import('node:http').ClientRequest): Exchange => {
    let x = P.WeakMapGet(exchanges, req);
    if (x) return x;
    const given = P.apply(getHeader, req, ['traceparent']) as unknown;
    x = given === undefined ? begin(req, current.getStore()?.trace ?? '') : begin(req, traceOf(given), spanOf(given));
    // Light: the request is sent later, outside the caller's activation: an init here keeps its cause.
    if (light) probes.asyncInit(contextId(x), 'HTTPCLIENTREQUEST', 0);
    if (given === undefined && !req.headersSent) P.apply(setHeader, req, ['traceparent', `00-${x.trace}-${x.span}-01`]);
    return x;
  };
  listen('httpClientCreated', (m) => {
    try {
      inject((m as { request: import('node:http').ClientRequest }).request);
    } catch {
      // never break the program's request
    }
  });
  const crProto = ClientRequest.prototype as unknown as { _implicitHeader?: (...a: unknown[]) => unknown };
  const implicit = crProto._implicitHeader;
  if (typeof implicit === 'function') {
    crProto._implicitHeader = function _implicitHeader(this: import('node:http').ClientRequest, ...a: unknown[]) {
      try {
        inject(this);
      } catch {
        // never break the program's request
      }
      return P.apply(implicit, this, a);
    };
  }
  listen('httpClientStart', (m) => {
    const req = (m as { request: import('node:http').ClientRequest }).request;
    try {
      const x = P.WeakMapGet(exchanges, req) ?? begin(req, current.getStore()?.trace ?? '');
      const traceparent = P.apply(getHeader, req, ['traceparent']) as unknown;
      const host = (P.apply(getHeader, req, ['host']) as string | undefined) ?? own(req, 'host');
      const protocol = (own(req, 'protocol') as string | undefined) ?? 'http:';
      if (light) probes.asyncBefore(contextId(x));
      record(CLIENT_REQUEST, ['request', 'out', x.id, 'http', own(req, 'method'), url(`${protocol}//${String(host)}${String(own(req, 'path') ?? '/')}`), P.apply(getHeaders, req, []), traceparent, x.trace, x.span, current.getStore()?.span]);
      if (light) probes.asyncAfter(contextId(x));
    } catch {
      // never break the program's request
    }
  });
  listen('httpClientFinish', (m) => {
    const { request, response } = m as { request: object; response: import('node:http').IncomingMessage };
    const x = P.WeakMapGet(exchanges, request);
    record(CLIENT_RESPONSE, ['response', 'out', x?.id ?? 0, 'http', response.statusCode, response.headers, x ? ms(x) : undefined]);
  });
  listen('httpClientError', (m) => {
    const { request, error } = m as { request: object; error: unknown };
    const x = P.WeakMapGet(exchanges, request);
    record(FAILURE, ['error', 'out', x?.id ?? 0, 'http', error, x ? ms(x) : undefined]);
  });

  // node:http / https server.
  listen('httpServerStart', (m) => {
    const req = (m as { request: import('node:http').IncomingMessage }).request;
    const headers = req.headers;
    const tp = typeof headers.traceparent === 'string' ? headers.traceparent : undefined;
    const x = begin(req, traceOf(tp));
    record(SERVER_REQUEST, ['request', 'in', x.id, 'http', req.method, url(req.url ?? ''), headers, tp, x.trace, x.span]);
    // Written before the context is entered: the request event and the init are in the caller's context.
    if (light) probes.asyncInit(contextId(x), 'HTTPREQUEST', 0);
    current.enterWith(x);
  });
  listen('httpServerFinish', (m) => {
    const { request, response } = m as { request: object; response: import('node:http').ServerResponse };
    const x = P.WeakMapGet(exchanges, request);
    record(SERVER_RESPONSE, ['response', 'in', x?.id ?? 0, 'http', response.statusCode, P.apply(getHeaders, response, []), routeOf(request, x), x ? ms(x) : undefined]);
  });

  // undici and global fetch.
  listen('undiciCreate', (m) => {
    const req = (m as { request: { origin?: unknown; path?: string; method?: string; headers?: unknown; addHeader?: (k: string, v: string) => void } }).request;
    try {
      const headers = headerObject(req.headers);
      const given = headers.traceparent;
      const parent = current.getStore();
      const x = given === undefined ? begin(req, parent?.trace ?? '') : begin(req, traceOf(given), spanOf(given));
      let traceparent = given;
      if (given === undefined && typeof req.addHeader === 'function') {
        const tp = `00-${x.trace}-${x.span}-01`;
        req.addHeader('traceparent', tp);
        traceparent = tp;
      }
      record(CLIENT_REQUEST, ['request', 'out', x.id, 'undici', req.method, url(`${String(req.origin ?? '')}${req.path ?? ''}`), headers, traceparent, x.trace, x.span, parent?.span]);
    } catch {
      // never break the program's request
    }
  });
  listen('undiciHeaders', (m) => {
    const { request, response } = m as { request: object; response: { statusCode: number; headers: unknown } };
    const x = P.WeakMapGet(exchanges, request);
    record(CLIENT_RESPONSE, ['response', 'out', x?.id ?? 0, 'undici', response.statusCode, headerObject(response.headers), x ? ms(x) : undefined]);
  });
  listen('undiciError', (m) => {
    const { request, error } = m as { request: object; error: unknown };
    const x = P.WeakMapGet(exchanges, request);
    record(FAILURE, ['error', 'out', x?.id ?? 0, 'undici', error, x ? ms(x) : undefined]);
  });

  // Fastify names its routes on its handler's tracing channel.
  listen('fastifyHandlerStart', (m) => {
    // The channel's store carries the route as data (`route.url`): no Fastify getter runs.
    const raw = own(own(m, 'request'), 'raw');
    const r = own(own(m, 'route'), 'url');
    const x = raw && typeof raw === 'object' && typeof r === 'string' ? P.WeakMapGet(exchanges, raw) : undefined;
    if (x !== undefined) x.route = r as string;
  });

  // Requests and responses are named by their exchange ("request #7") only when a value shows one;
  // Fastify's Request and Reply by the Node objects they wrap (`raw`).
  const nameOf = (o: unknown): ObjectTag | undefined => {
    if (o === null || typeof o !== 'object') return undefined;
    const x = P.WeakMapGet(exchanges, o);
    if (x !== undefined) return { label: 'request', id: x.id };
    const req = own(o, 'req');
    const y = req !== null && typeof req === 'object' ? P.WeakMapGet(exchanges, req) : undefined;
    return y && { label: 'response', id: y.id };
  };
  nameHostObjects((o) => nameOf(o) ?? nameOf(own(o, 'raw')));

  if (light) {
    const none = { id: -1 } as Exchange;
    probes.followContext(() => contextId(current.getStore() ?? none));
  }

  /** The route the server matched: Fastify's on the exchange, else Express's req.route.path under req.baseUrl (own data properties only). */
  function routeOf(req: object, x: Exchange | undefined): string | undefined {
    if (x?.route !== undefined) return x.route;
    const path = own(own(req, 'route'), 'path');
    if (typeof path !== 'string') return undefined;
    const base = own(req, 'baseUrl');
    return `${typeof base === 'string' ? base : ''}${path}`;
  }
}
