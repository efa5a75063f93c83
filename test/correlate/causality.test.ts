import { beforeAll, describe, expect, it } from 'vitest';
import { cinema, fixture, tempDir } from '../helpers.js';
import path from 'node:path';

type Ev = { id: number; pid: number; thread: number; kind: string; name?: string; value?: any };

// The library from dist/ (built by `npm test`).
const lib = async () => {
  const { Recording } = await import('../../dist/recording/recording.js');
  const { EventIndex } = await import('../../dist/query/index/event-index.js');
  const causality = await import('../../dist/query/causality.js');
  return { Recording, EventIndex, ...causality };
};

/** `mode` '1': full causality (async_hooks); 'light': one async context per incoming HTTP request. */
function recordWithCausality(file: string, mode = '1'): { dir: string; stdout: string; code: number | null } {
  const dir = path.join(tempDir(), 'rec');
  const r = cinema(['record', '--out', dir, '--', process.execPath, fixture(`correlate/${file}`)], { env: { ...process.env, EXECUTION_CINEMA_CAUSALITY: mode } });
  return { dir, stdout: r.stdout, code: r.code };
}

const fields = (e: Ev): Record<string, any> => Object.fromEntries((e.value?.entries ?? []) as [string, any][]);
const items = (e: Ev): any[] => e.value?.items ?? [];
/** A compact label of an event for comparing causal chains. */
const label = (e: Ev): string => {
  if (e.kind === 'call' || e.kind === 'resume' || e.kind === 'suspend') return `${e.kind}:${e.name}`;
  if (e.kind === 'send' || e.kind === 'receive') return `${e.kind}:${items(e)[0]}`;
  if (e.kind === 'http') return `http:${fields(e).dir}:${fields(e).phase}`;
  if (e.kind === 'async-init') return `init:${items(e)[0]}`;
  return e.kind;
};

describe('causal parents in one process, its worker and its child', () => {
  let idx: any;
  let L: Awaited<ReturnType<typeof lib>>;
  let events: Ev[];
  const calls = (name: string) => events.filter((e) => e.kind === 'call' && e.name === name);
  const chain = (e: Ev, n = 12): string[] => L.causalAncestors(idx, e.id, n).map(label);

  beforeAll(async () => {
    L = await lib();
    const r = recordWithCausality('causes.mjs');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('outer inner1inner2inner3\nworker 42\nchild 42\n');
    idx = L.EventIndex.open(L.Recording.open(r.dir));
    events = Array.from({ length: idx.rows }, (_, i) => idx.event(i));
  });

  it('a timer callback is caused by the timer its scheduler created', () => {
    const [onTimer] = calls('onTimer');
    expect(chain(onTimer!, 3)).toEqual(['async-before', 'init:Timeout', 'call:scheduleTimer']);
  });

  it('after an await the frame resumes from its suspend; await chains and Promise.all lead back to outer', () => {
    const leafs = calls('leaf').filter((e) => /^inner/.test(items(e)[0]));
    expect(leafs.map((e) => items(e)[0])).toEqual(['inner1', 'inner2', 'inner3']);
    for (const l of leafs) {
      const c = chain(l, 20);
      expect(c.slice(0, 4)).toEqual(['resume:inner', 'suspend:inner', 'call:inner', c[3]]);
      expect(c).toContain('call:outer');
    }
    // inner(2) and inner(3) started after outer resumed from `await inner(1)` (inside Promise.all)
    const [, two, three] = calls('inner');
    expect(chain(two!, 3)).toEqual(['resume:outer', 'suspend:outer', 'call:outer']);
    expect(chain(three!, 3)).toEqual(['resume:outer', 'suspend:outer', 'call:outer']);
  });

  it('an emitter listener is caused by its receive, the receive by the emit', () => {
    const [onPing] = calls('onPing');
    expect(chain(onPing!, 3)).toEqual(['receive:emit', 'send:emit', 'call:emitPing']);
  });

  it('a worker handles the message sendToWorker posted, and its reply reaches onReply', () => {
    const [onMessage] = calls('onMessage');
    expect(onMessage!.thread).not.toBe(0);
    expect(chain(onMessage!, 3)).toEqual(['receive:worker', 'send:worker', 'call:sendToWorker']);
    const [onReply] = calls('onReply');
    expect(chain(onReply!, 4)).toEqual(['receive:worker', 'send:worker', 'call:onMessage', 'receive:worker']);
  });

  it('IPC: the child handles what sendToChild sent, the parent what the child sent back', () => {
    const [onParentMessage] = calls('onParentMessage');
    const [sendToChild] = calls('sendToChild');
    expect(onParentMessage!.pid).not.toBe(sendToChild!.pid);
    expect(chain(onParentMessage!, 3)).toEqual(['receive:ipc', 'send:ipc', 'call:sendToChild']);
    const [onChildMessage] = calls('onChildMessage');
    expect(chain(onChildMessage!, 3)).toEqual(['receive:ipc', 'send:ipc', 'call:onParentMessage']);
  });

  it('descendants of a call include what it caused asynchronously', () => {
    const [scheduleTimer] = calls('scheduleTimer');
    const names = L.causalDescendants(idx, scheduleTimer!.id).map((e: Ev) => label(e));
    expect(names).toContain('call:onTimer');
    const [sendToWorker] = calls('sendToWorker');
    expect(L.causalDescendants(idx, sendToWorker!.id).map((e: Ev) => label(e))).toEqual(expect.arrayContaining(['call:onMessage', 'call:double', 'call:onReply']));
  });

  it('every event in a callback carries its async id', () => {
    const [onTimer] = calls('onTimer');
    const init = L.causalAncestors(idx, onTimer!.id, 2)[1] as Ev & { asyncId: number };
    expect(L.asyncIdOf(idx, onTimer!.id)).toBe(init.asyncId);
    expect(init.asyncId).toBeGreaterThan(0);
  });
});

