#!/usr/bin/env node
// Checks that every import in src/ follows the layer rules in docs/architecture.md:
// each folder may import only the folders listed for it (and itself). Exits 1 on a violation.
import fs from 'node:fs';
import path from 'node:path';

const allowed = {
  format: [],
  instrument: ['format'],
  recording: ['format'],
  capture: ['format', 'recording'],
  runtime: ['format', 'instrument', 'capture', 'recording'],
  correlate: ['format', 'recording'],
  query: ['format', 'recording', 'correlate'],
  insight: ['format', 'recording', 'correlate', 'query'],
  server: ['format', 'recording', 'correlate', 'query', 'insight'],
  mcp: ['format', 'recording', 'correlate', 'query', 'insight'],
  dap: ['format', 'recording', 'correlate', 'query'],
  plugins: ['format', 'instrument'],
  interop: ['format', 'recording', 'correlate', 'query'],
  plan: ['format', 'instrument', 'recording', 'query', 'insight'],
  cli: ['format', 'recording', 'correlate', 'query', 'insight', 'server', 'mcp', 'dap', 'runtime', 'instrument', 'plugins', 'interop', 'plan'],
  public: ['format', 'recording', 'correlate', 'query', 'insight', 'server', 'mcp', 'dap', 'cli', 'runtime', 'instrument', 'plugins', 'interop', 'plan'],
};

const root = path.resolve(process.argv[2] ?? 'src');
const problems = [];
let checked = 0;

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.[cm]?tsx?$/.test(e.name)) yield p;
  }
}

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

for (const file of walk(root)) {
  const rel = path.relative(root, file);
  const layer = rel.split(path.sep)[0];
  if (!(layer in allowed)) {
    problems.push(`${rel}: folder '${layer}' is not in the layer table (scripts/check-layers.mjs, docs/architecture.md)`);
    continue;
  }
  if (path.basename(file) !== path.basename(file).toLowerCase() || /[_ ]/.test(path.basename(file))) problems.push(`${rel}: file names are kebab-case`);
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.')) continue;
    const target = path.relative(root, path.resolve(path.dirname(file), spec));
    const targetLayer = target.split(path.sep)[0];
    if (target.startsWith('..')) problems.push(`${rel}: imports outside src/: ${spec}`);
    else if (targetLayer !== layer && !allowed[layer].includes(targetLayer)) problems.push(`${rel}: ${layer}/ may not import ${targetLayer}/ (${spec})`);
    checked++;
  }
}

// The web app (ui/src) talks to the server over HTTP: it may import its own files, the server's
// contract as types only, and the pure modules listed here, which the bundle takes in as they are
// and which therefore may themselves import types only.
const uiShared = { 'src/server/api.ts': 'types', 'src/recording/value-text.ts': 'code' };
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const uiRoot = path.join(repo, 'ui', 'src');
const typeOnly = (m) => /^\s*(?:import|export)\s+type\b/.test(m[0]) && m[1] !== undefined;
if (fs.existsSync(uiRoot) && !process.argv[2]) {
  for (const file of walk(uiRoot)) {
    const rel = path.relative(repo, file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) continue;
      const target = path.relative(repo, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts');
      const shared = uiShared[target];
      if (target.startsWith(`ui${path.sep}src${path.sep}`)) checked++;
      else if (shared === 'code' || (shared === 'types' && typeOnly(m))) checked++;
      else problems.push(`${rel}: ui/src may import only ui/src, ${Object.keys(uiShared).join(', ')} (the first as types only): ${spec}`);
    }
  }
  for (const [shared, kind] of Object.entries(uiShared)) {
    if (kind !== 'code') continue;
    for (const m of fs.readFileSync(path.join(repo, shared), 'utf8').matchAll(importRe))
      if (!typeOnly(m)) problems.push(`${shared}: the web app bundles it, so it may import types only: ${m[1] ?? m[2] ?? m[3]}`);
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`check-layers: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`check-layers: ${checked} imports follow the layer rules`);
