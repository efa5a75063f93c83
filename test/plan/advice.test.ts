import http from 'node:http';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinema, cinemaBin, root } from '../helpers.js';
import { shop } from './helpers.js';

// A fake OpenAI-compatible endpoint: answers every chat completion with `answer`, keeps the requests.
let answer = '[]';
const seen: { auth?: string; body: { model: string; messages: { role: string; content: string }[] } }[] = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    seen.push({ ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body: JSON.parse(body) });
    if (req.url !== '/v1/chat/completions') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: answer } }] }));
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => server.close());

/** The CLI, asynchronously (the fake endpoint runs in this process). */
function plan(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cinemaBin, 'plan', ...args], { cwd: root, env: { ...process.env, CINEMA_LLM_URL: url, CINEMA_LLM_KEY: 'k1', CINEMA_LLM_MODEL: 'fake-model' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((r) => child.once('close', (code) => r({ code, stdout, stderr })));
}

describe('cinema plan --advise', () => {
  it('applies valid suggestions with their reason, refuses ones below a floor or for unknown functions', async () => {
    answer = 'Here you go: ' + JSON.stringify([
      { file: 'src/util.js', name: 'round', level: 'boundary', why: 'hot and trivial' },
      { file: 'src/store.js', name: 'handle', level: 'off', why: 'too costly' },
      { file: 'src/nope.js', name: 'ghost', level: 'full' },
    ]);
    const r = await plan([shop, '--advise', '--explain']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/src\/util\.js:1 round → boundary: .*; language model: calls → boundary: hot and trivial/);
    expect(r.stdout).toContain('advice ignored: src/store.js:15 handle stays at calls (not below calls)');
    expect(r.stdout).toContain('advice ignored: no function ghost in src/nope.js');
    expect(r.stdout).toContain('language model advice (fake-model): 1 change applied');
    const last = seen.at(-1)!;
    expect(last.auth).toBe('Bearer k1');
    expect(last.body.model).toBe('fake-model');
    expect(last.body.messages[1]!.content).toContain('src/cart/cart.js:9 Cart.add level=full floor=off');
  });

  it('fails with one line on an answer that is not a suggestion list, and without an endpoint', async () => {
    answer = 'I would rather not.';
    const r = await plan([shop, '--advise']);
    expect([r.code, r.stderr.trim()]).toEqual([1, 'cinema plan: the language model did not answer with a JSON array of {file, name, level, why}']);
    const env = { ...process.env };
    delete env.CINEMA_LLM_URL;
    const none = cinema(['plan', shop, '--advise'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--advise needs a language model endpoint');
  });
});
