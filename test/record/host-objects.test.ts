import { describe, expect, it } from 'vitest';
import { fixture, record } from '../helpers.js';
import { Recording } from '../../src/recording/recording.js';
import { listEvents } from '../../src/query/events.js';
import type { Value } from '../../src/recording/value-reader.js';

interface Ev {
  kind: string;
  name: string;
  value?: Value;
}

const items = (e: Ev | undefined): Value[] => (e?.value && typeof e.value === 'object' && e.value.type === 'list' ? e.value.items : []);
const field = (v: Value | undefined, key: string): Value | undefined => (v && typeof v === 'object' && v.type === 'object' ? v.entries.find(([k]) => k === key)?.[1] : undefined);

describe('host objects are named, not snapshotted', () => {
  const r = record([process.execPath, fixture('host-objects.mjs')], ['--causality']);
  const evs = listEvents(Recording.open(r.dir), { limit: 1_000_000 }) as Ev[];
  const calls = (name: string) => evs.filter((e) => e.kind === 'call' && e.name === name);
  const incoming = evs.filter((e) => e.kind === 'http' && field(e.value, 'dir') === 'in' && field(e.value, 'phase') === 'request').map((e) => field(e.value, 'id'));

  it('records the program', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(incoming).toHaveLength(4);
  });

  it('a server handler gets "request #N" and "response #N", N its HTTP exchange, every time', () => {
    const handled = [...calls('handle'), ...calls('expressRoute')].map((e) => items(e));
    expect(handled).toHaveLength(3);
    for (const [req, res] of handled) {
      expect(req).toMatchObject({ type: 'brief', class: 'IncomingMessage', label: 'request' });
      expect(res).toMatchObject({ type: 'brief', class: 'ServerResponse', label: 'response' });
      const n = (req as { number: number }).number;
      expect(incoming).toContain(n);
      expect((res as { number: number }).number).toBe(n);
    }
    // Distinct exchanges, and the anonymous wrapper saw the same objects first: no bare references.
    expect(new Set(handled.map(([req]) => (req as { number: number }).number)).size).toBe(3);
  });

  it("Fastify's request and reply (named by the exchange they wrap), a client response, its socket and a server are brief too", () => {
    const [request, reply] = items(calls('fastifyRoute')[0]);
    expect(request).toMatchObject({ type: 'brief', class: 'Request', label: 'request' });
    expect(reply).toMatchObject({ type: 'brief', class: 'Reply', label: 'response' });
    expect(incoming).toContain((request as { number: number }).number);
    expect((reply as { number: number }).number).toBe((request as { number: number }).number);
    const got = calls('gotResponse').map(items);
    expect(got).toHaveLength(5);
    expect(got.filter(([res]) => (res as { type: string }).type === 'brief').map(([res, socket]) => [(res as { class: string }).class, (socket as { class: string }).class])).toEqual(Array(4).fill(['IncomingMessage', 'Socket']));
    const fake = got.find(([res]) => (res as { type: string }).type === 'object')!;
    expect(fake[2]).toMatchObject({ type: 'brief', class: 'Server' });
  });

  it("a program's own EventEmitter subclass is still snapshotted", () => {
    const bus = JSON.stringify(evs.map((e) => e.value));
    expect(bus).toMatch(/"type":"object","id":\d+,"class":"Bus"/);
  });
});
