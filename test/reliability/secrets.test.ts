/**
 * Secrets: a program full of planted secrets (arguments, returns, object fields, state writes, Map
 * entries, strings, URLs, HTTP headers and query strings with --causality, console output, thrown
 * messages, environment variables, its command line, its own source) is recorded, and every byte
 * of the recording is searched for them: all values read back through the reader, the decompressed
 * chunks, and the raw files (manifest, process.json, sites, sources, the index).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cinema, fixture, root, tempDir } from '../helpers.js';

const SECRETS = [
  'UExBTlRFRF9KV1RfU0lH0001', // the JWT's signature
  'AKIAPLANTED00AWS0002',
  'plantedBearerToken0003',
  'MIIPLANTEDPEMBODY0004',
  'plantedUrlPass0005',
  'plantedFieldSecret0006',
  'PLANTEDgithubTOKEN0000000000000000007',
  'plantedMapSecret0008',
  'plantedWrittenSecret0009',
  'plantedQuerySecret0010',
  'plantedCookie0011',
  'plantedSetCookie0012',
  'AKIAPLANTEDSOURCE013',
  'envApiKeyPlanted0014',
  'envDbPassPlanted0015',
  'argvPassPlanted0016',
  'argvTokenPlanted0017',
  'AKIAPLANTEDARGV00018',
  'plantedSsn0019',
];
const ENV = { ...process.env, CINEMA_TEST_API_KEY: 'envApiKeyPlanted0014', DB_PASSWORD: 'envDbPassPlanted0015' };
const ARGS = ['--password=argvPassPlanted0016', '--token', 'argvTokenPlanted0017', 'AKIAPLANTEDARGV00018'];

function recordSecrets(extra: string[]) {
  const dir = path.join(tempDir('cinema-secrets-'), 'rec');
  const r = cinema(['record', '--causality', ...extra, '--out', dir, '--', process.execPath, fixture('secrets.mjs'), ...ARGS], { env: ENV });
  return { ...r, dir };
}

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

const found = (text: string) => SECRETS.filter((s) => text.includes(s));

describe('planted secrets never reach the disk', () => {
  let run: ReturnType<typeof recordSecrets>;
  let eventsJson: string;
  beforeAll(() => {
    run = recordSecrets(['--redact', 'ssn']);
    const q = cinema(['query', run.dir, 'events', '--json', '--limit', '1000000'], { env: ENV });
    expect(q.code).toBe(0);
    eventsJson = q.stdout;
  });

  it('the program ran as it does unrecorded', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^failed: no key material for AKIAPLANTED00AWS0002\nlog line with .*envApiKeyPlanted0014\nstatus 200\n$/);
  });

  it('no value read back through the reader holds one, and the redactions are there', () => {
    expect(found(eventsJson)).toEqual([]);
    const events = JSON.parse(eventsJson) as { kind: string; name: string; value: any }[];
    expect(events.length).toBeGreaterThan(50);
    const login = events.find((e) => e.kind === 'call' && e.name === 'login')!;
    const creds = Object.fromEntries(login.value.items[1].entries);
    expect(creds.password).toEqual({ type: 'redacted' });
    expect(creds.ssn).toEqual({ type: 'redacted' });
    expect(login.value.items[2]).toBe('postgres://ada:[redacted]@db.local:5432/app');
    const issued = events.filter((e) => e.kind === 'return' && e.name === 'issue').map((e) => e.value);
    expect(issued).toEqual(['[redacted]', 'Bearer [redacted]']);
    const signs = events.filter((e) => e.kind === 'call' && e.name === 'sign').map((e) => e.value.items);
    expect(signs).toEqual([
      ['[redacted]', ''],
      ['[redacted]', '[redacted]'],
    ]);
    expect(eventsJson).toContain('?token=[redacted]&api_key=[redacted]&page=2');
  });

  it('no decompressed chunk holds one', async () => {
    const { Recording } = await import(pathToFileURL(path.join(root, 'dist/recording/recording.js')).href);
    const { readSegment } = await import(pathToFileURL(path.join(root, 'dist/recording/segment-reader.js')).href);
    const rec = Recording.open(run.dir);
    let chunks = 0;
    for (const proc of rec.processes) {
      for (const file of proc.segmentFiles()) {
        for (const chunk of readSegment(file)) {
          chunks++;
          const text = Buffer.from(chunk.values).toString('latin1') + Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength).toString('latin1');
          expect(found(text)).toEqual([]);
        }
      }
    }
    expect(chunks).toBeGreaterThan(0);
  });

  it('no raw file of the recording holds one: manifest, process.json, sites, sources, index', () => {
    const files = allFiles(run.dir);
    expect(files.some((f) => f.includes(`${path.sep}sources${path.sep}`))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}index${path.sep}`))).toBe(true);
    for (const f of files) expect({ file: f, found: found(fs.readFileSync(f).toString('latin1')) }).toEqual({ file: f, found: [] });
    // the command line kept its shape, with the secrets masked
    const manifest = JSON.parse(fs.readFileSync(path.join(run.dir, 'manifest.json'), 'utf8'));
    expect(manifest.command.slice(-4)).toEqual(['--password=[redacted]', '--token', '[redacted]', '[redacted]']);
    // the source copy keeps every line and column, the literal key masked
    const src = files.find((f) => f.endsWith('secrets.mjs'))!;
    const original = fs.readFileSync(fixture('secrets.mjs'), 'utf8');
    expect(fs.readFileSync(src, 'utf8').split('\n').map((l) => l.length)).toEqual(original.split('\n').map((l) => l.length));
  });

  it('--redact adds to the keys: without it the custom key is kept, an invalid pattern is refused', () => {
    const plain = recordSecrets([]);
    const q = cinema(['query', plain.dir, 'events', '--json', '--limit', '1000000']);
    expect(found(q.stdout)).toEqual(['plantedSsn0019']);
    const bad = cinema(['record', '--redact', '(', '--', process.execPath, '-e', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--redact '\(' is not a valid pattern/);
  });
});
