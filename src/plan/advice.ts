/**
 * Optional advice from a language model (any OpenAI-compatible endpoint, CINEMA_LLM_URL): it sees
 * the functions with their metrics, levels and reasons (names and numbers, never source or
 * values) and may suggest other levels. A suggestion is applied only when it names a function of
 * the plan, gives a known level and respects the function's floor; the rest are reported.
 */
import { z } from 'zod';
import { levelNames } from '../format/levels.js';
import { chat, type LlmConfig } from '../insight/llm.js';
import type { Budgeted } from './cost.js';

const suggestions = z.array(z.object({ file: z.string(), name: z.string(), line: z.number().optional(), level: z.enum(levelNames), why: z.string().default('') }));

export function advicePrompt(functions: Budgeted[], budget: number | undefined): string {
  const rows = functions.slice(0, 300).map((b) => {
    const m = b.fn.metrics;
    const usage = b.profile ? ` calls=${b.profile.calls} writes=${b.profile.writes}` : '';
    return `${b.fn.file}:${b.fn.line} ${b.fn.name} level=${b.level} floor=${b.floor} lines=${b.fn.lines} complexity=${m.complexity} loops=${m.loops}${usage} | ${b.why.join('; ')}`;
  });
  return [
    `An execution recorder records each function at a level: off, boundary (entry/exit), calls (with values), full (values and state writes).`,
    `A planner chose these levels${budget !== undefined ? ` for an overhead budget of ${budget}%` : ''}:`,
    '',
    ...rows,
    '',
    'Suggest changes only where debugging value clearly differs from this choice (e.g. code where bugs likely hide deserves more, hot trivial code less).',
    'Answer with a JSON array only: [{"file": "...", "name": "...", "line": N, "level": "off|boundary|calls|full", "why": "..."}]; [] when nothing should change.',
  ].join('\n');
}

export interface AdviceResult {
  applied: number;
  notes: string[];
}

export async function applyAdvice(functions: Budgeted[], budget: number | undefined, config: LlmConfig): Promise<AdviceResult> {
  const answer = await chat(config, 'You help choose instrumentation levels for an execution recorder. Reply with JSON only.', advicePrompt(functions, budget));
  const start = answer.indexOf('[');
  const end = answer.lastIndexOf(']');
  let parsed: z.infer<typeof suggestions>;
  try {
    parsed = suggestions.parse(JSON.parse(answer.slice(start, end + 1)));
  } catch {
    throw new Error('the language model did not answer with a JSON array of {file, name, level, why}');
  }
  const notes: string[] = [];
  let applied = 0;
  for (const s of parsed) {
    const target = functions.find((b) => b.fn.file === s.file && b.fn.name === s.name && (s.line === undefined || b.fn.line === s.line));
    if (!target) {
      notes.push(`advice ignored: no function ${s.name} in ${s.file}`);
      continue;
    }
    if (levelNames.indexOf(s.level) < levelNames.indexOf(target.floor)) {
      notes.push(`advice ignored: ${s.file}:${target.fn.line} ${s.name} stays at ${target.level} (not below ${target.floor})`);
      continue;
    }
    if (s.level === target.level) continue;
    target.why.push(`language model: ${target.level} → ${s.level}${s.why ? `: ${s.why}` : ''}`);
    target.level = s.level;
    applied++;
  }
  notes.push(`language model advice (${config.model}): ${applied} change${applied === 1 ? '' : 's'} applied`);
  return { applied, notes };
}
