import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, fixture, record, tempDir } from '../helpers.js';

describe('export, ls, rm', () => {
  it('exports every event to Parquet, read back by hyparquet with the known cart totals', async () => {
    const { dir } = record(['node', fixture('cart.mjs')]);
    const out = path.join(tempDir(), 'events.parquet');
    const r = cinema(['export', dir, '--format', 'parquet', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const { rows } = JSON.parse(r.stdout) as { rows: number };
    const { parquetReadObjects } = await import('hyparquet');
    const buf = fs.readFileSync(out);
    const data = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer })) as { id: number; kind: string; function: string | null; value: string | null }[];
    expect(data).toHaveLength(rows);
    expect(data.map((d) => d.id)).toEqual([...Array(rows).keys()]);
    const totals = data.filter((d) => d.kind === 'write' && d.value?.includes('"total"')).map((d) => (JSON.parse(d.value!) as { items: unknown[] }).items[2]);
    expect(totals).toEqual([0, 30, 50, 40, 36]);
    expect(cinema(['export', dir, '--format', 'csv', '--out', out]).code).toBe(2);
    expect(cinema(['export', dir, '--format', 'parquet']).code).toBe(2);
  });

  it('ls lists recordings under .cinema/ and rm removes only recordings', () => {
    const cwd = tempDir();
    expect(cinema(['record', '--', 'node', fixture('fib.mjs')], { cwd }).code).toBe(0);
    const list = JSON.parse(cinema(['ls', '--json'], { cwd }).stdout) as { name: string; bytes: number; complete: boolean; command: string[] }[];
    expect(list).toHaveLength(1);
    expect(list[0]!.complete).toBe(true);
    expect(list[0]!.bytes).toBeGreaterThan(0);
    expect(list[0]!.command.join(' ')).toContain('fib.mjs');
    expect(cinema(['ls'], { cwd }).stdout).toContain(list[0]!.name);
    const notRec = path.join(cwd, 'src');
    fs.mkdirSync(notRec);
    const refused = cinema(['rm', notRec], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not a recording');
    expect(fs.existsSync(notRec)).toBe(true);
    expect(cinema(['rm', '.'], { cwd }).code).toBe(1);
    expect(cinema(['rm', list[0]!.name], { cwd }).code).toBe(0);
    expect(JSON.parse(cinema(['ls', '--json'], { cwd }).stdout)).toEqual([]);
  });
});
