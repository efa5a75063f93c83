/** The on-disk transform cache: location, permissions, damaged entries, and correct sites from cached text. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_ENV, TransformCache, cacheDir } from '../../src/runtime/transform-cache.js';
import { cinema, fixture, stats, tempDir } from '../helpers.js';

function entries(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => path.join(dir, f));
}

describe('transform cache', () => {
  it('lives where the environment, node_modules or XDG_CACHE_HOME say', () => {
    const app = tempDir();
    expect(cacheDir(app, { [CACHE_ENV]: 'off' })).toBeNull();
    expect(cacheDir(app, { [CACHE_ENV]: 'c' })).toBe(path.join(app, 'c'));
    expect(cacheDir(app, { XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/execution-cinema');
    fs.mkdirSync(path.join(app, 'node_modules'));
    expect(cacheDir(app, {})).toBe(path.join(app, 'node_modules', '.cache', 'execution-cinema'));
  });

  it('stores entries 0700/0600, ignores damaged ones, refuses a folder open to others', () => {
    const dir = path.join(tempDir(), 'cache');
    const cache = new TransformCache(dir);
    const key = cache.key('code', '/a.js', 'v');
    expect(cache.get(key)).toBeNull();
    cache.set(key, { ok: true, code: 'instrumented' });
    expect(new TransformCache(dir).get(key)).toEqual({ ok: true, code: 'instrumented' });
    const [file] = entries(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.dirname(file!)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file!).mode & 0o777).toBe(0o600);
    for (const bad of ['', 'garbage', fs.readFileSync(file!, 'utf8').slice(0, -3), fs.readFileSync(file!, 'utf8') + 'x']) {
      fs.writeFileSync(file!, bad);
      expect(new TransformCache(dir).get(key)).toBeNull();
    }
    cache.set(key, { ok: false, reason: 'cannot parse' });
    expect(new TransformCache(dir).get(key)).toEqual({ ok: false, reason: 'cannot parse' });
    expect(cache.key('code', '/a.js', '-')).not.toBe(key);
    expect(cache.key('code', '/b.js', 'v')).not.toBe(key);
    fs.chmodSync(dir, 0o777);
    expect(new TransformCache(dir).get(key)).toBeNull();
  });

  it('a cached transform records the same events with correct sites, and a damaged cache is rewritten', () => {
    const dir = path.join(tempDir(), 'cache');
    const env = { ...process.env, [CACHE_ENV]: dir };
    const prog = [process.execPath, fixture('workers.mjs')];
    const runs: string[] = [];
    const calls = (rec: string) => {
      const rows = JSON.parse(cinema(['query', rec, 'events', '--kind', 'call', '--json', '--limit', '100000'], { env }).stdout) as { name: string; file: string; line: number }[];
      return rows.map((e) => `${e.name} ${path.basename(e.file)}:${e.line}`).sort();
    };
    for (let i = 0; i < 3; i++) {
      if (i === 2) for (const f of entries(dir)) fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('try {', 'try { oops'));
      const rec = path.join(tempDir(), 'rec');
      const r = cinema(['record', '-q', '--out', rec, '--', ...prog], { env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(stats(rec).processes[0]!.skippedFiles).toEqual([]);
      runs.push(calls(rec).join('\n'));
    }
    expect(entries(dir).length).toBeGreaterThan(0);
    expect(runs[0]).toContain('workers.mjs');
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).toBe(runs[0]);
    for (const f of entries(dir)) expect(fs.readFileSync(f, 'utf8')).not.toContain('oops');
  });
});
