import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinema, cinemaBin, fixture, record, spawn, tempDir } from '../helpers.js';
import { Client } from './client.js';

const shop = fixture('dap/shop.mjs');
let rec: string;

beforeAll(() => {
  const r = record(['node', shop]);
  expect(r.stderr).toContain('recorded');
  rec = r.dir;
});

const status = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{ code: number; location?: string }>((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      res.resume();
      resolve({ code: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}) });
    }).on('error', reject);
  });

describe('cinema dap --port', () => {
  const adapter = spawn(process.execPath, [cinemaBin, 'dap', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let port: number;
  beforeAll(async () => {
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      adapter.stdout!.on('data', (d: Buffer) => {
        out += String(d);
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      adapter.on('exit', (code) => reject(new Error(`cinema dap exited with ${code}`)));
    });
  });
  afterAll(() => {
    adapter.kill('SIGTERM');
  });

  it('serves a session per connection, and opens the web UI at the current moment', async () => {
    const a = new Client();
    const b = new Client();
    await a.start(port);
    await b.start(port);
    try {
      await a.begin({ recording: rec, stopOnEntry: true });
      await b.begin({ recording: rec, stopOnEntry: true });
      await a.move('stepIn');
      await a.move('stepIn');
      expect(await a.top()).toMatchObject({ name: 'add', line: 5 });
      // Sessions are independent: b is still at the start.
      expect(await b.top()).toMatchObject({ name: 'run', line: 20 });

      const ui = (await a.customRequest('cinema/openUi', { threadId: 1 })).body as { url: string; event: number };
      expect(ui.event).toBe(2);
      expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}#e=2$/);
      const withToken = await status(ui.url);
      expect(withToken.code).toBe(303);
      expect(await status(ui.url.replace(/\?token=[0-9a-f]+/, ''))).toMatchObject({ code: 401 });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('record, then debug', () => {
  it('records the command of a launch request and replays it, with its output in the debug console', async () => {
    const cwd = tempDir('cinema-dap-');
    const dc = new Client().spawnAdapter([], cwd);
    const output: string[] = [];
    dc.on('output', (e: { body: { output: string } }) => output.push(e.body.output));
    try {
      const stop = await dc.begin({ command: ['node', shop], cwd, stopOnEntry: true });
      expect(stop.body.reason).toBe('entry');
      expect(await dc.top()).toMatchObject({ name: 'run', line: 20 });
      expect(output.join('')).toMatch(/cinema: recorded 1 process/);
      const made = fs.readdirSync(path.join(cwd, '.cinema'));
      expect(made).toHaveLength(1);
      expect(fs.existsSync(path.join(cwd, '.cinema', made[0]!, 'manifest.json'))).toBe(true);
    } finally {
      await dc.close();
    }
  }, 240_000);
});

describe('cinema dap errors', () => {
  it('says what is wrong in one line', () => {
    const missing = cinema(['dap', path.join(tempDir(), 'nothing')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/cinema dap: .*(not a recording|no such|does not exist)/i);
    const port = cinema(['dap', '--port', 'x']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port takes a whole number');
    expect(cinema(['dap', '--help']).stdout).toContain('cinema dap [REC] [--port N]');
  }, 240_000);
});
