/**
 * A Jest test environment (`--testEnvironment`) for `cinema record --failures-only`: Jest's own
 * node environment, plus test boundaries from jest-circus's events. It runs in the worker's own
 * context, where the recorder's probes are.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { testBoundary } from './marks.js';

interface CircusTest {
  name: string;
  parent?: CircusTest;
  errors?: unknown[];
}
type Base = new (...args: unknown[]) => { handleTestEvent?(event: unknown, state: unknown): unknown };

const require = createRequire(path.join(process.cwd(), 'package.json'));
const loaded = require('jest-environment-node') as { default?: Base; TestEnvironment?: Base };
const NodeEnvironment = (loaded.TestEnvironment ?? loaded.default ?? loaded) as Base;

function fullName(t: CircusTest): string {
  const parts: string[] = [];
  for (let x: CircusTest | undefined = t; x; x = x.parent) if (x.name !== 'ROOT_DESCRIBE_BLOCK') parts.unshift(x.name);
  return parts.join(' > ');
}

export default class CinemaEnvironment extends NodeEnvironment {
  #file: string | undefined;

  constructor(...args: unknown[]) {
    super(...args);
    this.#file = (args[1] as { testPath?: string } | undefined)?.testPath;
  }

  override handleTestEvent(event: unknown, state: unknown): unknown {
    const e = event as { name: string; test?: CircusTest };
    if (e.name === 'test_start' && e.test) testBoundary('start', fullName(e.test), this.#file);
    else if (e.name === 'test_done' && e.test) testBoundary('end', fullName(e.test), this.#file, (e.test.errors?.length ?? 0) > 0, firstError(e.test.errors));
    return super.handleTestEvent?.(event, state);
  }
}

/** jest-circus keeps an error as the error or as [error, asyncError]. */
function firstError(errors: unknown[] | undefined): unknown {
  const e = errors?.[0];
  return Array.isArray(e) ? e[0] : e;
}
