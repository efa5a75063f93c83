import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, fixture, node, record, stats } from '../helpers.js';

describe('cinema record: exact counts on programs with known answers', () => {
  it('records every call of a recursive function, output and exit code untouched', () => {
    const plain = node([fixture('fib.mjs')]);
    // `node` found on PATH, as a person types it.
    const r = record(['node', fixture('fib.mjs')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stdout).toBe('fib(15) = 610\n');
    expect(r.stderr).toMatch(/cinema: recorded 1 process\(es\), exit 0/);
    const s = stats(r.dir);
    // fib(n) makes 2·F(n+1) − 1 calls: F(16) = 987.
    expect(s.byKind.call).toBe(1973);
    expect(s.byKind.return).toBe(1973);
    expect(s.byKind.throw).toBe(0);
    expect(s.functions).toBe(1);
    expect(s.events).toBe(1973 * 2);
    expect(s.dropped).toBe(0);
    expect(s.complete).toBe(true);
    expect(s.hottest[0]).toMatchObject({ name: 'fib', calls: 1973 });
    expect(s.hottest[0]!.location).toMatch(/fib\.mjs:1:1$/);
  });

  it('records throws, caught and uncaught, and keeps the exit code and error output', () => {
    const caught = record([process.execPath, fixture('throws.mjs')]);
    expect(caught.stdout).toBe('caught bottom\ncaught bottom\n');
    const s = stats(caught.dir);
    // safe(4): dive 5 frames unwind by throw; safe(2): 3 frames. safe itself returns normally.
    expect(s.byKind.throw).toBe(8);
    expect(s.byKind.call).toBe(10);
    expect(s.byKind.return).toBe(2);
    // Throws out of sync frames carry no value (ADR 0020): safe's catch clause records the error,
    // with its stack (V8's own, formatted by Node's own code), and the errors query shows it.
    const throws = JSON.parse(cinema(['query', caught.dir, 'events', '--kind', 'throw', '--json']).stdout) as { value?: unknown }[];
    expect(throws.filter((t) => t.value !== undefined)).toEqual([]);
    const catches = JSON.parse(cinema(['query', caught.dir, 'events', '--kind', 'catch', '--json']).stdout) as { name: string; line: number; value: { type: string; message: string; stack: string } }[];
    expect(catches.map((c) => [c.name, c.line])).toEqual([['safe', 8], ['safe', 8]]);
    expect(catches[0]!.value).toMatchObject({ type: 'error', message: 'bottom' });
    expect(catches[0]!.value.stack).toMatch(/^RangeError: bottom\n\s+at dive /);
    const errors = JSON.parse(cinema(['query', caught.dir, 'errors', '--json']).stdout) as { end: string; value: { message: string }; caughtBy: { name: string } }[];
    expect(errors.map((e) => [e.end, e.value.message, e.caughtBy.name])).toEqual([['caught', 'bottom', 'safe'], ['caught', 'bottom', 'safe']]);

    const plain = node([fixture('throws.mjs'), 'uncaught']);
    const uncaught = record([process.execPath, fixture('throws.mjs'), 'uncaught']);
    expect(uncaught.code).toBe(1);
    expect(uncaught.code).toBe(plain.code);
    expect(uncaught.stderr).toContain('RangeError: bottom');
    const u = stats(uncaught.dir);
    expect(u.byKind.throw).toBe(8 + 4);
    expect(u.byKind.error).toBe(1);
    expect(u.complete).toBe(true);
    // The uncaught one: its value from the error event.
    const last = (JSON.parse(cinema(['query', uncaught.dir, 'errors', '--json']).stdout) as { end: string; value: { message: string }; unwound: unknown[] }[]).at(-1)!;
    expect(last).toMatchObject({ end: 'uncaught', value: { message: 'bottom' } });
    expect(last.unwound).toHaveLength(4);
  });

  it('records async functions with one suspend and resume per await', () => {
    const r = record([process.execPath, fixture('async.mjs')]);
    expect(r.stdout).toBe('sum 20\n');
    const s = stats(r.dir);
    // run: 5 awaits; step × 5: 2 awaits each. sleep is an arrow called 5 times, the resolver callback 5 times.
    expect(s.byKind.suspend).toBe(15);
    expect(s.byKind.resume).toBe(15);
    expect(s.byKind.call).toBe(1 + 5 + 5 + 5 + 1);
    expect(s.byKind.call).toBe(s.byKind.return);
  });

  it('records the resumption of an await that rejected, whoever catches it', () => {
    const r = record([process.execPath, fixture('rejected-await.mjs')]);
    expect(r.stdout).toBe('handled: no user 7\n');
    const kinds = (fn: string) => (JSON.parse(cinema(['query', r.dir, 'events', '--function', fn, '--json']).stdout) as { kind: string }[]).map((e) => e.kind);
    // fetchUser resumes from `await null` and throws; handler's await rejects into its own catch.
    expect(kinds('fetchUser')).toEqual(['call', 'suspend', 'resume', 'throw']);
    // Its catch clause records what it received, after the resumption.
    expect(kinds('handler')).toEqual(['call', 'suspend', 'resume', 'catch', 'return']);
    // The throw ended fetchUser by rejecting its promise (handler's catch got it through that promise).
    const errors = JSON.parse(cinema(['query', r.dir, 'errors', '--json']).stdout) as { end: string; unwound: { name: string }[] }[];
    expect(errors[0]).toMatchObject({ end: 'rejected', unwound: [{ name: 'fetchUser' }] });
  });

  it('keeps awaited values in sampled mode, outside bursts too', () => {
    const r = record([process.execPath, fixture('async.mjs')], ['--mode', 'sampled', '--burst-ms', '1', '--period-ms', '1000']);
    expect(r.stdout).toBe('sum 20\n');
  });

  it('records top-level await as suspensions of a <module> frame', () => {
    const r = record([process.execPath, fixture('top-level-await.mjs')]);
    expect(r.stdout).toBe('42\n');
    const events = JSON.parse(cinema(['query', r.dir, 'events', '--function', '<module>', '--json']).stdout) as { kind: string; line: number }[];
    expect(events.map((e) => e.kind)).toEqual(['call', 'suspend', 'resume', 'suspend', 'resume', 'return']);
    expect(events.filter((e) => e.kind === 'suspend').map((e) => e.line)).toEqual([2, 3]);
  });

  it('records classes, private fields, super calls and closures in CommonJS', () => {
    const plain = node([fixture('classes.cjs')]);
    const r = record([process.execPath, fixture('classes.cjs')]);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.code).toBe(3);
    const s = stats(r.dir);
    const names = s.hottest.map((h) => h.name);
    expect(names).toEqual(expect.arrayContaining(['Counter.increment', 'Doubler.increment', 'Doubler.constructor', 'makeAdder']));
    const byName = Object.fromEntries(s.hottest.map((h) => [h.name, h.calls]));
    expect(byName['Counter.increment']).toBe(3);
    expect(byName['Doubler.increment']).toBe(2);
    expect(s.byKind.call).toBe(s.byKind.return);
  });
});

