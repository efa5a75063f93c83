import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { root, tempDir } from '../helpers.js';

const extDir = path.join(root, 'editors', 'vscode');
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

/** The files of a zip archive (a .vsix is one), read from its central directory. */
function unzip(zip: Buffer): Map<string, Buffer> {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const out = new Map<string, Buffer>();
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = zip.readUInt16LE(eocd + 10); n > 0; n--) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('damaged central directory');
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    const local = zip.readUInt32LE(p + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

describe('the VS Code extension', () => {
  it('packages to a .vsix with its manifest, compiled code, readme and licence, and not its sources', () => {
    expect(fs.existsSync(path.join(extDir, 'dist', 'extension.js')), 'run npm run build first').toBe(true);
    const out = path.join(tempDir('cinema-vsix-'), 'execution-cinema.vsix');
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], { cwd: extDir, encoding: 'utf8', timeout: 230_000 });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const files = unzip(fs.readFileSync(out));
    expect([...files.keys()]).toEqual(expect.arrayContaining(['extension.vsixmanifest', 'extension/package.json', 'extension/dist/extension.js', 'extension/readme.md', 'extension/LICENSE.txt']));
    expect([...files.keys()].filter((n) => n.includes('/src/') || n.endsWith('.ts'))).toEqual([]);

    const manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8'));
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.contributes.debuggers.map((d: { type: string }) => d.type)).toEqual(['cinema']);
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toEqual(expect.arrayContaining(['executionCinema.recordAndDebugFile', 'executionCinema.recordAndDebugScript', 'executionCinema.openRecording', 'executionCinema.openInWebUi']));
    expect(manifest.contributes.menus['explorer/context'].some((m: { command: string }) => m.command === 'executionCinema.openRecording')).toBe(true);
    // The packaged code is the compiled extension: it starts the adapter as `cinema dap` and asks it for the web UI.
    const code = files.get('extension/dist/extension.js')!.toString('utf8');
    expect(code).toContain('registerDebugAdapterDescriptorFactory');
    expect(code).toContain('"dap"');
    expect(code).toContain('cinema/openUi');
    expect(code).not.toMatch(/require\("typescript"\)/);
  }, 240_000);
});
