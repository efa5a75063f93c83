/**
 * The plan file: its zod schema (the published JSON Schema, docs/plan.schema.json, is generated
 * from it), and loading with one-line errors that name the file, the field and what was expected.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { levelNames, type PlanDocument } from './levels.js';

export const SCHEMA_ID = 'https://execution-cinema.dev/plan.schema.json';

const level = z.enum(levelNames).describe('off: nothing; boundary: entry/exit without values; calls: with values; full: values and state writes');

export const planSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    root: z.string().min(1).describe('Folder the files are relative to; a relative root is taken from the plan file\'s folder'),
    default: level.describe('Level of a function no entry or rule names'),
    compile: z.enum(['full', 'plan']).describe('full: compile every function with all probes so levels can be raised at run time; plan: compile each function at its level (cheapest, levels can only go down)'),
    rules: z
      .array(
        z
          .object({
            include: z.string().min(1).describe('File glob, relative to root or absolute'),
            function: z.string().min(1).optional().describe('Function name or glob (Cart.add, Cart.*)'),
            level,
          })
          .strict(),
      )
      .describe('Applied in order before functions; the last match wins'),
    functions: z
      .array(
        z
          .object({
            file: z.string().min(1),
            name: z.string().min(1).describe('Qualified name as the recorder names it: f, Cart.add, <anonymous>'),
            line: z.number().int().positive().optional().describe('Line the function starts on, to tell apart functions of the same name'),
            level,
            why: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .describe('Exact entries; they win over rules'),
    budget: z.object({ percent: z.number().nonnegative(), estimatedPercent: z.number().nonnegative(), source: z.string() }).strict().optional(),
  })
  .strict();

export class PlanError extends Error {}

/** Checks a parsed plan; throws a PlanError naming the first problem. */
export function parsePlan(data: unknown, where: string): PlanDocument {
  const r = planSchema.safeParse(data);
  if (r.success) return r.data as PlanDocument;
  const issue = r.error.issues[0]!;
  const at = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
  throw new PlanError(`${where}: ${at}: ${issue.message}`);
}

/** Reads and checks a plan file; its root comes back absolute. */
export function loadPlan(file: string): PlanDocument {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PlanError(code === 'ENOENT' ? `plan not found: ${file}` : `cannot read plan ${file} (${code})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PlanError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const plan = parsePlan(data, file);
  return { ...plan, root: path.resolve(path.dirname(path.resolve(file)), plan.root) };
}

/** The published JSON Schema of a plan file. */
export function planJsonSchema(): object {
  return { ...z.toJSONSchema(planSchema), $id: SCHEMA_ID, title: 'Execution Cinema instrumentation plan' };
}
