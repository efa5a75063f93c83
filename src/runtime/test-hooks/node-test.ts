/**
 * Loaded with `--import` into every process of `cinema record --failures-only -- node --test …`:
 * in a test file's process (node:test runs each file in a child with NODE_TEST_CONTEXT set),
 * root-level hooks mark every test's start and end, with its outcome.
 */
import { testBoundary } from './marks.js';

interface TestContext {
  fullName?: string;
  name: string;
  passed?: boolean;
  error?: unknown;
}

if (process.env.NODE_TEST_CONTEXT) {
  const { beforeEach, afterEach } = await import('node:test');
  const file = process.argv[1];
  const nameOf = (t: TestContext) => t.fullName ?? t.name;
  beforeEach((t) => testBoundary('start', nameOf(t as TestContext), file));
  afterEach((t) => {
    const c = t as TestContext;
    testBoundary('end', nameOf(c), file, c.passed === false, c.error);
  });
}
