import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, fixture, record, root, tempDir } from '../helpers.js';

const oneLine = (s: string) => s.trimEnd().split('\n');

describe('cinema CLI: help, version and bad usage', () => {
  it('prints the version and help', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(cinema(['--version']).stdout.trim()).toBe(pkg.version);
    const help = cinema(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['record', 'stats', 'query', 'demo']) expect(help.stdout).toContain(`  ${c}`);
    for (const c of ['record', 'stats', 'query', 'demo']) {
      const h = cinema([c, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`^cinema ${c}`));
    }
  });

  it.each([
    [['nope'], 2, /^cinema: unknown command 'nope'/],
    [['record'], 2, /^cinema record: no command to record/],
    [['record', '--bogus', '--', 'node', 'x.js'], 2, /^cinema record: Unknown option '--bogus'/],
    [['record', '--mode', 'fast', '--', 'node', 'x.js'], 2, /^cinema record: --mode must be one of lossless, flight, sampled/],
    [['record', '--depth=-1', '--', 'node', 'x.js'], 2, /^cinema record: --depth takes a whole number from 0 to 32, not '-1'/],
    [['record', '--depth', '-1', '--', 'node', 'x.js'], 2, /^cinema record: option '--depth' needs a value \(for one that starts with '-', write --depth=-…\)/],
    [['stats', '/definitely/not/here'], 1, /^cinema stats: no recording at \/definitely\/not\/here$/],
    [['query', '/definitely/not/here', 'frobnicate'], 2, /^cinema query: unknown query 'frobnicate'/],
  ])('cinema %j fails with one clear line', (args, code, message) => {
    const r = cinema(args as string[], { cwd: tempDir() });
    expect(r.code).toBe(code);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('reports a command that does not exist with status 127', () => {
    const r = cinema(['record', '--out', path.join(tempDir(), 'rec'), '--', 'no-such-command-anywhere']);
    expect(r.code).toBe(127);
    expect(r.stderr.trim()).toBe('cinema record: command not found: no-such-command-anywhere');
  });

  it('says how to start when there is no recording to open', () => {
    const r = cinema(['stats'], { cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/no recording named and none in \.cinema\/ here; record one with: cinema record -- node app\.js/);
  });
});

describe('cinema CLI: recordings in .cinema/ and damaged recordings', () => {
  it('records into .cinema/ of the current directory and opens the latest one by default', () => {
    const cwd = tempDir();
    expect(cinema(['record', '--', process.execPath, fixture('fib.mjs')], { cwd }).code).toBe(0);
    expect(cinema(['record', '--', process.execPath, fixture('child.cjs')], { cwd }).code).toBe(0);
    const dirs = fs.readdirSync(path.join(cwd, '.cinema'));
    expect(dirs).toHaveLength(2);
    expect(fs.statSync(path.join(cwd, '.cinema', dirs[0]!)).mode & 0o777).toBe(0o700);
    const s = JSON.parse(cinema(['stats', '--json'], { cwd }).stdout) as { byKind: { call: number } };
    expect(s.byKind.call).toBe(1); // child.cjs: square() once — the latest recording
  });

  it('creates recordings readable by the owner only', () => {
    const r = record([process.execPath, fixture('fib.mjs')]);
    const proc = path.join(r.dir, 'processes', fs.readdirSync(path.join(r.dir, 'processes'))[0]!);
    expect(fs.statSync(r.dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(proc).mode & 0o777).toBe(0o700);
    for (const f of ['events.seg', 'process.json', 'sites.jsonl']) expect(fs.statSync(path.join(proc, f)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(r.dir, 'manifest.json')).mode & 0o777).toBe(0o600);
  });

  it('rejects a damaged segment with one line naming the file and the damage', () => {
    const r = record([process.execPath, fixture('fib.mjs')]);
    const proc = path.join(r.dir, 'processes', fs.readdirSync(path.join(r.dir, 'processes'))[0]!);
    const seg = path.join(proc, 'events.seg');
    const bytes = fs.readFileSync(seg);
    bytes[bytes.length - 5]! ^= 0xff; // inside the last frame's payload
    fs.writeFileSync(seg, bytes);
    const s = cinema(['stats', r.dir]);
    expect(s.code).toBe(1);
    expect(oneLine(s.stderr)).toHaveLength(1);
    expect(s.stderr).toMatch(/^cinema stats: .*events\.seg at byte \d+: damaged frame \(checksum mismatch\)$/m);
  });

  it('refuses a recording from a newer format version', () => {
    const r = record([process.execPath, fixture('fib.mjs')]);
    const file = path.join(r.dir, 'manifest.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), version: 99 }));
    const s = cinema(['stats', r.dir]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/recording format version 99 is newer than this cinema reads \(2\); upgrade execution-cinema/);
  });

  it('stops quietly when its reader closes the pipe (cinema … | head)', async () => {
    const r = record([process.execPath, fixture('fib.mjs')]);
    const { spawn } = await import('node:child_process');
    const { cinemaBin } = await import('../helpers.js');
    const child = spawn(process.execPath, [cinemaBin, 'query', r.dir, 'events', '--limit', '5000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('rejects a directory that is not a recording', () => {
    const s = cinema(['stats', tempDir()]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/^cinema stats: manifest\.json not found: /);
  });
});