describe('cinema record: processes and threads', () => {
  it('records worker threads and child processes into the same recording', () => {
    const r = record([process.execPath, fixture('workers.mjs')]);
    expect(r.stdout).toBe('worker says 55 child says 49\n');
    const s = stats(r.dir);
    expect(s.processes).toHaveLength(2);
    const [parent, child] = s.processes;
    expect(parent!.threads.length).toBe(2);
    expect(child!.parentPid).toBe(parent!.pid);
    const byName = Object.fromEntries(s.hottest.map((h) => [h.name, h.calls]));
    expect(byName.triangle).toBe(11);
    expect(byName.square).toBe(1);
  });

  it('keeps the events of a worker terminated before it could flush', () => {
    const r = record([process.execPath, fixture('terminate.mjs')]);
    expect(r.stdout).toBe('got 55\n');
    const s = stats(r.dir);
    expect(s.processes[0]!.threads.length).toBe(2);
    expect(Object.fromEntries(s.hottest.map((h) => [h.name, h.calls])).triangle).toBe(11);
  });

  it('leaves a readable, incomplete recording when the program is killed with SIGKILL', async () => {
    const { spawn } = await import('node:child_process');
    const { tempDir, cinemaBin } = await import('../helpers.js');
    const dir = path.join(tempDir(), 'rec');
    const cli = spawn(process.execPath, [cinemaBin, 'record', '--out', dir, '--', process.execPath, fixture('forever.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => cli.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 500));
    const procs = fs.readdirSync(path.join(dir, 'processes'));
    expect(procs).toHaveLength(1);
    process.kill(Number(procs[0]), 'SIGKILL');
    const code = await new Promise<number | null>((resolve) => cli.once('close', resolve));
    expect(code).toBe(128 + 9);
    const s = stats(dir);
    expect(s.complete).toBe(false);
    expect(s.processes[0]!.complete).toBe(false);
    expect(s.byKind.call).toBeGreaterThan(10_000);
    // At the kill, at most burst() and one tick() were open: every other call read back returned.
    expect(s.byKind.call - s.byKind.return).toBeGreaterThanOrEqual(0);
    expect(s.byKind.call - s.byKind.return).toBeLessThanOrEqual(2);
    const text = cinema(['stats', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/INCOMPLETE/);
  });
});

describe('cinema record: values', () => {
  it('captures arguments without running getters or proxy traps, and redacts secrets', () => {
    const r = record([process.execPath, fixture('values.mjs')]);
    expect(r.stdout).toBe('hello ada\n');
    expect(r.stderr).not.toMatch(/getter ran|trap ran/);
    const q = cinema(['query', r.dir, 'events', '--json']);
    expect(q.code).toBe(0);
    const [call, ret] = JSON.parse(q.stdout) as { kind: string; name: string; value: any }[];
    expect(call).toMatchObject({ kind: 'call', name: 'greet' });
    const [user, opts] = call!.value.items;
    const entries = Object.fromEntries(user.entries);
    expect(entries.name).toBe('ada');
    expect(entries.password).toEqual({ type: 'redacted' });
    expect(entries.trap).toEqual({ type: 'accessor', get: true, set: false });
    expect(entries.tags).toMatchObject({ type: 'array', length: 2, items: ['x', 'y'] });
    // Default depth 2: user is depth 0, so deeper (depth 3) is cut, not walked.
    expect(entries.nested.entries[0][1].entries[0][1]).toEqual({ type: 'depth-limit', class: 'Object' });
    const o = Object.fromEntries(opts.entries);
    expect(o.token).toEqual({ type: 'redacted' });
    expect(o.proxy.type).toBe('proxy');
    expect(o.big).toEqual({ type: 'bigint', value: '10' });
    expect(o.when).toEqual({ type: 'date', time: 0 });
    expect(o.re).toEqual({ type: 'regexp', source: 'a+', flags: 'g' });
    expect(o.m).toMatchObject({ type: 'map', size: 1, entries: [['k', 1]] });
    expect(o.s).toMatchObject({ type: 'set', size: 1, items: [1] });
    expect(ret).toMatchObject({ kind: 'return', value: 'hello ada' });
    // The secret never reached the disk in any form we can read back.
    expect(q.stdout).not.toContain('hunter2');
  });

  it('gives objects ids without changing what the program can see of them', () => {
    const plain = node([fixture('identity.mjs')]);
    const r = record([process.execPath, fixture('identity.mjs')]);
    expect(r.stderr).not.toMatch(/trap ran/);
    expect(r.stdout).toBe(plain.stdout);
    const calls = JSON.parse(cinema(['query', r.dir, 'events', '--function', 'look', '--kind', 'call', '--json']).stdout) as { value: { items: { type: string }[] } }[];
    // First sight: snapshots (the Point was seen already, when its constructor wrote x); second: references.
    expect(calls[0]!.value.items.map((v) => v.type)).toEqual(['object', 'object', 'object', 'ref', 'proxy']);
    expect(calls[1]!.value.items.map((v) => v.type)).toEqual(['ref', 'ref', 'ref', 'ref', 'ref']);
  });

  it('records calls without values when asked', () => {
    const r = record([process.execPath, fixture('values.mjs')], ['--no-values']);
    const events = JSON.parse(cinema(['query', r.dir, 'events', '--json']).stdout) as { value?: unknown }[];
    expect(events.map((e: any) => e.kind)).toEqual(['call', 'return']);
    expect(events.every((e) => e.value === undefined)).toBe(true);
  });
});

describe('cinema record: stack locations', () => {
  it('keeps stack lines without source maps, and exact columns with --enable-source-maps', () => {
    const plain = node([fixture('stack.cjs')]).stdout;
    const [, line] = /stack\.cjs:(\d+):\d+/.exec(plain)!;
    const without = record([process.execPath, fixture('stack.cjs')]);
    expect(without.stdout).toMatch(new RegExp(`^1 stack\\.cjs:${line}:\\d+\\n$`));
    const withMaps = record([process.execPath, '--enable-source-maps', fixture('stack.cjs')]);
    expect(withMaps.stdout).toBe(node(['--enable-source-maps', fixture('stack.cjs')]).stdout);
  });
});
