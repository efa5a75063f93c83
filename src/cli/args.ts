/** Argument parsing for every command: node's parseArgs, with errors turned into one usage line. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (e) {
    const msg = (e as Error).message;
    const ambiguous = /^Option '(--[\w-]+)'.*argument is ambiguous/.exec(msg);
    if (ambiguous) throw new UsageError(`option '${ambiguous[1]}' needs a value (for one that starts with '-', write ${ambiguous[1]}=-…)`);
    throw new UsageError(msg.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, ''));
  }
}

/** Parses a whole number option within bounds. */
export function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, not '${value}'`);
  return n;
}
