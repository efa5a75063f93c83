import fs from 'node:fs';
import path from 'node:path';
import { buildPlan, entry, explainLines } from '../../plan/build.js';
import { applyAdvice } from '../../plan/advice.js';
import { llmConfig } from '../../insight/llm.js';
import { parse, UsageError } from '../args.js';
import type { Command } from '../command.js';

export const plan: Command = {
  name: 'plan',
  summary: 'choose what to record per function: a plan for cinema record --plan',
  usage: `cinema plan [DIR] [options]

Analyses the JavaScript / TypeScript files under DIR (default: .; node_modules, .git and
.cinema are skipped) and gives every function a level:
  off       nothing recorded
  boundary  entry and exit, no values
  calls     entry and exit with arguments, result and thrown values
  full      calls plus the state the function writes
Functions that write state get full; handlers, exported API, I/O and branching code get calls;
trivial ones get boundary. With --from, call counts of an earlier recording and a cost model
demote hot leaf functions until the estimated overhead fits --budget (handlers keep their values).
The estimate prices values by kind (Node host objects such as req/res are recorded as a short
'request #N' tag at a fixed cost, other values by their size) and, for a server, adds a base cost
per HTTP request received that no level removes; the functions are fitted to the budget on their own.

Options:
      --from REC         recording of a typical run (cinema record) to take call counts from
      --budget PCT       highest estimated overhead, percent (with --from; e.g. 1)
      --basis WHAT       what the percentage is of: active (time inside recorded functions,
                         conservative; default) or wall (first to last event)
      --basis-ms MS      the program's busy time in ms, when known better (CPU profile, benchmark)
  -x, --exclude GLOB     files to leave out of the analysis (repeatable; relative to DIR)
  -o, --out FILE         write the plan here (default: print it)
      --advise           ask a language model for level changes (any OpenAI-compatible
                         endpoint: CINEMA_LLM_URL, CINEMA_LLM_KEY, CINEMA_LLM_MODEL; it sees
                         names, metrics and reasons, never source or values)
      --explain          say why each function got its level
      --json             with --explain: print the plan and the reasons as one JSON document
  -h, --help             show this help

The plan's format: docs/plan.schema.json. Use it with: cinema record --plan plan.json -- <cmd>

Examples:
  cinema plan src --explain
  cinema record -o .cinema/typical -- node server.js
  cinema plan . --from .cinema/typical --budget 1 --out plan.json`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, {
      from: { type: 'string' },
      budget: { type: 'string' },
      basis: { type: 'string' },
      'basis-ms': { type: 'string' },
      exclude: { type: 'string', short: 'x', multiple: true },
      out: { type: 'string', short: 'o' },
      explain: { type: 'boolean' },
      advise: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (v.help) return io.help(this);
    if (positionals.length > 1) throw new UsageError(`one folder at most, got ${positionals.length}`);
    const dir = positionals[0] ?? '.';
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`not a folder: ${dir}`);
    let budget: number | undefined;
    if (v.budget !== undefined) {
      budget = Number(v.budget.replace(/%$/, ''));
      if (!Number.isFinite(budget) || budget <= 0 || budget > 1000) throw new UsageError(`--budget takes a percentage above 0, not '${v.budget}'`);
      if (v.from === undefined) throw new UsageError('--budget needs --from REC: the call counts of a recording');
    }
    if (v.basis !== undefined && v.basis !== 'active' && v.basis !== 'wall') throw new UsageError(`--basis must be active or wall, not '${v.basis}'`);
    const llm = v.advise ? llmConfig() : null;
    if (v.advise && !llm) throw new UsageError('--advise needs a language model endpoint: set CINEMA_LLM_URL (and CINEMA_LLM_KEY, CINEMA_LLM_MODEL when needed)');
    let basisUs: number | undefined;
    if (v['basis-ms'] !== undefined) {
      basisUs = Number(v['basis-ms']) * 1000;
      if (!Number.isFinite(basisUs) || basisUs <= 0) throw new UsageError(`--basis-ms takes a time in ms above 0, not '${v['basis-ms']}'`);
    }
    const result = buildPlan({
      ...(basisUs !== undefined ? { basisUs } : {}),
      dir,
      ...(v.from !== undefined ? { from: v.from } : {}),
      ...(budget !== undefined ? { budget } : {}),
      ...(v.basis ? { basis: v.basis as 'active' | 'wall' } : {}),
      ...(v.exclude ? { exclude: v.exclude } : {}),
    });
    if (llm) {
      const advice = await applyAdvice(result.functions, budget, llm);
      result.plan.functions = result.functions.map(entry);
      result.notes.push(...advice.notes);
      if (advice.applied && result.plan.budget) result.notes.push('the estimate above is from before the advice');
    }
    if (v.out) {
      const out = path.resolve(v.out);
      // A root relative to the plan file keeps the plan valid when the project moves.
      const doc = { ...result.plan, root: path.relative(path.dirname(out), result.plan.root) || '.' };
      fs.writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
    }
    if (v.explain && v.json) {
      io.out(JSON.stringify({ plan: result.plan, notes: result.notes }, null, 2));
    } else if (v.explain) {
      for (const line of explainLines(result)) io.out(line);
    } else if (!v.out) {
      io.out(JSON.stringify(result.plan, null, 2));
    }
    if (v.out) {
      const counts = new Map<string, number>();
      for (const f of result.functions) counts.set(f.level, (counts.get(f.level) ?? 0) + 1);
      const summary = ['full', 'calls', 'boundary', 'off'].map((l) => `${counts.get(l) ?? 0} ${l}`).join(', ');
      const est = result.plan.budget ? `, estimated ${result.plan.budget.estimatedPercent}%` : '';
      io.err(`cinema plan: ${result.functions.length} functions (${summary}${est}) → ${v.out}`);
    }
    return 0;
  },
};
