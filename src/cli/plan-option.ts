/** `cinema record --plan FILE` / `--level LEVEL`: the plan handed to the recorded processes. */
import { levelNames, type PlanDocument } from '../format/levels.js';
import { loadPlan } from '../format/plan-schema.js';
import { isLevelName, levelPlan } from '../instrument/plan-levels.js';
import { UsageError } from './args.js';

export function planOption(file: string | undefined, level: string | undefined): PlanDocument | null {
  if (file !== undefined && level !== undefined) throw new UsageError('give --plan or --level, not both (a plan sets its own default level)');
  if (file !== undefined) return loadPlan(file);
  if (level === undefined) return null;
  if (!isLevelName(level)) throw new UsageError(`--level must be one of ${levelNames.join(', ')}, not '${level}'`);
  // Compiled with every probe, so `cinema control` can turn any function up later.
  return levelPlan(level);
}
