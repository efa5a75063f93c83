/** `for await`: its implicit awaits are suspensions and resumptions, and the loop behaves as before. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { transform } from '../../src/instrument/transform.js';
import { cinema, record, tempDir } from '../helpers.js';
import { runEsm, type Event } from './helpers.js';

/** A source whose default export returns a trace of everything the loops and iterators did. */
const program = `
const trace = [];
function tracked(name, values, { rejectAt = -1, syncResult = false, noReturn = false } = {}) {
  let i = 0;
  const it = {
    next(...args) {
      trace.push(name + '.next(' + args.length + ')');
      const k = i++;
      const r = k < values.length ? { value: values[k], done: false } : { value: undefined, done: true };
      if (k === rejectAt) return Promise.reject(new Error(name + ' rejected ' + k));
      return syncResult ? r : Promise.resolve(r);
    },
  };
  if (!noReturn) it.return = (...args) => { trace.push(name + '.return(' + args.length + ')'); return Promise.resolve({ done: true }); };
  return { [Symbol.asyncIterator]() { trace.push(name + '[asyncIterator]'); return it; } };
}
function syncTracked(name, values) {
  let i = 0;
  return { [Symbol.iterator]() { return { next() { trace.push(name + '.next'); return i < values.length ? { value: values[i++], done: false } : { done: true }; }, return() { trace.push(name + '.return'); return {}; } }; } };
}
async function* gen(n) { try { for (let k = 0; k < n; k++) { trace.push('gen yields ' + k); yield k; } } finally { trace.push('gen finally'); } }
async function ticker(n) { for (let k = 0; k < n; k++) { trace.push('tick ' + k); await null; } }

async function all(it) { const out = []; for await (const v of it) out.push(v); return out; }
async function breaks(it) { for await (const v of it) { trace.push('got ' + v); if (v === 2) break; } return 'broke'; }
async function returns(it) { for await (const v of it) { if (v === 1) return 'returned ' + v; } }
async function throws(it) { for await (const v of it) { if (v === 1) throw new Error('body threw ' + v); } }
async function labelled(it) {
  const out = [];
  outer: for (const round of [1, 2]) {
    inner: for await (const v of it()) { if (v === 1) continue inner; if (v === 2) continue outer; out.push(round + ':' + v); }
  }
  return out;
}
async function caught(it) { try { for await (const v of it) trace.push('got ' + v); } catch (e) { return 'caught ' + e.message; } }

export default async function main() {
  const results = {};
  const run = async (key, f) => { try { results[key] = await f(); } catch (e) { results[key] = 'threw ' + e.message; } results[key + ' trace'] = trace.splice(0); };
  await run('all', () => all(tracked('a', [1, 2, 3])));
  await run('sync results', () => all(tracked('b', [1, 2], { syncResult: true })));
  await run('sync iterable of promises', () => all([Promise.resolve('p'), 'q', new Promise((r) => setTimeout(() => r('late'), 5))]));
  await run('sync tracked', () => all(syncTracked('s', [1, Promise.resolve(2)])));
  await run('interleaved', () => Promise.all([all(gen(3)), ticker(5)]));
  await run('break', () => breaks(tracked('c', [1, 2, 3])));
  await run('break gen', () => breaks(gen(5)));
  await run('break sync', () => breaks(syncTracked('t', [1, 2, 3])));
  await run('break without return', () => breaks(tracked('d', [1, 2, 3], { noReturn: true })));
  await run('return', () => returns(tracked('e', [0, 1, 2])));
  await run('throw', () => throws(tracked('f', [0, 1, 2])));
  await run('next rejects', () => all(tracked('g', [0, 1, 2], { rejectAt: 1 })));
  await run('next rejects, caught', () => caught(tracked('h', [0, 1, 2], { rejectAt: 2 })));
  await run('labelled', () => labelled(() => tracked('i', [0, 1, 2, 3])));
  await run('not iterable', () => all(42));
  await run('awaited iterable', async () => { const out = []; for await (const v of await Promise.resolve(tracked('j', [7]))) out.push(v); return out; });
  await run('async iterator method throws', () => all({ [Symbol.asyncIterator]() { throw new Error('no iterator'); } }));
  return results;
}
`;

function forAwaitEvents(log: Event[], site: number): string {
  return log
    .filter((e) => (e[0] === 's' || e[0] === 'w') && e[1] === site)
    .map((e) => e[0])
    .join('');
}

