/**
 * Load-time instrumentation shared by every hook (CommonJS `_compile`, ESM `registerHooks`,
 * ESM `module.register` in its hooks thread): filter, transform, record the module's site table,
 * and fail open — a file that cannot be transformed runs as it is and the recording lists it.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Shared } from '../format/layout.js';
import { MAX_SITE } from '../format/events.js';
import type { LoadedModule } from '../format/sites.js';
import { transform } from '../instrument/transform.js';
import { appendPrivateLine, files } from '../recording/layout.js';
import type { RuntimeConfig } from './config.js';
import { fileFilter } from './filter.js';

export type Instrument = (code: string, fileOrUrl: string, module: 'esm' | 'cjs') => string;

/** The URL instrumented ES modules import the probe object from. */
export const probesImport = pathToFileURL(path.join(path.dirname(new URL(import.meta.url).pathname), 'probes-export.js')).href;

export function createInstrumenter(config: RuntimeConfig, shared: Int32Array, procDir: string, thread: number): Instrument {
  const accept = fileFilter(config);
  const sitesFile = path.join(procDir, files.sites);
  const skippedFile = path.join(procDir, files.skipped);
  return (code, fileOrUrl, module) => {
    const file = accept(fileOrUrl);
    if (file === null) return code;
    try {
      const result = transform(code, {
        filename: file,
        module,
        values: config.values,
        probesImport,
        siteBase: (count: number) => {
          const base = Atomics.add(shared, Shared.NEXT_SITE, count);
          if (base + count > MAX_SITE) throw new Error(`more than ${MAX_SITE} sites in one process`);
          return base;
        },
      });
      const loaded: LoadedModule = { ...result.sites, base: result.base, pid: process.pid, thread };
      appendPrivateLine(sitesFile, JSON.stringify(loaded));
      return result.code;
    } catch (e) {
      const reason = (e as Error).message ?? String(e);
      if (reason !== 'already instrumented') {
        try {
          appendPrivateLine(skippedFile, JSON.stringify({ file, reason }));
        } catch {
          // the recording directory is gone: nothing more we can do, and the program runs on
        }
      }
      return code;
    }
  };
}
