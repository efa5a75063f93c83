import http from 'node:http';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiServer, type UiServer } from '../../src/server/server.js';
import type { CausesResponse, ErrorsResponse, FlameResponse, LastWriteResponse, LodResponse, MomentResponse, SearchResponse, SessionInfo, StateResponse, StepResponse } from '../../src/server/api.js';
import { cinemaBin, fixture, record } from '../helpers.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path is sent as written, and Host/Origin can be anything. */
function request(s: UiServer, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: s.port, path, method, headers: { host: `127.0.0.1:${s.port}`, ...headers } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('cinema ui server: security', () => {
  let s: UiServer;
  const auth = () => ({ 'x-cinema-token': s.token });
  beforeAll(async () => {
    const r = record(['node', fixture('cart.mjs')]);
    expect(r.code).toBe(0);
    s = await startUiServer(r.dir);
  });
  afterAll(() => s?.close());

  it('binds 127.0.0.1 and prints a URL with a long random token', () => {
    expect(s.host).toBe('127.0.0.1');
    expect(s.openUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/\\?token=[0-9a-f]{64}$`));
  });

  it('refuses API requests without the token or with a wrong one', async () => {
    expect((await request(s, '/api/session')).status).toBe(401);
    expect((await request(s, '/api/session', { 'x-cinema-token': 'x'.repeat(64) })).status).toBe(401);
    expect((await request(s, '/api/session', { cookie: `cinema_token=${s.token.slice(0, -1)}${s.token.endsWith('0') ? '1' : '0'}` })).status).toBe(401);
    expect((await request(s, '/')).status).toBe(401);
    expect((await request(s, '/?token=nope')).status).toBe(401);
    expect((await request(s, '/api/session', auth())).status).toBe(200);
  });

  it('trades the URL token for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const r = await request(s, `/?token=${s.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain(`cinema_token=${s.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await request(s, '/', { cookie: `cinema_token=${s.token}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Execution Cinema');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    expect((await request(s, '/api/session', { ...auth(), host: `evil.example:${s.port}` })).status).toBe(403);
    expect((await request(s, '/api/session', { ...auth(), host: `127.0.0.1:${s.port + 1}` })).status).toBe(403);
    expect((await request(s, '/api/session', { ...auth(), origin: 'http://evil.example' })).status).toBe(403);
    expect((await request(s, '/api/session', { ...auth(), origin: `http://localhost:${s.port + 1}` })).status).toBe(403);
    expect((await request(s, '/api/session', { ...auth(), 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await request(s, '/api/session', { ...auth(), origin: `http://127.0.0.1:${s.port}` })).status).toBe(200);
    expect((await request(s, '/api/session', { ...auth(), host: `localhost:${s.port}` })).status).toBe(200);
  });

  it('refuses path traversal through the static path and the source parameters', async () => {
    for (const p of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json', '/..%5c..%5cpackage.json', '/%00index.html', '/assets/%2e%2e/%2e%2e/%2e%2e/package.json', '/assets/..%2F..%2F..%2Fpackage.json']) {
      const r = await request(s, p, auth());
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain('"name": "execution-cinema"');
      expect(r.body).not.toContain('root:');
    }
    const pid = (JSON.parse((await request(s, '/api/session', auth())).body) as SessionInfo).processes[0]!.pid;
    for (const f of ['/etc/passwd', '../../../../etc/passwd', `${fixture('cart.mjs')}/../../../package.json`, fixture('fib.mjs')]) {
      const r = await request(s, `/api/source?pid=${pid}&file=${encodeURIComponent(f)}`, auth());
      expect(r.status, f).toBe(404);
    }
    const ok = await request(s, `/api/source?pid=${pid}&file=${encodeURIComponent(fixture('cart.mjs'))}`, auth());
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).text).toContain('class Cart');
  });

  it('only GET and HEAD, no bodies, bounded URLs, validated parameters', async () => {
    expect((await request(s, '/api/session', auth(), 'POST', '{}')).status).toBe(405);
    expect((await request(s, '/api/session', { ...auth(), 'content-length': '5' }, 'GET', 'hello')).status).toBe(413);
    expect((await request(s, `/api/search?q=${'a'.repeat(5000)}`, auth())).status).toBe(414);
    expect((await request(s, '/api/event?id=-1', auth())).status).toBe(400);
    expect((await request(s, '/api/event?id=1e3', auth())).status).toBe(400);
    expect((await request(s, '/api/event?id=99999999', auth())).status).toBe(404);
    expect((await request(s, '/api/lod?from=0&to=10&px=100000', auth())).status).toBe(400);
    expect((await request(s, '/api/state?obj=abc&at=0', auth())).status).toBe(404);
    expect((await request(s, '/api/nope', auth())).status).toBe(404);
  });

  it('warns when told to listen beyond loopback', async () => {
    const child = spawn(process.execPath, [cinemaBin, 'ui', '--host', '0.0.0.0', '--no-open', s.model.rec.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no URL printed: ${out} ${err}`)), 30_000);
        child.stdout.on('data', () => out.includes('token=') && (clearTimeout(t), resolve()));
      });
    } finally {
      child.kill('SIGINT');
    }
    expect(err).toContain('warning: listening on 0.0.0.0');
    expect(out).toMatch(/http:\/\/0\.0\.0\.0:\d+\/\?token=[0-9a-f]{64}/);
    await new Promise((r) => child.once('exit', r));
  });
});

describe('cinema ui server: the API over a recorded cart', () => {
  let s: UiServer;
  const get = async <T>(path: string): Promise<T> => {
    const r = await request(s, path, { 'x-cinema-token': s.token });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.body}`);
    return JSON.parse(r.body) as T;
  };
  let session: SessionInfo;
  let cartSpec: string;
  let writes: LastWriteResponse['history'];
  beforeAll(async () => {
    const r = record(['node', fixture('cart.mjs')]);
    expect(r.code).toBe(0);
    s = await startUiServer(r.dir);
    session = await get<SessionInfo>('/api/session');
    // The first write of the run is `this.owner = owner` on the cart.
    const first = (await get<SearchResponse>('/api/search?q=constructor')).functions[0]!;
    let m = await get<MomentResponse>(`/api/event?id=${first.first}`);
    while (m.event.kind !== 'write') m = await get<MomentResponse>(`/api/event?id=${m.next}`);
    cartSpec = m.objects.find((o) => o.label === 'this')!.spec;
    writes = (await get<LastWriteResponse>(`/api/lastwrite?obj=${cartSpec}&key=total&at=${session.events - 1}`)).history;
  });
  afterAll(() => s?.close());

  it('session: one lane, all events, a time range', () => {
    expect(session.lanes).toHaveLength(1);
    expect(session.lanes[0]!.events).toBe(session.events);
    expect(session.endUs).toBeGreaterThan(session.startUs);
  });

  it('LOD buckets count every event once, at any width', async () => {
    for (const px of [1, 7, 300]) {
      const lod = await get<LodResponse>(`/api/lod?from=${session.startUs - 1}&to=${session.endUs + 1}&px=${px}`);
      expect(lod.lanes[0]!.counts).toHaveLength(px);
      expect(Math.round(lod.lanes[0]!.counts.reduce((a, b) => a + b, 0))).toBe(session.events);
    }
  });

  it('flame spans on the event axis: every call, nested', async () => {
    const f = await get<FlameResponse>(`/api/flame?lane=0&from=0&to=${session.events}&px=2000&axis=events`);
    const names = f.spans.map((sp) => f.names[sp[3]]);
    expect(names.filter((n) => n === 'Cart.add')).toHaveLength(2);
    const add = f.spans.find((sp) => f.names[sp[3]] === 'Cart.add' && sp[2] === 1)!;
    const parent = f.spans.find((sp) => sp[2] === 0 && sp[0] <= add[0] && sp[1] >= add[1])!;
    expect(f.names[parent[3]]).toBe('handleRequest');
  });

  it('history of cart.total: 0, 30, 50, 40, 36', () => {
    expect(writes.filter((w) => w.op === 'write').map((w) => w.value)).toEqual([0, 30, 50, 40, 36]);
  });

  it('steps into, over and out, forwards and backwards, around the write of total = 50', async () => {
    const w50 = writes.find((w) => w.value === 50)!.id;
    const m = await get<MomentResponse>(`/api/event?id=${w50}`);
    expect(m.frames.map((f) => f.name)).toEqual(['Cart.add', 'handleRequest']);
    const step = async (how: string, back: boolean, from = w50) => (await get<StepResponse>(`/api/step?id=${from}&how=${how}&back=${back ? 1 : 0}`)).to;
    const at = async (id: number) => (await get<MomentResponse>(`/api/event?id=${id}`)).event;
    expect(await step('into', false)).toBe(m.next);
    expect(await step('into', true)).toBe(m.prev);
    // Out: to Cart.add's return; back out: to Cart.add's call (with its arguments).
    const out = await at(await step('out', false));
    expect([out.kind, out.name]).toEqual(['return', 'Cart.add']);
    const backOut = await at(await step('out', true));
    expect([backOut.kind, backOut.name, backOut.value]).toEqual(['call', 'Cart.add', { type: 'list', items: ['pen', 20] }]);
    // Over from the call of handleRequest skips Cart.add entirely; back over from after it returns to before it.
    const call = (await at(backOut.id)).id;
    const handle = (await get<MomentResponse>(`/api/event?id=${call}`)).frames[1]!.call;
    const over = await at(await step('over', false, handle));
    expect(over.name).toBe('handleRequest');
    expect(over.kind).toBe('return');
    expect(await step('over', true, over.id)).toBe(handle);
    // Out of the outermost frame's exit: nowhere.
    expect(await step('out', false, over.id)).toBe(-1);
  });

  it('state at a moment: the cart with total 50, what changed since 30, and who wrote each key', async () => {
    const w30 = writes.find((w) => w.value === 30)!.id;
    const w50 = writes.find((w) => w.value === 50)!.id;
    const st = await get<StateResponse>(`/api/state?obj=${cartSpec}&at=${w50}&prev=${w30}`);
    const entries = new Map((st.state as { entries: [string, unknown][] }).entries);
    expect(entries.get('total')).toBe(50);
    expect(entries.get('owner')).toBe('ada');
    expect(st.changed.find((c) => c.key === 'total')?.before).toBe(30);
    expect(st.writers.total).toBe(w50);
    const lw = await get<LastWriteResponse>(`/api/lastwrite?obj=${cartSpec}&key=total&at=${w50 + 1}`);
    expect(lw.write).toBe(w50);
  });

  it('causes of the write through a request: Cart.add, called by handleRequest', async () => {
    const w50 = writes.find((w) => w.value === 50)!.id;
    const c = await get<CausesResponse>(`/api/causes?id=${w50}`);
    const label = (id: number) => c.nodes.find((n) => n.id === id)!.label;
    expect(c.edges.map((e) => [e.kind, label(e.from), label(e.to).split(' ')[0]])).toEqual([
      ['event', 'Cart.add', 'write'],
      ['call', 'handleRequest', 'Cart.add'],
    ]);
  });

  it('search finds functions and values', async () => {
    const r = await get<SearchResponse>('/api/search?q=pen');
    expect(r.values.some((v) => v.event.name === 'handleRequest' && v.path === 'args[0].item')).toBe(true);
    const f = await get<SearchResponse>('/api/search?q=cart.ad');
    expect(f.functions.map((x) => x.name)).toEqual(['Cart.add']);
  });

  it('errors of a recording that throws', async () => {
    const r = record(['node', fixture('throws.mjs')]);
    const t = await startUiServer(r.dir);
    try {
      const res = await request(t, '/api/errors', { 'x-cinema-token': t.token });
      const { errors } = JSON.parse(res.body) as ErrorsResponse;
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]!.message).toMatch(/Error/);
    } finally {
      await t.close();
    }
  });
});
