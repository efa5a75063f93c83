import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Recording tests spawn real processes; two cores are all CI has.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for a condition (the web UI catching up with a drag…): 1 s, the default,
    // was not always enough on a loaded 2-core machine; a wrong value still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    maxWorkers: 2,
  },
});
