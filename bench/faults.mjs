#!/usr/bin/env node
/**
 * SIGKILL at random moments, by the hundred: the harness of test/reliability/faults.test.ts with
 * more runs. Each run records test/fixtures/kill-target.mjs, kills it (or it and `cinema record`)
 * at a moment drawn from the seed, and checks that the recording opens and reads to its last
 * whole frame, a prefix of what the program did.
 *
 *   node bench/faults.mjs [--runs N] [--seed S] [--max-ms MS]
 *
 * Prints one line per failed run and a summary; exits 1 if any run failed. Needs `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as K from '../test/reliability/kill-harness.mjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' }, 'max-ms': { type: 'string', default: '600' } } });
const runs = Number(values.runs);
const seed = Number(values.seed);
const maxMs = Number(values['max-ms']);
if (!(runs > 0) || !Number.isInteger(seed) || !(maxMs >= 0)) {
  console.error('usage: node bench/faults.mjs [--runs N] [--seed S] [--max-ms MS]');
  process.exit(2);
}
const lib = await K.loadLib(root);
const scratch = K.makeScratch();
const tally = { ok: 0, failed: 0, empty: 0, complete: 0, events: 0 };
for (const plan of K.plans(seed, runs, maxMs)) {
  const v = await K.killRun(root, lib, plan, scratch);
  if (!v.ok) {
    tally.failed++;
    console.log(`run ${plan.index} ${JSON.stringify(plan)}: ${v.why}`);
  } else {
    tally.ok++;
    if (!v.events) tally.empty++;
    if (v.complete) tally.complete++;
    tally.events += v.events ?? 0;
  }
  fs.rmSync(path.join(scratch, `kill-${plan.index}`), { recursive: true, force: true });
}
fs.rmSync(scratch, { recursive: true, force: true });
console.log(`SIGKILL runs: ${runs} (seed ${seed}), read back ${tally.ok}, failed ${tally.failed}; ${tally.empty} killed before their first chunk, ${tally.complete} finished before the kill, ${tally.events} events read in all`);
process.exit(tally.failed ? 1 : 0);
