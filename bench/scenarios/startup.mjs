// Start-up of a large app, plain vs recorded with a cold and a warm transform cache: a generated
// app of 300 ES modules (20 functions each) that also loads lodash, marked, acorn and typescript.js
// (9 MB), everything instrumented. Wall time of the whole command, median over rounds, variants
// interleaved.
import fs from 'node:fs';
import path from 'node:path';
import { CINEMA, INSTRUMENT_ALL, ROOT, WORK, fmt, freshDir, median, removeDir, rotated, run, table } from '../lib/common.mjs';

const MODULES = 300;

function generateApp() {
  const dir = path.join(WORK, 'startup-app');
  if (fs.existsSync(path.join(dir, 'main.mjs'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  for (let m = 0; m < MODULES; m++) {
    const fns = [];
    for (let f = 0; f < 20; f++) fns.push(`export function f${f}(a, b) {\n  const o = { a, b, n: ${f} };\n  if (a > b) return f${(f + 1) % 20}(b, a);\n  return o.a + o.b + o.n;\n}`);
    const dep = m > 0 ? `import { f0 as prev } from './m${m - 1}.mjs';\nexport const chain = () => prev(1, 2);\n` : '';
    fs.writeFileSync(path.join(dir, `m${m}.mjs`), `${dep}${fns.join('\n')}\n`);
  }
  const imports = Array.from({ length: MODULES }, (_, m) => `import * as m${m} from './m${m}.mjs';`).join('\n');
  fs.writeFileSync(
    path.join(dir, 'main.mjs'),
    `${imports}\nimport { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});\n` +
      `const libs = ['lodash', 'marked', 'acorn', 'typescript'].map((n) => require(n));\n` +
      `let s = 0;\n${Array.from({ length: MODULES }, (_, m) => `s += m${m}.f0(2, 1);`).join('\n')}\nconsole.log('ok', s, libs.length);\n`,
  );
  return dir;
}

export default {
  name: 'startup',
  title: 'Start-up of a large app (300 modules + lodash, marked, acorn, typescript.js): cold and warm transform cache',
  async run(ctx) {
    const app = generateApp();
    const main = path.join(app, 'main.mjs');
    const warmCache = freshDir('startup-cache-warm');
    const variants = [
      { key: 'plain', label: 'plain node', cache: null, record: false },
      { key: 'off', label: 'recorded, no cache', cache: 'off', record: true },
      { key: 'cold', label: 'recorded, cold cache (empty)', cache: 'fresh', record: true },
      { key: 'warm', label: 'recorded, warm cache', cache: warmCache, record: true },
      // What a user gets by default: node_modules (here the four libraries) run uninstrumented.
      { key: 'warm-default', label: 'recorded, warm cache, default filter (app only)', cache: warmCache, record: true, filter: [] },
    ];
    // Fill the warm cache once.
    await run(ctx.node, [CINEMA, 'record', '-q', '--out', freshDir('startup-rec'), ...INSTRUMENT_ALL, '--', ctx.node, main], { env: { EXECUTION_CINEMA_CACHE: warmCache } });
    const wall = Object.fromEntries(variants.map((v) => [v.key, []]));
    const rounds = ctx.quick ? 2 : 5;
    for (let r = 0; r < rounds; r++) {
      for (const v of rotated(variants, r)) {
        const cache = v.cache === 'fresh' ? freshDir('startup-cache-cold') : v.cache;
        const rec = v.record ? freshDir('startup-rec') : null;
        const args = v.record ? [CINEMA, 'record', '-q', '--out', rec, ...(v.filter ?? INSTRUMENT_ALL), '--', ctx.node, main] : [main];
        const out = await run(ctx.node, args, { env: cache ? { EXECUTION_CINEMA_CACHE: cache } : {} });
        if (out.code !== 0 || !out.stdout.startsWith('ok')) ctx.log(`  ${v.key}: exit ${out.code} ${out.stderr.slice(0, 300)}`);
        else wall[v.key].push(out.wallMs);
        ctx.log(`  ${v.key} round ${r}: ${fmt(out.wallMs, 0)} ms`);
        removeDir(rec);
        if (v.cache === 'fresh') removeDir(cache);
      }
    }
    removeDir(warmCache);
    const plain = median(wall.plain);
    const rows = variants.map((v) => ({ variant: v.label, ms: median(wall[v.key]), vsPlain: median(wall[v.key]) / plain }));
    const markdown = table(['variant', 'wall ms (median)', 'vs plain'], rows.map((r) => [r.variant, fmt(r.ms, 0), `${fmt(r.vsPlain, 2)}x`]));
    return { rows, markdown, headline: Object.fromEntries(rows.map((r) => [r.variant, r.vsPlain])) };
  },
};
