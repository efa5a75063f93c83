import { describe, expect, it } from 'vitest';
import { cinema, fixture, record } from '../helpers.js';

const json = <T>(args: string[]): T => {
  const r = cinema(['query', ...args, '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
};

interface Ev {
  id: number;
  kind: string;
  name?: string;
}

describe('cinema query causes, and causes on errors', () => {
  it('follows a return back through its awaits to the call that started it and its caller', () => {
    const dir = record([process.execPath, fixture('async.mjs')]).dir;
    const [ret] = json<Ev[]>([dir, 'events', '--function', 'step', '--kind', 'return', '--limit', '1']);
    const chain = json<Ev[]>([dir, 'causes', String(ret!.id)]);
    const kinds = chain.map((e) => `${e.kind} ${e.name}`);
    // resume → suspend → resume → suspend → call step → call run
    expect(kinds.slice(0, 6)).toEqual(['resume step', 'suspend step', 'resume step', 'suspend step', 'call step', 'call run']);
    const effects = json<Ev[]>([dir, 'causes', String(chain[4]!.id), '--effects', '--limit', '200']);
    expect(effects.map((e) => e.id)).toContain(ret!.id);
  });

  it('lists what led to each error', () => {
    const dir = record([process.execPath, fixture('throws.mjs')]).dir;
    const [first] = json<{ kind: string; causes: Ev[] }[]>([dir, 'errors']);
    // dive(0) threw: it was called by dive(1) … dive(4), called by safe(4).
    expect(first!.causes.filter((e) => e.kind === 'call').map((e) => e.name)).toEqual(['dive', 'dive', 'dive', 'dive', 'dive', 'safe']);
  });

  it('bad event ids get one line', () => {
    const dir = record([process.execPath, fixture('fib.mjs')]).dir;
    const r = cinema(['query', dir, 'causes', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
