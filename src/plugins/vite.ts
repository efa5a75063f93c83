/**
 * Vite and Rollup plugin (`execution-cinema/vite`): instruments every matching module before other
 * transforms (`enforce: 'pre'`; with plain Rollup, list it first), site ids allocated when each
 * module runs, so a Node bundle (`vite build --ssr`, Rollup) runs as it is and records under
 * `cinema record`.
 *
 *   import { cinema } from 'execution-cinema/vite';
 *   export default { plugins: [cinema()], build: { ssr: 'src/main.ts', sourcemap: true } };
 */
import path from 'node:path';
import { INSTRUMENTED_MARK } from '../format/probes.js';
import { aotLevels, instrumentSource } from './aot.js';
import { sourceFilter } from './filter.js';
import type { CinemaPluginOptions } from './esbuild.js';

export type { CinemaPluginOptions };

/** The parts of the Rollup / Vite plugin API used here (neither is a dependency). */
export interface RollupPlugin {
  name: string;
  enforce: 'pre';
  transform(this: { warn(message: string): void }, code: string, id: string): { code: string; map: object } | null;
  banner(): string;
}

export function cinema(options: CinemaPluginOptions = {}): RollupPlugin {
  const accept = sourceFilter(options);
  // A bad plan or level fails the build here, once, with one line.
  const levels = aotLevels(options);
  return {
    name: 'execution-cinema',
    enforce: 'pre',
    transform(code, id) {
      if (id.startsWith('\0')) return null;
      const file = id.replace(/[?#].*$/, '');
      if (!path.isAbsolute(file) || !accept(file)) return null;
      try {
        const r = instrumentSource(code, file, options, levels);
        return { code: r.code, map: r.map };
      } catch (e) {
        this.warn(`execution-cinema: left uninstrumented: ${(e as Error).message}`);
        return null;
      }
    },
    // Tells `cinema record` the output is instrumented already.
    banner: () => INSTRUMENTED_MARK,
  };
}

export default cinema;
