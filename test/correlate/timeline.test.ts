import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cinema, fixture, record } from '../helpers.js';

interface Ev {
  id: number;
  pid: number;
  kind: string;
  value?: { entries?: [string, unknown][] };
  atUs: number;
}
interface Timeline {
  offsets: { pid: number; shiftUs: number }[];
  events: Ev[];
}

const fields = (e: Ev): Record<string, unknown> => Object.fromEntries(e.value?.entries ?? []);
const timeline = (dir: string): Timeline => {
  const r = cinema(['query', dir, 'timeline', '--limit', '100000', '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Timeline;
};

/** Every incoming HTTP request comes after the request that sent it (its cause in another process). */
function causesFirst(dir: string, t: Timeline): void {
  const at = new Map(t.events.map((e) => [e.id, e.atUs]));
  const incoming = t.events.filter((e) => e.kind === 'http' && fields(e).dir === 'in' && fields(e).phase === 'request');
  expect(incoming.length).toBe(3);
  for (const e of incoming) {
    const r = cinema(['query', dir, 'causes', String(e.id), '--limit', '1', '--json']);
    const [cause] = JSON.parse(r.stdout) as Ev[];
    expect(cause!.pid).not.toBe(e.pid);
    expect(at.get(e.id)!).toBeGreaterThan(at.get(cause!.id)!);
  }
}

describe('one timeline for several processes', () => {
  let dir = '';
  beforeAll(() => {
    dir = record([process.execPath, fixture('correlate/http-chain.mjs')], ['--causality']).dir;
  });

  it('orders three recorded processes so that every request follows its sender', () => {
    causesFirst(dir, timeline(dir));
  });

  it('still does when one machine’s clock is ten seconds behind', () => {
    const before = timeline(dir);
    // A process that receives a request gets a clock 10 s slow.
    const server = before.events.find((e) => e.kind === 'http' && fields(e).dir === 'in')!.pid;
    const file = path.join(dir, 'processes', String(server), 'process.json');
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; timeOrigin: number };
    fs.writeFileSync(file, JSON.stringify({ ...info, timeOrigin: info.timeOrigin - 10_000 }));
    const victim = info;
    const after = timeline(dir);
    const shift = (t: Timeline) => t.offsets.find((o) => o.pid === victim.pid)!.shiftUs;
    expect(shift(after) - shift(before)).toBeGreaterThanOrEqual(10_000_000 - 1_000_000);
    causesFirst(dir, after);
  });
});
