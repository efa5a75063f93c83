import { beforeAll, describe, expect, it } from 'vitest';
import { Recording } from '../../src/recording/recording.js';
import type { Value } from '../../src/recording/value-reader.js';
import { EventIndex } from '../../src/query/index/event-index.js';
import { queryEvents } from '../../src/query/scan.js';
import { resolveObject, stateAt } from '../../src/query/state.js';
import { cinema, fixture, record } from '../helpers.js';

const json = <T>(args: string[]): T => {
  const r = cinema(['query', ...args, '--json']);
  if (r.code !== 0) throw new Error(`cinema query ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

interface HistoryJson {
  target: string;
  total: number;
  writes: { op: string; value?: Value; event: { id: number }; site?: { target?: string; line: number }; writer?: { name: string }; cause?: { name: string }; stack: { name: string }[] }[];
}
type Obj = Extract<Value, { type: 'object' }>;

describe('state and value history over a recorded cart', () => {
  let dir: string;
  let cartId: number;
  beforeAll(() => {
    const r = record(['node', fixture('cart.mjs')]);
    expect(r.code).toBe(0);
    dir = r.dir;
    const writes = json<{ value: { items: Value[] } }[]>([dir, 'events', '--kind', 'write', '--limit', '1']);
    cartId = (writes[0]!.value.items[0] as Obj).id;
  });

  it('history of cart.total: 0, 30, 50, 40, 36, each with its writer, and the cause of the write made through a request', () => {
    const h = json<HistoryJson>([dir, 'history', `${cartId}.total`]);
    expect(h.total).toBe(5);
    expect(h.writes.map((w) => w.value)).toEqual([0, 30, 50, 40, 36]);
    expect(h.writes.map((w) => w.writer?.name)).toEqual(['Cart.constructor', 'Cart.add', 'Cart.add', 'Cart.remove', 'Cart.discount']);
    expect(h.writes.map((w) => w.site?.target)).toEqual(['this.total', 'this.total', 'this.total', 'this.total', 'this.total']);
    expect(h.writes[2]!.cause?.name).toBe('handleRequest');
    expect(h.writes[2]!.stack.map((f) => f.name)).toEqual(['Cart.add', 'handleRequest']);
    const last = json<HistoryJson>([dir, 'history', `${cartId}.total`, '--limit', '2']);
    expect(last.total).toBe(5);
    expect(last.writes.map((w) => w.value)).toEqual([40, 36]);
  });

  it('history of a binding and of a deleted key', () => {
    const orders = json<HistoryJson>([dir, 'history', 'orders']);
    expect(orders.writes.map((w) => [w.value, w.writer?.name])).toEqual([[1, 'checkout'], [2, 'placeOrder']]);
    const note = json<HistoryJson>([dir, 'history', `${cartId}.note`]);
    expect(note.writes.map((w) => [w.op, w.value])).toEqual([['write', 'paid'], ['delete', undefined]]);
    expect(json<HistoryJson>([dir, 'history', 'nothingCalledThis']).total).toBe(0);
  });

  it('state at the end and at a moment in between', () => {
    const end = json<{ state: Obj; applied: unknown[] }>([dir, 'state', String(cartId)]);
    expect(end.state.class).toBe('Cart');
    expect(Object.fromEntries(end.state.entries)).toMatchObject({ owner: 'ada', total: 36, status: 'done' });
    expect(end.state.entries.map(([k]) => k)).not.toContain('note');
    const h = json<HistoryJson>([dir, 'history', `${cartId}.total`]);
    const mid = json<{ state: Obj }>([dir, 'state', String(cartId), '--at', String(h.writes[2]!.event.id)]);
    expect(Object.fromEntries(mid.state.entries)).toMatchObject({ total: 50 });
    expect(Object.fromEntries(mid.state.entries)).not.toHaveProperty('status');
    const before = json<{ seen: boolean }>([dir, 'state', String(cartId), '--time', '0']);
    expect(before.seen).toBe(false);
    const r = cinema(['query', dir, 'state', '999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no object #999');
  });

  it('stateAt equals a replay of every write from the start, at every event, for every object', () => {
    const rec = Recording.open(dir);
    const index = EventIndex.open(rec);
    try {
      const events = queryEvents(index, { limit: 1_000_000 });
      const live = new Map<number, Map<string, Value>>();
      const checked = new Set<number>();
      const note = (v: Value | undefined) => {
        if (v && typeof v === 'object' && v.type === 'object' && v.id > 0 && !live.has(v.id)) live.set(v.id, new Map(v.entries));
      };
      for (const e of events) {
        const items = e.value && typeof e.value === 'object' && e.value.type === 'list' ? e.value.items : e.value === undefined ? [] : [e.value];
        items.forEach(note);
        if ((e.kind === 'write' || e.kind === 'delete') && items.length >= 2) {
          const t = items[0] as { id: number };
          const props = live.get(t.id);
          if (props) {
            if (e.kind === 'delete') props.delete(String(items[1]));
            else props.set(String(items[1]), items[2]!);
          }
        }
        for (const [id, props] of live) {
          // The object's own writes only: members with ids of their own are followed separately.
          const s = stateAt(index, resolveObject(index, String(id)), e.id, false);
          expect(s.seen).toBe(true);
          expect(new Map((s.state as Obj).entries)).toEqual(props);
          checked.add(id);
        }
      }
      expect(checked.size).toBeGreaterThanOrEqual(2);
    } finally {
      index.close();
    }
  });
});

describe('state of Maps, Sets and arrays changed through their methods', () => {
  it('follows a queue through push and shift, a Map through set, and members with ids of their own', () => {
    const r = record([process.execPath, fixture('containers.mjs')]);
    expect(r.stdout).toBe('1 2 7\n');
    const events = json<{ kind: string; id: number; value: any }[]>([r.dir, 'events', '--kind', 'mutate', '--limit', '100']);
    expect(events.map((e) => e.value.items[1])).toEqual(['push', 'add', 'set', 'push', 'add', 'set', 'shift', 'push', 'push']);
    const queueId = events[0]!.value.items[2].id as number;
    const after = (event: number) => json<{ state: any }>([r.dir, 'state', String(queueId), '--at', String(event)]).state;
    expect(after(events[0]!.id).items).toHaveLength(1);
    expect(after(events[3]!.id).items).toHaveLength(2);
    expect(after(events[6]!.id).items).toHaveLength(1);
    const totalsId = events[2]!.value.items[2].id as number;
    const totals = json<{ state: any }>([r.dir, 'state', String(totalsId)]).state;
    expect(totals).toMatchObject({ type: 'map', size: 1, entries: [['ada', 7]] });
    // box.items has an id of its own: the box's state shows it as it was, not as first seen.
    const boxId = json<{ value: any }[]>([r.dir, 'events', '--function', 'makeBox', '--kind', 'return', '--limit', '1'])[0]!.value.id as number;
    const box = json<{ state: any }>([r.dir, 'state', String(boxId)]).state;
    expect(Object.fromEntries(box.entries).items).toMatchObject({ type: 'array', length: 2, items: ['x', 'y'] });
  });
});
