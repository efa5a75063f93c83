/**
 * Test boundaries for `cinema record --failures-only`: the runner hooks (node-test.ts, mocha.ts)
 * call these at each test's start and end. A boundary is a MARK event {test, phase, file, failed,
 * error}; a failing test's end also asks the flight recorder to write its memory out
 * and prints where that test's recording will be, in the runner's own failure output.
 * Runs inside the recorded program: no imports beyond node built-ins, never throws.
 */
import path from 'node:path';

export const TESTS_ENV = 'EXECUTION_CINEMA_TESTS';
/** globalThis[Symbol.for(DUMP_KEY)]: in flight mode, writes the recorder's memory out (as SIGUSR2 does). */
export const DUMP_KEY = 'execution-cinema:dump';
const KEY = Symbol.for('execution-cinema');

interface MarkProbes {
  mark(site: number, message: unknown): void;
  flush(): void;
}

/** The directory name of a test's recording: its full name, made safe for a file system. */
export function testSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return slug || 'test';
}

function describe(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'object' && typeof (error as Error).message === 'string') return `${String((error as Error).name ?? 'Error')}: ${(error as Error).message.split('\n')[0]}`.slice(0, 300);
  return typeof error === 'string' ? error.slice(0, 500) : typeof error;
}

export function testBoundary(phase: 'start' | 'end', name: string, file?: string, failed?: boolean, error?: unknown): void {
  try {
    const probes = (globalThis as Record<symbol, MarkProbes | undefined>)[KEY];
    if (!probes) return;
    probes.mark(0, { test: name, phase, file, failed: phase === 'end' ? failed === true : undefined, error: failed ? describe(error) : undefined });
    if (phase !== 'end' || !failed) return;
    probes.flush();
    const base = process.env[TESTS_ENV];
    if (base) process.stderr.write(`  ↳ recording of this failure: cinema ui ${path.join(base, testSlug(name))}\n`);
    (globalThis as Record<symbol, (() => void) | undefined>)[Symbol.for(DUMP_KEY)]?.();
  } catch {
    // a boundary we cannot record is left out; the tests run on
  }
}
