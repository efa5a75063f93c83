import { beforeAll, describe, expect, it } from 'vitest';
import { cinema, fixture, record } from '../helpers.js';

const json = <T>(args: string[]): T => {
  const r = cinema(['query', ...args, '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
};

interface System {
  threads: { state: string; stack: { name: string }[]; awaiting: { frame: { name: string; args?: { items: unknown[] } }; line?: number }[]; resources: { type: string }[] }[];
}

describe('cinema query system: the whole program at a moment', () => {
  let dir = '';
  beforeAll(() => {
    dir = record([process.execPath, fixture('async.mjs')]).dir;
  });

  it('at step()’s first await: run() is running, step(0) waits at line 3', () => {
    const [suspend] = json<{ id: number; name: string }[]>([dir, 'events', '--kind', 'suspend', '--function', 'step', '--limit', '1']);
    const s = json<System>([dir, 'system', '--at', String(suspend!.id)]);
    expect(s.threads).toHaveLength(1);
    const [t] = s.threads;
    expect(t!.state).toBe('running');
    expect(t!.stack.map((f) => f.name)).toEqual(['run']);
    expect(t!.awaiting.map((a) => [a.frame.name, a.frame.args?.items, a.line])).toEqual([['step', [0], 3]]);
  });

  it('at the end: idle, nothing waiting', () => {
    const [t] = json<System>([dir, 'system']).threads;
    expect(t!.state).toBe('idle');
    expect(t!.stack).toEqual([]);
    expect(t!.awaiting).toEqual([]);
  });

  it('with --causality, lists async work still pending at a moment', () => {
    const c = record([process.execPath, fixture('async.mjs')], ['--causality']).dir;
    const [suspend] = json<{ id: number }[]>([c, 'events', '--kind', 'suspend', '--function', 'step', '--limit', '1']);
    const [t] = json<System>([c, 'system', '--at', String(suspend!.id)]).threads;
    // sleep(1) has just set a timer and step() returned a promise that has not settled.
    expect(t!.resources.map((r) => r.type)).toEqual(expect.arrayContaining(['Timeout', 'PROMISE']));
  });

  it('refuses --at and --time together', () => {
    const r = cinema(['query', dir, 'system', '--at', '1', '--time', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/give --at or --time, not both/);
  });
});
