/**
 * Sync frames record their throws without a value (ADR 0020): the errors query finds it where the
 * exception was received. A real recording of a real Express server on 127.0.0.1, read back.
 */
import { describe, expect, it } from 'vitest';
import { cinema, fixture, record } from '../helpers.js';

interface Chain {
  id: number;
  kind: string;
  end: string;
  value?: { type: string; name: string; message: string };
  valueFrom?: string;
  unwound: { name: string }[];
  caughtBy?: { name: string };
  catchAt?: { id: number; name: string; file?: string; line?: number };
}

describe('the errors query finds the values of throws recorded without one', () => {
  it('at a module-level catch, after a finally, and through Express to the error middleware', () => {
    const r = record([process.execPath, fixture('thrown-values.mjs')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ atTop: 'missing sku', afterFinally: 'SyntaxError', status: 500, body: { error: 'missing sku' } });
    const errors = JSON.parse(cinema(['query', r.dir, 'errors', '--json']).stdout) as Chain[];
    const brief = errors.map((e) => [e.unwound.map((f) => f.name).join('>'), e.end, e.valueFrom, e.value?.name]);
    expect(brief).toEqual([
      // Module level: the catch clause right after the throw.
      ['price', 'caught', 'catch', 'TypeError'],
      // A finally ran between the throw and guarded's catch (its catch event is not the next of
      // the frame): that catch event is found by the error's stack, which points into parse.
      ['parse', 'caught', 'catch', 'SyntaxError'],
      // Express caught it (not recorded); its error middleware received it.
      ['price><anonymous>', 'unknown', 'argument', 'TypeError'],
    ]);
    expect(errors.map((e) => e.value!.message)).toEqual(['missing sku', expect.stringMatching(/JSON/), 'missing sku']);
    expect(errors[1]!.caughtBy!.name).toBe('guarded');
    // No frame encloses a module-level catch: its clause says where it ended.
    expect(errors[0]!.caughtBy).toBeUndefined();
    expect(errors[0]!.catchAt).toMatchObject({ name: '<module>', line: 34 });
    expect(errors[0]!.catchAt!.file).toMatch(/thrown-values\.mjs$/);
    // The text listing says where a value was found.
    const text = cinema(['query', r.dir, 'errors']).stdout;
    expect(text).toMatch(/thrown: TypeError: missing sku {2}\(as its catch clause received it\)/);
    expect(text).toMatch(/thrown: TypeError: missing sku {2}\(as a later call received it\)/);
    expect(text).toMatch(new RegExp(`caught at module level  \\S*thrown-values\\.mjs:34  @${errors[0]!.catchAt!.id}\n`));
  });

  it('lists exceptions whose throw is no event where a catch clause received them, once each', () => {
    const r = record([process.execPath, fixture('caught-only.mjs')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ a: 1 }, {}, 'bad id -1', 'local']);
    const errors = JSON.parse(cinema(['query', r.dir, 'errors', '--json']).stdout) as Chain[];
    const brief = errors.map((e) => [e.kind, e.unwound.map((f) => f.name).join('>'), e.end, e.caughtBy?.name, e.value?.name, e.value?.message]);
    expect(brief).toEqual([
      // Thrown inside JSON.parse: only loadConfig's catch clause saw it.
      ['catch', '', 'caught', 'loadConfig', 'SyntaxError', expect.stringMatching(/JSON/)],
      // The async function's rejection is one entry: the module's catch of the same object is not listed again.
      ['throw', 'fetchUser', 'caught', '<module>', 'Error', 'bad id -1'],
      // Thrown and caught in the same frame: no throw event, the catch has it.
      ['catch', '', 'caught', 'local', 'TypeError', 'local'],
    ]);
    expect(errors[0]!.catchAt).toMatchObject({ id: errors[0]!.id, name: 'loadConfig', line: 6 });
    const text = cinema(['query', r.dir, 'errors']).stdout;
    expect(text).toMatch(/caught: SyntaxError: .*JSON.* {2}\(thrown by unrecorded code or in the same frame\)\n {4}caught in loadConfig\(text="\{oops"\)/);
  });

  it('says where a module-level catch clause received one, with no frame to name', () => {
    const r = record([process.execPath, fixture('caught-at-top.cjs')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ error: 'SyntaxError' });
    const errors = JSON.parse(cinema(['query', r.dir, 'errors', '--json']).stdout) as Chain[];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'catch', end: 'caught', value: { name: 'SyntaxError' }, catchAt: { id: errors[0]!.id, name: '<module>', line: 5 } });
    const text = cinema(['query', r.dir, 'errors']).stdout;
    expect(text).toMatch(/\n {4}caught at module level  \S*caught-at-top\.cjs:5  @\d+\n/);
    expect(text).not.toMatch(/end not recorded/);
  });
});