describe('unhandled rejection', () => {
  it('is linked to the code that created the rejected promise', async () => {
    const L = await lib();
    const r = recordWithCausality('reject.mjs');
    expect(r.code).toBe(1);
    const idx = L.EventIndex.open(L.Recording.open(r.dir));
    const events: Ev[] = Array.from({ length: idx.rows }, (_, i) => idx.event(i));
    const rejection = events.find((e) => e.kind === 'process' && fields(e).what === 'unhandled-rejection')!;
    expect(fields(rejection).reason.message).toBe('nobody handles me');
    expect(L.causalAncestors(idx, rejection.id, 3).map(label)).toEqual(['init:PROMISE', 'call:creator', 'call:main']);
    const error = events.find((e) => e.kind === 'error')!;
    expect(L.causeOf(idx, error.id)).toBe(rejection.id);
  });
});

describe.each([
  ['full', '1'],
  ['light', 'light'],
])('HTTP across three recorded processes, %s causality', (mode, env) => {
  let events: Ev[];
  let idx: any;
  let dir: string;
  let L: Awaited<ReturnType<typeof lib>>;
  beforeAll(async () => {
    L = await lib();
    const r = recordWithCausality('http-chain.mjs', env);
    dir = r.dir;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ from: 'a', viaFetch: { from: 'b' }, viaHttp: { from: 'b' } });
    idx = L.EventIndex.open(L.Recording.open(r.dir));
    events = Array.from({ length: idx.rows }, (_, i) => idx.event(i));
  });

  it('links launcher → A → B end to end (http client and fetch), through traceparent', () => {
    const incoming = events.filter((e) => e.kind === 'http' && fields(e).dir === 'in' && fields(e).phase === 'request');
    expect(incoming).toHaveLength(3);
    const pids = new Set(events.map((e) => e.pid));
    expect(pids.size).toBe(3);
    for (const e of incoming) {
      const up = L.causalAncestors(idx, e.id).filter((a: Ev) => a.kind === 'http' || a.name === 'callA' || a.name === 'handleA');
      const path = up.map((a: Ev) => (a.kind === 'http' ? `${a.pid}:${fields(a).dir}:${fields(a).api}` : `${a.pid}:${a.name}`));
      // the request's sender in another process, and at the root the launcher's callA
      expect(up[0]!.pid).not.toBe(e.pid);
      expect(fields(up[0]!)).toMatchObject({ dir: 'out', phase: 'request' });
      expect(path.at(-1)).toMatch(/:callA$/);
    }
    const b = incoming.filter((e) => String(fields(e).url).startsWith('/b'));
    const apis = b.map((e) => fields(L.causalAncestors(idx, e.id, 1)[0] as Ev).api).sort();
    expect(apis).toEqual(['http', 'undici']);
  });

  it('carries the trace id from each incoming request to the requests sent while handling it', () => {
    const http = events.filter((e) => e.kind === 'http' && fields(e).phase === 'request');
    const root = http.find((e) => fields(e).dir === 'out' && !String(fields(e).url).includes('/b'))!;
    const trace = fields(root).trace as string;
    expect(trace).toMatch(/^[0-9a-f]{32}$/);
    expect(fields(root).parent).toEqual({ type: 'undefined' }); // sent outside any server request: a new trace
    expect(http).toHaveLength(6);
    for (const e of http) expect(fields(e).trace).toBe(trace);
    const inA = http.find((e) => fields(e).dir === 'in' && String(fields(e).url).startsWith('/a'))!;
    const spanA = fields(inA).span as string;
    expect(spanA).toMatch(/^[0-9a-f]{16}$/);
    const outA = http.filter((e) => e.pid === inA.pid && fields(e).dir === 'out');
    expect(outA.map((e) => fields(e).api).sort()).toEqual(['http', 'undici']);
    for (const e of outA) {
      expect(fields(e).parent).toBe(spanA);
      expect(fields(e).traceparent).toBe(`00-${trace}-${fields(e).span}-01`);
    }
    // B's two requests each name the client span that sent them.
    for (const e of http.filter((x) => fields(x).dir === 'in' && String(fields(x).url).startsWith('/b'))) {
      expect(outA.map((o) => fields(o).span)).toContain(String(fields(e).traceparent).split('-')[2]);
      expect(fields(e).span).not.toBe(spanA);
    }
  });

  it('records method, url, status, route-free timings, and redacts secrets in urls and headers', () => {
    const http = events.filter((e) => e.kind === 'http');
    const text = JSON.stringify(http.map((e) => e.value));
    expect(text).not.toMatch(/SECRET/);
    const urls = http.map((e) => fields(e).url).filter(Boolean);
    expect(urls).toEqual(expect.arrayContaining(['/a?password=[redacted]&x=1', '/b?token=[redacted]&q=ok', '/b2?api_key=[redacted]']));
    const out = http.find((e) => fields(e).dir === 'out' && fields(e).phase === 'request' && fields(e).api === 'http')!;
    expect(fields(out).method).toBe('GET');
    expect(fields(out).traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const responses = http.filter((e) => fields(e).phase === 'response');
    expect(responses.length).toBe(6);
    for (const r of responses) {
      expect(fields(r).status).toBe(200);
      expect(typeof fields(r).ms).toBe('number');
      expect(L.causalAncestors(idx, r.id, 1).map(label)[0]).toBe(`http:${fields(r).dir}:request`);
    }
  });

  it.runIf(mode === 'light')('light: each request is one async context holding its handler; no async_hooks, no emit links', () => {
    const inits = events.filter((e) => e.kind === 'async-init');
    const incoming = events.filter((e) => e.kind === 'http' && fields(e).dir === 'in' && fields(e).phase === 'request');
    const outgoing = events.filter((e) => e.kind === 'http' && fields(e).dir === 'out' && fields(e).phase === 'request' && fields(e).api === 'http');
    // One context per incoming request, one per node:http client request (sent after its caller returned).
    expect(inits.map((e) => items(e)[0]).sort()).toEqual([...incoming.map(() => 'HTTPREQUEST'), ...outgoing.map(() => 'HTTPCLIENTREQUEST')].sort());
    expect(events.filter((e) => e.kind === 'send' || e.kind === 'receive').map((e) => items(e)[0])).not.toContain('emit');
    // A's handler and what it sent after its first await lead back to A's incoming request.
    const handle = events.find((e) => e.kind === 'call' && e.name === 'handleA')!;
    const inA = incoming.find((e) => String(fields(e).url).startsWith('/a'))!;
    expect(L.causalAncestors(idx, handle.id, 8).map((a: Ev) => a.id)).toContain(inA.id);
    const getB = events.find((e) => e.kind === 'call' && e.name === 'getB')!;
    expect(L.causalAncestors(idx, getB.id, 12).map((a: Ev) => a.id)).toContain(inA.id);
  });

  it('gives the request A served a timeline lane named by it', async () => {
    const { startUiServer, api } = await import('../../dist/server/server.js');
    const server = await startUiServer(dir, {});
    try {
      const session = api(server.model, 'session', new URLSearchParams()) as { lanes: { kind: string; label: string; events: number }[] };
      const served = session.lanes.find((l) => l.kind === 'async' && l.label.startsWith('GET /a'));
      expect(served?.events).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

describe.each([
  ['full', '1'],
  ['light', 'light'],
])('routes of a Fastify app, %s causality', (_mode, env) => {
  it('names the route the server matched on the response, from the handler channel', async () => {
    const L = await lib();
    const r = recordWithCausality('fastify-route.cjs', env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"id":"42"}\n');
    const idx = L.EventIndex.open(L.Recording.open(r.dir));
    const events: Ev[] = Array.from({ length: idx.rows }, (_, i) => idx.event(i));
    const served = events.filter((e) => e.kind === 'http' && fields(e).dir === 'in' && fields(e).phase === 'response');
    expect(served.map((e) => [fields(e).status, fields(e).route])).toEqual([[200, '/users/:id']]);
  });
});

describe('cinema record --causality-mode', () => {
  it('light from the command line records one context per request and no emit links; a bad mode is one line, exit 2', async () => {
    const L = await lib();
    const dir = path.join(tempDir(), 'rec');
    const env = { ...process.env };
    delete env.EXECUTION_CINEMA_CAUSALITY;
    const r = cinema(['record', '--out', dir, '--causality-mode', 'light', '--', process.execPath, fixture('correlate/fastify-route.cjs')], { env });
    expect(r.code, r.stderr).toBe(0);
    const idx = L.EventIndex.open(L.Recording.open(dir));
    const events: Ev[] = Array.from({ length: idx.rows }, (_, i) => idx.event(i));
    expect(events.filter((e) => e.kind === 'async-init').map((e) => items(e)[0])).toContain('HTTPREQUEST');
    expect(events.some((e) => e.kind === 'send' && items(e)[0] === 'emit')).toBe(false);
    const bad = cinema(['record', '--out', path.join(tempDir(), 'rec'), '--causality-mode', 'medium', '--', process.execPath, '-e', '1']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, "cinema record: --causality-mode must be full or light, not 'medium' (see cinema record --help)"]);
  });
});

describe('redactUrl', () => {
  it('replaces secret query values and user-info passwords, keeps the rest', async () => {
    const { redactUrl } = await import('../../dist/runtime/http-capture.js');
    const re = /pass(word|wd)?|secret|token|authorization|cookie|api[-_]?key|session/i;
    expect(redactUrl('http://u:pw@h/p?token=1&x=2&api-key=3#f', re)).toBe('http://u:[redacted]@h/p?token=[redacted]&x=2&api-key=[redacted]#f');
    expect(redactUrl('/a?x=1&y', re)).toBe('/a?x=1&y');
    expect(redactUrl('/a?%74oken=1', re)).toBe('/a?%74oken=[redacted]');
  });
});

describe('light causality keeps messages and process life', () => {
  it('links worker and IPC messages and records the child and worker spawn and exit, without emit links', async () => {
    const L = await lib();
    const r = recordWithCausality('causes.mjs', 'light');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('outer inner1inner2inner3\nworker 42\nchild 42\n');
    const idx = L.EventIndex.open(L.Recording.open(r.dir));
    const events: Ev[] = Array.from({ length: idx.rows }, (_, i) => idx.event(i));
    const call = (name: string) => events.find((e) => e.kind === 'call' && e.name === name)!;
    const chain = (e: Ev, n: number): string[] => L.causalAncestors(idx, e.id, n).map(label);
    expect(chain(call('onMessage'), 3)).toEqual(['receive:worker', 'send:worker', 'call:sendToWorker']);
    expect(chain(call('onParentMessage'), 3)).toEqual(['receive:ipc', 'send:ipc', 'call:sendToChild']);
    expect(chain(call('onChildMessage'), 3)).toEqual(['receive:ipc', 'send:ipc', 'call:onParentMessage']);
    // No emit links in light mode: the listener's parent is the code that emitted.
    expect(chain(call('onPing'), 1)).toEqual(['call:emitPing']);
    expect(events.some((e) => e.kind === 'send' && items(e)[0] === 'emit')).toBe(false);
    const life = events.filter((e) => e.kind === 'process').map((e) => `${fields(e).what ?? fields(e).event ?? JSON.stringify(e.value)}`);
    expect(life.join('\n')).toMatch(/spawn/);
    expect(life.join('\n')).toMatch(/exit/);
  });
});
