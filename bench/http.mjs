#!/usr/bin/env node
// HTTP throughput benchmark on its own (`npm run bench:http [-- options]`); also part of
// `npm run bench` as the `http` scenario.
//
//   --rounds N        rounds (default 5; each round runs every variant once per app)
//   --quick           2 rounds of 3 s
//   --app NAME        express or fastify (repeatable; default both)
//   --variant NAME    plain, idle, boundary, boundary-full, full, otel (repeatable; default all; keep plain for ratios)
//   --node PATH       Node binary for the server and autocannon (default: this node)
//   --base DIR        also record the boundary variant with another built checkout (e.g. the commit
//                     before a change: `git worktree add /tmp/base <rev> && cd /tmp/base && npm ci`),
//                     interleaved with this one's, as variant boundary-base
//
// Needs `npm run build` first (the recorder runs from dist/).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/common.mjs';
import scenario, { APPS, VARIANTS } from './scenarios/http.mjs';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string' },
    quick: { type: 'boolean', default: false },
    app: { type: 'string', multiple: true },
    variant: { type: 'string', multiple: true },
    node: { type: 'string' },
    base: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
  process.exit(0);
}
if (!fs.existsSync(path.join(ROOT, 'dist/runtime/register.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const bad = [...(opts.app ?? []).filter((a) => !APPS.includes(a)), ...(opts.variant ?? []).filter((v) => !VARIANTS.some((x) => x.key === v))];
if (bad.length) {
  console.error(`unknown app or variant: ${bad.join(', ')}`);
  process.exit(2);
}
if (opts.base && !fs.existsSync(path.join(opts.base, 'dist/runtime/register.js'))) {
  console.error(`--base ${opts.base}: no built checkout there (dist/runtime/register.js is missing)`);
  process.exit(2);
}
const node = opts.node ?? process.execPath;
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const ctx = { node, version, quick: opts.quick, rounds: opts.rounds ? Number(opts.rounds) : undefined, apps: opts.app, variants: opts.variant, base: opts.base && path.resolve(opts.base), log: (s) => process.stderr.write(`${s}\n`) };
const out = await scenario.run(ctx);
console.log(`## ${scenario.title} — Node ${version}\n\n${out.markdown}`);