describe('for await', () => {
  const original = runEsm({ 'main.mjs': program }, 'main.mjs', { instrument: false });
  const instrumented = runEsm({ 'main.mjs': program }, 'main.mjs');

  test('results, iterator calls, ordering against other tasks and errors are unchanged', () => {
    const r = original.result as Record<string, unknown>;
    // The plain program did what the cases are about.
    expect(r['all']).toEqual([1, 2, 3]);
    expect(r['break trace']).toEqual(['c[asyncIterator]', 'c.next(0)', 'got 1', 'c.next(0)', 'got 2', 'c.return(0)']);
    expect(r['break gen trace']).toContain('gen finally');
    expect(r['break sync trace']).toContain('t.return');
    expect(r['sync iterable of promises']).toEqual(['p', 'q', 'late']);
    expect(r['next rejects']).toBe('threw g rejected 1');
    expect(r['throw']).toBe('threw body threw 1');
    expect(r['not iterable']).toMatch(/is not async iterable/);
    expect(r['labelled']).toEqual(['1:0', '2:0']);
    expect((r['interleaved trace'] as string[]).join()).toMatch(/gen yields 0.*tick 0.*gen yields 1|tick 0.*gen yields 0/);
    expect(instrumented.result).toEqual(original.result);
  });

  test('every implicit await is a suspension followed by a resumption with the frame token', () => {
    const log = instrumented.log;
    const entries = log.map((e, i) => [e, i] as const).filter(([e]) => e[0] === 'c');
    const suspends = log.filter((e) => e[0] === 's');
    expect(suspends.length).toBeGreaterThan(0);
    // Each for-await site alternates s/w and ends resumed; resumptions carry a token of an entry.
    const table = transform(program, { filename: '/m.mjs', siteBase: 0, values: false, module: 'esm' }).sites.sites;
    const lines = program.split('\n');
    const sites = table.map((s, k) => [s, k] as const).filter(([s]) => s.kind === 'await' && /for await/.test(lines[s.line - 1]!.slice(s.column))).map(([, k]) => k);
    expect(sites.length).toBe(8);
    expect(new Set(suspends.map((e) => e[1]))).toEqual(new Set(table.map((s, k) => [s, k] as const).filter(([s]) => s.kind !== 'function').map(([, k]) => k)));
    for (const site of sites) expect(forAwaitEvents(log, site)).toMatch(/^(sw)+$/);
    const tokens = new Set(entries.map(([, i]) => i));
    for (const e of log) if (e[0] === 'w') expect(tokens.has(e[2] as number)).toBe(true);
  });

  test('a loop over three values suspends four times (three values and done)', () => {
    // `all` is the first function with a loop; its first call iterates [1, 2, 3].
    const log = instrumented.log;
    const site = log.find((e) => e[0] === 's')![1] as number;
    const firstCall = log.findIndex((e) => e[0] === 's' && e[1] === site);
    const token = log.find((e, i) => i > firstCall && e[0] === 'w' && e[1] === site)![2];
    const ofFirstCall = log.filter((e) => (e[0] === 's' || e[0] === 'w') && e[1] === site && (e[0] === 's' || e[2] === token));
    expect(ofFirstCall.slice(0, 8).map((e) => e[0]).join('')).toBe('swswswsw');
  });
});

describe('for await under cinema record', () => {
  it('records a suspension and a resumption of the loop for each value and for the end', () => {
    const dir = tempDir('cinema-for-await-');
    const file = path.join(dir, 'p.mjs');
    fs.writeFileSync(file, `async function* gen() { yield 1; yield 2; }
async function main() { let s = 0; for await (const v of gen()) s += v; return s; }
console.log(await main());
`);
    const rec = record(['node', file]);
    expect(rec.stdout.trim()).toBe('3');
    const q = cinema(['query', rec.dir, 'events', '-k', 'suspend', '-k', 'resume', '-f', 'main', '--json']);
    expect(q.code).toBe(0);
    const events = JSON.parse(q.stdout) as { kind: string; line: number; column: number }[];
    // Three awaited next() calls: values 1 and 2, then done.
    expect(events.map((e) => e.kind)).toEqual(['suspend', 'resume', 'suspend', 'resume', 'suspend', 'resume']);
    for (const e of events) expect([e.line, e.column]).toEqual([2, 35]);
  });
});
