/**
 * A damaged index (<recording>/index) is rebuilt or refused clearly, never trusted into a wrong
 * answer. Fixed-seed fast-check cases: bit flips, truncation, swapped blocks, wrong versions,
 * huge lengths in meta.json, missing, extra and garbage files; after each, the answers equal the
 * ones from the pristine index (or the open throws a RecordingError).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, record, root } from '../helpers.js';

const SEED = 1126;
let lib: any;
let dir: string;
let pristine: string;
let files: string[];
let baseline: string;

const imp = (p: string) => import(pathToFileURL(path.join(root, 'dist', p)).href);

function answers(): { text: string; rebuilt: string | null } {
  const rec = lib.Recording.open(dir);
  const index = lib.EventIndex.open(rec);
  try {
    const text = JSON.stringify({ rows: index.rows, slowest: lib.slowest(index), hits: lib.search(index, 'ada'), nums: lib.search(index, 2) });
    return { text, rebuilt: index.rebuilt };
  } finally {
    index.close?.();
  }
}

function restore(): void {
  const idx = path.join(dir, 'index');
  fs.rmSync(idx, { recursive: true, force: true });
  fs.cpSync(pristine, idx, { recursive: true });
}

type Case =
  | { kind: 'bitflip'; file: number; at: number; bit: number }
  | { kind: 'truncate'; file: number; keep: number }
  | { kind: 'swap'; file: number; a: number; b: number; len: number }
  | { kind: 'meta'; field: string; value: unknown }
  | { kind: 'delete'; file: number }
  | { kind: 'garbage'; file: number; text: string }
  | { kind: 'extra' };

function apply(c: Case): void {
  const idx = path.join(dir, 'index');
  const pick = (i: number) => path.join(idx, files[i % files.length]!);
  switch (c.kind) {
    case 'bitflip': {
      const f = pick(c.file);
      const b = fs.readFileSync(f);
      if (b.length === 0) return fs.writeFileSync(f, Buffer.from([1 << c.bit]));
      b[c.at % b.length]! ^= 1 << c.bit;
      return fs.writeFileSync(f, b);
    }
    case 'truncate': {
      const f = pick(c.file);
      const b = fs.readFileSync(f);
      return fs.writeFileSync(f, b.subarray(0, b.length === 0 ? 0 : c.keep % b.length));
    }
    case 'swap': {
      const f = pick(c.file);
      const b = fs.readFileSync(f);
      const len = Math.min(c.len, Math.floor(b.length / 2));
      if (len === 0) return fs.writeFileSync(f, Buffer.concat([b, Buffer.from('x')]));
      const a = c.a % (b.length - 2 * len + 1);
      const x = a + len + (c.b % (b.length - a - 2 * len + 1));
      const out = Buffer.from(b);
      b.copy(out, a, x, x + len);
      b.copy(out, x, a, a + len);
      if (out.equals(b)) out[a]! ^= 0xff;
      return fs.writeFileSync(f, out);
    }
    case 'meta': {
      const f = path.join(idx, 'meta.json');
      const m = JSON.parse(fs.readFileSync(f, 'utf8'));
      m[c.field] = c.value;
      return fs.writeFileSync(f, JSON.stringify(m));
    }
    case 'delete':
      return fs.rmSync(pick(c.file));
    case 'garbage':
      return fs.writeFileSync(pick(c.file), c.text);
    case 'extra':
      return fs.writeFileSync(path.join(idx, 'stray.bin'), 'x');
  }
}

const caseArb = (n: number): fc.Arbitrary<Case> =>
  fc.oneof(
    fc.record({ kind: fc.constant('bitflip' as const), file: fc.nat(n), at: fc.nat(1 << 20), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('truncate' as const), file: fc.nat(n), keep: fc.nat(1 << 20) }),
    fc.record({ kind: fc.constant('swap' as const), file: fc.nat(n), a: fc.nat(1 << 20), b: fc.nat(1 << 20), len: fc.integer({ min: 1, max: 64 }) }),
    fc.record({
      kind: fc.constant('meta' as const),
      field: fc.constantFrom('version', 'rows', 'calls', 'values', 'valueBytes', 'chunks', 'writes', 'objects', 'contexts', 'source'),
      value: fc.oneof(fc.constant(2 ** 40), fc.constant(-1), fc.constant(99), fc.constant(null), fc.constant('x'), fc.constant([]), fc.nat(1000)),
    }),
    fc.record({ kind: fc.constant('delete' as const), file: fc.nat(n) }),
    fc.record({ kind: fc.constant('garbage' as const), file: fc.nat(n), text: fc.oneof(fc.constant(''), fc.constant('{'), fc.constant('null'), fc.constant('[]'), fc.string({ maxLength: 20 })) }),
    fc.record({ kind: fc.constant('extra' as const) }),
  );

describe('damaged index files', () => {
  beforeAll(async () => {
    const [recording, eventIndex, slowest, search] = await Promise.all([imp('recording/recording.js'), imp('query/index/event-index.js'), imp('query/slowest.js'), imp('query/search.js')]);
    lib = { Recording: recording.Recording, EventIndex: eventIndex.EventIndex, slowest: slowest.slowest, search: search.search };
    const r = record([process.execPath, fixture('cart.mjs')]);
    expect(r.code).toBe(0);
    dir = r.dir;
    const first = answers();
    expect(first.rebuilt).toBe('not built yet');
    baseline = first.text;
    pristine = `${dir}-pristine-index`;
    fs.cpSync(path.join(dir, 'index'), pristine, { recursive: true });
    files = fs.readdirSync(pristine).sort();
    expect(files).toContain('checksums.json');
  });

  it('an untouched index is used as it is', () => {
    restore();
    const again = answers();
    expect(again.rebuilt).toBeNull();
    expect(again.text).toBe(baseline);
  });

  it('every damage is rebuilt (same answers) or refused with a RecordingError (fast-check, seed 1126, 80 cases)', () => {
    const outcomes: Record<string, number> = {};
    fc.assert(
      fc.property(caseArb(files.length - 1), (c) => {
        restore();
        apply(c);
        let got: { text: string; rebuilt: string | null };
        try {
          got = answers();
        } catch (e) {
          if ((e as Error).name !== 'RecordingError') throw e;
          outcomes.refused = (outcomes.refused ?? 0) + 1;
          return;
        }
        expect(got.text).toBe(baseline);
        const key = got.rebuilt === null ? 'used' : got.rebuilt.replace(/\(.*\)/, '').trim();
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }),
      { seed: SEED, numRuns: 80, endOnFailure: true },
    );
    // Damage was noticed: nearly every case rebuilt (a few mutations leave the bytes as they were).
    expect(outcomes.damaged ?? 0).toBeGreaterThan(50);
  }, 240_000);
});
