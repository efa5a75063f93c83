/** A Mocha root hook plugin (`--require`): marks every test's start and end, with its outcome. */
import { testBoundary } from './marks.js';

interface MochaTest {
  fullTitle(): string;
  file?: string;
  state?: string;
  err?: unknown;
}

export const mochaHooks = {
  beforeEach(this: { currentTest?: MochaTest }) {
    const t = this.currentTest;
    if (t) testBoundary('start', t.fullTitle(), t.file);
  },
  afterEach(this: { currentTest?: MochaTest }) {
    const t = this.currentTest;
    if (t) testBoundary('end', t.fullTitle(), t.file, t.state === 'failed', t.err);
  },
};
