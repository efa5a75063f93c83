/** `cinema insights [REC]`: the likely causes of problems in a recording, found by the detectors in src/insight. */
import { resolveRecording } from '../../recording/locate.js';
import { Recording } from '../../recording/recording.js';
import { findingKinds, runInsights, type Finding, type FindingKind } from '../../insight/index.js';
import { llmConfig, summarize } from '../../insight/llm.js';
import { intOption, parse, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { openWithProgress } from './query.js';
import { displayPath } from '../../recording/sources.js';

export const insights: Command = {
  name: 'insights',
  summary: 'find likely causes of problems: uncaught errors, slow calls, N+1, lost updates…',
  usage: `cinema insights [REC] [options]

Runs the detectors over a recording (the latest under .cinema/ when REC is not given) and prints
what they found, most severe first, each with an explanation, the source lines and the event ids
(for cinema query stack/calltree). Detectors: ${findingKinds.join(', ')}.

Options:
  -k, --kind KIND       run only this detector (repeatable)
      --blocking-ms N   a synchronous stretch longer than N ms blocks the event loop (default 50)
      --n-plus-one N    repeated awaits of one site that count as N+1 (default 5)
      --summary         add a summary by a language model (needs CINEMA_LLM_URL: any
                        OpenAI-compatible endpoint; CINEMA_LLM_KEY, CINEMA_LLM_MODEL optional)
      --json            print the report as JSON
  -h, --help            show this help`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, {
      kind: { type: 'string', short: 'k', multiple: true },
      'blocking-ms': { type: 'string' },
      'n-plus-one': { type: 'string' },
      json: { type: 'boolean' },
      summary: { type: 'boolean' },
    });
    if (v.help) return io.help(this);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const llm = v.summary ? llmConfig() : null;
    if (v.summary && !llm) throw new UsageError('--summary needs a language model endpoint: set CINEMA_LLM_URL (and CINEMA_LLM_KEY, CINEMA_LLM_MODEL when needed)');
    const only = v.kind as string[] | undefined;
    for (const k of only ?? []) if (!findingKinds.includes(k as FindingKind)) throw new UsageError(`unknown detector '${k}' (detectors: ${findingKinds.join(', ')})`);
    const rec = Recording.open(resolveRecording(positionals[0]));
    const index = openWithProgress(rec, io);
    try {
      const report = runInsights(index, {
        ...(only ? { only: only as FindingKind[] } : {}),
        blockingMs: intOption(v['blocking-ms'] as string | undefined, 'blocking-ms', 50, 1, 3_600_000),
        nPlusOneMin: intOption(v['n-plus-one'] as string | undefined, 'n-plus-one', 5, 2, 1_000_000),
      });
      const summary = llm ? await summarize(report, llm) : undefined;
      if (v.json) {
        io.out(JSON.stringify(summary === undefined ? report : { ...report, summary }, null, 2));
        return 0;
      }
      if (summary !== undefined) io.out(`Summary (${llm!.model}):\n${summary}\n`);
      if (!report.complete) io.out('(the recording is incomplete: detectors that need the end of the run are skipped)');
      if (report.truncatedThreads) io.out(`(${report.truncatedThreads} thread(s) analysed only in part: too many events)`);
      for (const e of report.errors) io.err(`cinema insights: detector ${e.detector} failed: ${e.message}`);
      if (report.findings.length === 0) {
        io.out(`No problems found in ${report.events.toLocaleString('en-US')} events.`);
        return 0;
      }
      io.out(`${report.findings.length} finding(s) in ${report.events.toLocaleString('en-US')} events:\n`);
      for (const f of report.findings) for (const line of formatFinding(f)) io.out(line);
    } finally {
      index.close();
    }
    return 0;
  },
};

export function formatFinding(f: Finding): string[] {
  const out = [`[${f.severity}] ${f.title}`, `  ${f.kind} · ${f.id}`];
  for (const line of wrap(f.explanation, 96)) out.push(`  ${line}`);
  for (const l of f.locations) out.push(`  at ${displayPath(l.file)}:${l.line}${l.what ? `  (${l.what})` : ''}`);
  out.push(`  events ${f.events.map((e) => `@${e}`).join(' ')}`, '');
  return out;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
