/**
 * Vitest test boundaries, loaded as a setup file by the config `cinema record --failures-only`
 * wraps around the project's (src/cli/vitest-hooks.ts). The project's `vitest` is passed in,
 * so the hooks come from the same copy of Vitest that runs the tests.
 */
import { testBoundary } from './marks.js';

interface Task {
  name: string;
  suite?: Task;
  file?: { filepath?: string };
  result?: { state?: string; errors?: unknown[] };
}
interface Context {
  task: Task;
  onTestFinished(fn: (c: { task: Task }) => void): void;
}
interface VitestApi {
  beforeEach(fn: (c: Context) => void): void;
}

function fullName(t: Task): string {
  const parts: string[] = [];
  for (let x: Task | undefined = t; x; x = x.suite) if (x.name) parts.unshift(x.name);
  return parts.join(' > ');
}

export function installVitestHooks(vitest: VitestApi): void {
  vitest.beforeEach((ctx) => {
    const name = fullName(ctx.task);
    const file = ctx.task.file?.filepath;
    testBoundary('start', name, file);
    ctx.onTestFinished(({ task }) => testBoundary('end', name, file, task.result?.state === 'fail', task.result?.errors?.[0]));
  });
}
