import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, fixture, record, root } from '../helpers.js';

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
// Type stripping is on by default from Node 22.18 / 23.6; the flag exists from 22.6.
const canStrip = major > 22 || (major === 22 && minor >= 6);

function checkDist(dir: string) {
  const rows = JSON.parse(cinema(['query', dir, 'events', '--function', 'dist', '--json']).stdout) as { kind: string; file: string; line: number; value: unknown }[];
  expect(rows.map((r) => r.kind)).toEqual(['call', 'return']);
  // Locations point at the original TypeScript source.
  expect(rows[0]!.file).toBe(fixture('app.ts'));
  expect(rows[0]!.line).toBe(2);
  expect(rows[1]!.value).toBe(5);
}

describe('TypeScript entry points', () => {
  it('records a program run with tsx, locations in the .ts source', () => {
    const r = record([process.execPath, path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), fixture('app.ts')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('5\n');
    checkDist(r.dir);
  });

  it.runIf(canStrip)('records a program run with node --experimental-strip-types', () => {
    const r = record([process.execPath, '--experimental-strip-types', '--no-warnings', fixture('app.ts')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('5\n');
    checkDist(r.dir);
  });
});
