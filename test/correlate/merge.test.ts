import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cinema, cinemaBin, fixture, record, root, tempDir } from '../helpers.js';

interface Ev {
  id: number;
  pid: number;
  recording: number;
  kind: string;
  name?: string;
  value?: { entries?: [string, unknown][] };
  atUs: number;
}
interface Timeline {
  offsets: { pid: number; recording: number; shiftUs: number }[];
  events: Ev[];
}

const fields = (e: Ev): Record<string, unknown> => Object.fromEntries(e.value?.entries ?? []);
const json = <T>(args: string[]): T => {
  const r = cinema(args);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
};

/** Records service B on its own (in the background) and service A's client in a second recording. */
async function recordApart(): Promise<{ a: string; b: string }> {
  const b = path.join(tempDir(), 'rec-b');
  const server = spawn(process.execPath, [cinemaBin, 'record', '-q', '--causality', '--out', b, '--', process.execPath, fixture('correlate/svc-b.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.on('close', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    server.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`service B exited early: ${out}`)));
  });
  const a = record([process.execPath, fixture('correlate/svc-a.mjs'), String(port)], ['--causality']);
  expect(a.code).toBe(0);
  expect(JSON.parse(a.stdout)).toEqual(['/b1', '/b2']);
  expect(await exited).toBe(0);
  return { a: a.dir, b };
}

describe('services recorded separately, read as one', () => {
  let a = '';
  let b = '';
  beforeAll(async () => {
    ({ a, b } = await recordApart());
  });

  const incoming = (t: Timeline) => t.events.filter((e) => e.kind === 'http' && fields(e).dir === 'in' && fields(e).phase === 'request');

  it('one timeline: each request B received follows the request A sent, linked across the recordings', () => {
    const t = json<Timeline>(['query', a, b, 'timeline', '--limit', '100000', '--json']);
    expect(new Set(t.events.map((e) => e.recording))).toEqual(new Set([0, 1]));
    const ins = incoming(t);
    expect(ins.map((e) => fields(e).url)).toEqual(['/b1', '/b2', '/stop']);
    const at = new Map(t.events.map((e) => [e.id, e.atUs]));
    for (const e of ins) {
      expect(e.recording).toBe(1);
      const [cause] = json<Ev[]>(['query', a, b, 'causes', String(e.id), '--limit', '1', '--json']);
      expect(cause!.recording).toBe(0);
      expect(fields(cause!)).toMatchObject({ dir: 'out', phase: 'request' });
      expect(fields(cause!).traceparent).toBe(fields(e).traceparent);
      expect(fields(e).trace).toBe(fields(cause!).trace);
      expect(at.get(e.id)!).toBeGreaterThan(at.get(cause!.id)!);
    }
  });

  it('causes and effects cross from one recording to the other', () => {
    const t = json<Timeline>(['query', a, b, 'timeline', '--limit', '100000', '--json']);
    const handle = t.events.find((e) => e.kind === 'call' && e.name === 'handleB')!;
    const up = json<Ev[]>(['query', a, b, 'causes', String(handle.id), '--json']);
    expect(up.some((e) => e.recording === 0 && e.kind === 'call' && e.name === 'callB')).toBe(true);
    const callB = t.events.find((e) => e.kind === 'call' && e.name === 'callB')!;
    const down = json<Ev[]>(['query', a, b, 'causes', String(callB.id), '--effects', '--limit', '100000', '--json']);
    expect(down.filter((e) => e.kind === 'call' && e.name === 'handleB')).toHaveLength(2);
    // Alone, B's recording does not know who sent its requests.
    const alone = json<Timeline>(['query', b, 'timeline', '--limit', '100000', '--json']);
    const first = incoming(alone)[0]!;
    const cause = json<Ev[]>(['query', b, 'causes', String(first.id), '--json']);
    expect(cause.every((e) => e.kind !== 'http')).toBe(true);
  });

  it('keeps causes first when B’s clock is ten seconds behind', () => {
    const before = json<Timeline>(['query', a, b, 'timeline', '--limit', '100000', '--json']);
    const dir = path.join(b, 'processes');
    const pid = fs.readdirSync(dir)[0]!;
    const file = path.join(dir, pid, 'process.json');
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { timeOrigin: number };
    fs.writeFileSync(file, JSON.stringify({ ...info, timeOrigin: info.timeOrigin - 10_000 }));
    const after = json<Timeline>(['query', a, b, 'timeline', '--limit', '100000', '--json']);
    const shift = (t: Timeline) => t.offsets.find((o) => o.recording === 1)!.shiftUs;
    expect(shift(after) - shift(before)).toBeGreaterThanOrEqual(10_000_000 - 1_000_000);
    const at = new Map(after.events.map((e) => [e.id, e.atUs]));
    for (const e of incoming(after)) {
      const [cause] = json<Ev[]>(['query', a, b, 'causes', String(e.id), '--limit', '1', '--json']);
      expect(at.get(e.id)!).toBeGreaterThan(at.get(cause!.id)!);
    }
    // B's events stay in B's own order.
    const bIds = after.events.filter((e) => e.recording === 1).map((e) => e.id);
    expect(bIds).toEqual([...bIds].sort((x, y) => x - y));
  });

  it('clear errors: a query that reads one recording, the same recording twice, an event out of range', () => {
    const r1 = cinema(['query', a, b, 'events']);
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toMatch(/'events' reads one recording/);
    const r2 = cinema(['query', a, a, 'timeline']);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toMatch(/given twice/);
    const r3 = cinema(['query', a, b, 'causes', '99999999']);
    expect(r3.code).not.toBe(0);
    expect(r3.stderr).toMatch(/no event #99999999 \(these recordings have events #0 to #\d+\)/);
    expect(r3.stderr.trim().split('\n')).toHaveLength(1);
  });
});
