import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cinema, fixture, tempDir } from '../helpers.js';

type Ev = { id: number; pid: number; kind: string; name?: string; value?: any };

const items = (e: Ev): any[] => e.value?.items ?? [];

describe('sockets and MessageChannel ports: send → receive', () => {
  let events: Ev[];
  let idx: any;
  let L: any;
  beforeAll(async () => {
    const { Recording } = await import('../../dist/recording/recording.js');
    const { EventIndex } = await import('../../dist/query/index/event-index.js');
    L = await import('../../dist/query/causality.js');
    const dir = path.join(tempDir(), 'rec');
    const r = cinema(['record', '--causality', '--out', dir, '--', process.execPath, fixture('correlate/tcp.mjs')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ server: 'hello\nsecond\nbye\n', client: expect.stringMatching(/^ok \d+\n/) });
    idx = EventIndex.open(Recording.open(dir));
    events = Array.from({ length: idx.rows }, (_, i) => idx.event(i));
  });
  const ofChannel = (kind: string, ch: string) => events.filter((e) => e.kind === kind && items(e)[0] === ch);

  it('each data chunk a server reads is caused by the write (in the client process) that holds its last byte', () => {
    const sends = ofChannel('send', 'tcp');
    const receives = ofChannel('receive', 'tcp');
    const server = events.find((e) => e.kind === 'call' && e.name === 'onData')!.pid;
    const serverReads = receives.filter((e) => e.pid === server);
    expect(serverReads.length).toBeGreaterThanOrEqual(2);
    const total = Math.max(...serverReads.map((e) => items(e)[2]));
    expect(total).toBe('hello\nsecond\nbye\n'.length);
    for (const r of serverReads) {
      const cause = events[L.causeOf(idx, r.id)]!;
      expect(cause.kind).toBe('send');
      expect(cause.pid).not.toBe(server);
      // the write that covers the chunk's last byte: the first write ending at or after it
      const ends = sends.filter((s) => s.pid === cause.pid).map((s) => items(s)[2]).sort((a, b) => a - b);
      expect(items(cause)[2]).toBe(ends.find((n) => n >= items(r)[2]));
      // the listener runs because of the receive
      const handler = events.find((e) => e.id > r.id && e.kind === 'call' && e.name === 'onData')!;
      expect(L.causalAncestors(idx, handler.id, 2).map((e: Ev) => e.id)).toContain(r.id);
    }
    // "hello\n" was written before the socket connected, under the socket's own id, then named
    const early = sends.find((s) => String(items(s)[1]).startsWith('sock:'))!;
    expect(items(early)[2]).toBe(6);
    expect(ofChannel('send', 'tcp-conn').map((e) => items(e)[1])).toContain(items(early)[1]);
    const first = serverReads.find((r) => items(r)[2] <= 6);
    if (first) expect(L.causeOf(idx, first.id)).toBe(early.id);
  });

  it('the client’s reads are caused by the server’s answers', () => {
    const client = events.find((e) => e.kind === 'call' && e.name === 'onReply')!.pid;
    const reads = ofChannel('receive', 'tcp').filter((e) => e.pid === client);
    expect(reads.length).toBeGreaterThanOrEqual(1);
    for (const r of reads) {
      const cause = events[L.causeOf(idx, r.id)]!;
      expect(cause.kind).toBe('send');
      expect(cause.pid).not.toBe(client);
      expect(L.causalAncestors(idx, r.id, 30).some((e: Ev) => e.name === 'onData')).toBe(true);
    }
  });

  it('a MessageChannel message is received because it was posted', () => {
    const posts = ofChannel('send', 'port');
    const gets = ofChannel('receive', 'port');
    expect(posts).toHaveLength(2);
    expect(gets).toHaveLength(2);
    gets.forEach((g, i) => expect(L.causeOf(idx, g.id)).toBe(posts[i]!.id));
    const handler = events.filter((e) => e.kind === 'call' && e.name === 'onPortMessage').at(-1)!;
    expect(L.causalAncestors(idx, handler.id, 10).map((e: Ev) => e.name ?? e.kind)).toEqual(expect.arrayContaining(['receive', 'send', 'postTwo']));
  });
});
