/**
 * esbuild plugin (`execution-cinema/esbuild`): bundles with every matching source file
 * instrumented, site ids allocated when each module runs (see src/instrument/runtime-base.ts), so
 * the bundle runs as it is and records under `cinema record`.
 *
 *   import { cinema } from 'execution-cinema/esbuild';
 *   await esbuild.build({ entryPoints: ['src/main.ts'], bundle: true, platform: 'node', sourcemap: true, plugins: [cinema()] });
 */
import { readFile } from 'node:fs/promises';
import { INSTRUMENTED_MARK } from '../format/probes.js';
import { inlineMapComment } from '../instrument/source-map.js';
import { aotLevels, instrumentSource, type AotOptions } from './aot.js';
import { sourceFilter, type FilterOptions } from './filter.js';

export type CinemaPluginOptions = AotOptions & FilterOptions;

/** The parts of esbuild's plugin API used here (esbuild itself is not a dependency). */
interface EsbuildPluginBuild {
  initialOptions: { banner?: Record<string, string> };
  onLoad(
    options: { filter: RegExp; namespace?: string },
    callback: (args: { path: string }) => Promise<{ contents?: string; loader?: string; warnings?: { text: string }[] } | undefined>,
  ): void;
}

export interface EsbuildPlugin {
  name: string;
  setup(build: EsbuildPluginBuild): void;
}

const LOADERS: Record<string, string> = { js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx', ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx' };

export function cinema(options: CinemaPluginOptions = {}): EsbuildPlugin {
  const accept = sourceFilter(options);
  // A bad plan or level fails the build here, once, with one line.
  const levels = aotLevels(options);
  return {
    name: 'execution-cinema',
    setup(build) {
      // The mark tells `cinema record` the bundle is instrumented already (esbuild drops comments).
      const banner = build.initialOptions.banner ?? {};
      build.initialOptions.banner = { ...banner, js: banner.js ? `${INSTRUMENTED_MARK}\n${banner.js}` : INSTRUMENTED_MARK };
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/, namespace: 'file' }, async (args) => {
        if (!accept(args.path)) return undefined;
        const code = await readFile(args.path, 'utf8');
        try {
          const r = instrumentSource(code, args.path, options, levels);
          const ext = args.path.slice(args.path.lastIndexOf('.') + 1);
          return { contents: `${r.code}\n${inlineMapComment(r.map)}\n`, loader: LOADERS[ext] ?? 'js' };
        } catch (e) {
          return { warnings: [{ text: `execution-cinema: left uninstrumented: ${(e as Error).message}` }] };
        }
      });
    },
  };
}

export default cinema;
