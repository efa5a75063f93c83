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

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`check-layers: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`check-layers: ${checked} imports follow the layer rules`);
