import path from 'node:path';
import { resolveRecording } from '../../recording/locate.js';
import { Recording } from '../../recording/recording.js';
import { displayPath } from '../../recording/sources.js';
import { computeStats, type Stats } from '../../query/stats.js';
import { parse } from '../args.js';
import type { Command, Io } from '../command.js';
import { bytes, duration, num } from '../format.js';

export const stats: Command = {
  name: 'stats',
  summary: 'summarise a recording: events by kind, functions, duration, drops',
  usage: `cinema stats [REC] [--json]

Counts the events of a recording (the latest under .cinema/ when REC is not given).

Options:
      --json     print the numbers as JSON
  -h, --help     show this help`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, { json: { type: 'boolean' } });
    if (v.help) return io.help(this);
    const rec = Recording.open(resolveRecording(positionals[0]));
    const s = computeStats(rec);
    if (v.json) io.out(JSON.stringify(s, null, 2));
    else printStats(s, io);
    return 0;
  },
};

export function printStats(s: Stats, io: Io): void {
  const rel = path.relative(process.cwd(), s.recording) || '.';
  const kinds = Object.entries(s.byKind)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${num(n)}`)
    .join(' · ');
  const state = s.complete ? 'complete' : 'INCOMPLETE (the program was killed or is still running: read up to its last chunk)';
  io.out(`Recording   ${rel}  (${s.mode}, ${state})`);
  io.out(`Command     ${s.command.join(' ')}${s.exitCode !== null ? `   exit ${s.exitCode}` : ''}`);
  io.out(`Events      ${num(s.events)}${kinds ? `  (${kinds})` : ''}`);
  io.out(`Functions   ${num(s.functions)} distinct entered`);
  io.out(`Duration    ${duration(s.durationMs)}`);
  const losses = [`dropped ${num(s.dropped)}`];
  if (s.sampledOut) losses.push(`sampled out ${num(s.sampledOut)}`);
  if (s.evicted) losses.push(`aged out (flight window or size cap) ${num(s.evicted)}`);
  io.out(`Lost        ${losses.join(' · ')}`);
  io.out(`On disk     ${bytes(s.bytesOnDisk)} (${s.bytesPerEvent} bytes/event)`);
  io.out(`Processes   ${s.processes.length}`);
  for (const p of s.processes) {
    const end = p.complete ? `exit ${p.exitCode}` : p.missingChunks ? `exit ${p.exitCode}, file cut short` : 'cut short';
    let extra = p.truncatedBytes ? `, ${num(p.truncatedBytes)} bytes of an unfinished chunk ignored` : '';
    if (p.missingChunks) extra += `, ${num(p.missingChunks)} chunk(s) missing from the end of its segment file`;
    io.out(`  pid ${p.pid}${p.parentPid ? ` (child of ${p.parentPid})` : ''}: ${num(p.events)} events, ${p.threads.length} thread(s), ${end}${extra}`);
    io.out(`    ${p.argv.slice(1).join(' ')}`);
    if (p.diskError) io.out(`    disk error: ${p.diskError} (${num(p.dropped)} events lost)`);
    for (const f of p.skippedFiles) io.out(`    not instrumented: ${f.file} (${f.reason})`);
  }
  if (s.hottest.length) {
    io.out('Most called');
    for (const h of s.hottest) io.out(`  ${num(h.calls).padStart(12)}  ${h.name}  ${displayPath(h.location)}`);
  }
}

/** A path relative to the current directory when it is inside it, else as it is. */
