/** `cinema record --plan FILE` / `--level LEVEL`: the plan handed to the recorded processes. */
import { levelNames, type LevelName, type PlanDocument } from '../format/levels.js';
import { loadPlan } from '../plan/schema.js';
import { UsageError } from './args.js';

export function planOption(file: string | undefined, level: string | undefined): PlanDocument | null {
  if (file !== undefined && level !== undefined) throw new UsageError('give --plan or --level, not both (a plan sets its own default level)');
  if (file !== undefined) return loadPlan(file);
  if (level === undefined) return null;
  if (!(levelNames as readonly string[]).includes(level)) throw new UsageError(`--level must be one of ${levelNames.join(', ')}, not '${level}'`);
  // Compiled with every probe, so `cinema control` can turn any function up later.
  return { version: 1, root: '.', default: level as LevelName, compile: 'full', rules: [], functions: [] };
}
