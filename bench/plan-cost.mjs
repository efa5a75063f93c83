#!/usr/bin/env node
// Calibrates the planner's cost model (src/plan/cost.ts): ns added per call of a one-line
// function at each level, and per property write, recorded (`cinema record --level L`) vs plain,
// interleaved rounds. `node bench/plan-cost.mjs [--rounds N] [--calls N]`
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH, CINEMA, ROOT, fmt, median, parseResult, removeDir, table } from './lib/common.mjs';

const { values: opts } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, calls: { type: 'string', default: '2000000' } } });
const workload = path.join(BENCH, 'apps', 'plan-cost-workload.mjs');
const levels = ['plain', 'off', 'boundary', 'calls', 'full'];
const acc = {};
for (let round = 0; round < Number(opts.rounds); round++) {
  for (const kind of ['call', 'write']) {
    for (let i = 0; i < levels.length; i++) {
      const level = levels[(i + round) % levels.length];
      const out = path.join(BENCH, '.work', `plan-cost-${process.pid}-${level}`);
      const cmd = level === 'plain' ? [workload] : [CINEMA, 'record', '-q', '-o', out, '--level', level, '--', process.execPath, workload];
      const r = spawnSync(process.execPath, cmd, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_CALLS: opts.calls, BENCH_KIND: kind } });
      removeDir(out);
      const res = parseResult(r.stdout);
      if (!res) throw new Error(`${level} ${kind} failed: ${r.stderr}`);
      ((acc[kind] ??= {})[level] ??= []).push((res.ms * 1e6) / res.n);
    }
  }
}
const m = (kind, level) => median(acc[kind][level]);
const rows = levels.slice(1).map((l) => [l, fmt(m('call', l) - m('call', 'plain'), 1), fmt(m('write', l) - m('call', l) - (m('write', 'plain') - m('call', 'plain')), 1)]);
console.log(`ns per call of a one-line function (plain: ${fmt(m('call', 'plain'), 1)} ns), and per property write, added by recording at each level (compiled at full, run at the level); medians of ${opts.rounds} interleaved rounds, ${Number(opts.calls).toLocaleString('en')} calls each\n`);
console.log(table(['level', 'ns added per call', 'ns added per write'], rows));
const bytes = parseResult(spawnSync(process.execPath, [path.join(BENCH, 'lib', 'plan-bytes-child.mjs')], { encoding: 'utf8' }).stdout);
console.log(`\nvalue records: a call with a fresh 10-key object costs ${fmt(bytes.objNs, 0)} ns vs ${fmt(bytes.intNs, 0)} ns with an int; ${fmt(bytes.bytesPerCall, 0)} bytes per record → ${fmt(bytes.nsPerByte, 1)} ns per byte`);
