/**
 * `cinema record --failures-only -- <test command>`: records the run in flight mode with test
 * boundary hooks loaded into the runner (node:test through --import, Mocha through a root hook
 * plugin, Jest through a test environment, Vitest through a setup file), then keeps a recording only for each failed test, named after it, and removes the rest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { splitFailures, testRuns } from '../interop/test-recordings.js';
import { Recording } from '../recording/recording.js';
import { TESTS_ENV, testSlug } from '../runtime/test-hooks/marks.js';
import type { Io } from './command.js';
import { recordCommand, type RecordOptions } from './record-command.js';
import { withVitestHooks } from './vitest-hooks.js';

const hook = (name: string) => fileURLToPath(new URL(`../runtime/test-hooks/${name}.js`, import.meta.url));

/** The command with the runner's hook added where the runner needs it on its command line. */
export function withRunnerHooks(command: string[]): string[] {
  const mocha = command.findIndex((a) => /(^|[\\/])_?mocha(\.c?js)?$/.test(a));
  if (mocha >= 0) return [...command.slice(0, mocha + 1), '--require', hook('mocha'), ...command.slice(mocha + 1)];
  // Jest: our environment wraps its node environment, unless the command chooses one itself.
  const jest = command.findIndex((a) => /(^|[\\/])jest(\.c?js)?$/.test(a));
  if (jest >= 0 && !command.some((a) => /^--(testEnvironment|env)(=|$)/.test(a))) return [...command.slice(0, jest + 1), '--testEnvironment', hook('jest-environment'), ...command.slice(jest + 1)];
  return command;
}

export async function recordFailuresOnly(command: string[], options: RecordOptions, io: Io, quiet: boolean): Promise<number> {
  const cwd = options.cwd ?? process.cwd();
  const base = path.resolve(cwd, options.out ?? path.join('.cinema', 'tests'));
  const temp = path.join(base, `.run-${Date.now()}-${process.pid}`);
  const show = (p: string) => (path.relative(cwd, p).startsWith('..') ? p : path.relative(cwd, p) || '.');
  const shown = show(base);
  const env = { ...(options.env ?? process.env) };
  const url = pathToFileURL(hook('node-test')).href;
  env.NODE_OPTIONS = `${env.NODE_OPTIONS ? `${env.NODE_OPTIONS} ` : ''}--import=${url.includes(' ') ? `"${url}"` : url}`;
  env[TESTS_ENV] = shown;
  const scratch = `${temp}-hooks`;
  const result = await recordCommand(withVitestHooks(withRunnerHooks(command), cwd, scratch, hook('vitest')), { ...options, mode: 'flight', out: temp, env }).finally(() => fs.rmSync(scratch, { recursive: true, force: true }));
  try {
    const rec = Recording.open(temp);
    const runs = testRuns(rec);
    const failed = splitFailures(rec, base, testSlug);
    if (!quiet) {
      for (const f of failed) io.err(`cinema: ✗ ${f.name}${f.error ? ` (${f.error})` : ''} → cinema ui ${show(f.dir)}`);
      if (runs.length === 0) io.err('cinema: no test boundaries were recorded: --failures-only knows node --test, mocha, jest and vitest');
      else io.err(`cinema: ${failed.length} of ${runs.length} tests failed${failed.length ? `; their recordings are in ${shown}` : '; no recording kept'}`);
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return result.status;
}
