/**
 * Load-time instrumentation shared by every hook (CommonJS `_compile`, ESM `registerHooks`,
 * ESM `module.register` in its hooks thread): filter, transform (or take the transform from the
 * on-disk cache), and fail open — a file that cannot be transformed runs as it is and the
 * recording lists it. Site ids are allocated when a module runs: its prologue hands the site table
 * to the `load` probe of the thread that runs it (src/instrument/runtime-base.ts), so the same
 * transformed text serves every process, thread and later run.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform, type TransformOptions } from '../instrument/transform.js';
import { appendPrivateLine, files } from '../recording/layout.js';
import type { RuntimeConfig } from './config.js';
import { fileFilter } from './filter.js';
import { planLevels } from './levels.js';
import { TransformCache, cacheDir, type CachedTransform } from './transform-cache.js';

export type Instrument = (code: string, fileOrUrl: string, module: 'esm' | 'cjs') => string;

/** The URL of a module whose default export is the probe object (for code instrumented with literal ids). */
export const probesImport = pathToFileURL(path.join(path.dirname(new URL(import.meta.url).pathname), 'probes-export.js')).href;

export function createInstrumenter(config: RuntimeConfig, procDir: string): Instrument {
  const accept = fileFilter(config);
  const skippedFile = path.join(procDir, files.skipped);
  const dir = config.cache === undefined ? cacheDir(config.cwd) : config.cache;
  const cache = dir === null ? null : new TransformCache(dir);
  // Only a file that came with an inline map gets one (the composed map), whether source maps are
  // on now or not (tsx turns them on after we start): Node prints frames of a file it has a map
  // for differently from plain ones, and lines match anyway (every insertion stays on its line;
  // columns are mapped back when a stack is formatted, src/runtime/stack-columns.ts).
  const maps = 'input';
  const writes = config.values && config.writes !== false;
  const plan = config.plan ? planLevels(config.plan, config.cwd) : null;
  const planKey = plan ? createHash('sha1').update(JSON.stringify(config.plan)).digest('hex').slice(0, 12) : '';
  const options = `${config.values ? 'v' : '-'}${writes ? 'w' : '-'}${planKey}`;
  // With in-thread hooks (registerHooks), the transformer's own lazily loaded modules come
  // through here while it is working: those load as they are.
  let busy = false;
  return (code, fileOrUrl, module) => {
    if (busy) return code;
    const file = accept(fileOrUrl);
    if (file === null) return code;
    busy = true;
    try {
      return instrumentFile(code, file, module);
    } finally {
      busy = false;
    }
  };

  function instrumentFile(code: string, file: string, module: 'esm' | 'cjs'): string {
    const key = cache?.key(code, file, `${options}${module}`);
    let result = key === undefined ? null : cache!.get(key);
    if (result === null) {
      const levels = plan?.compile(file);
      result = instrument(code, file, module, { values: config.values, writes, sourceMap: maps, ...(levels ? { levels } : {}) });
      if (key !== undefined && (result.ok || result.reason !== 'already instrumented')) cache!.set(key, result);
    }
    if (result.ok) return result.code;
    if (result.reason !== 'already instrumented') {
      try {
        appendPrivateLine(skippedFile, JSON.stringify({ file, reason: result.reason }));
      } catch {
        // the recording directory is gone: nothing more we can do, and the program runs on
      }
    }
    return code;
  }
}

function instrument(code: string, file: string, module: 'esm' | 'cjs', what: Pick<TransformOptions, 'values' | 'writes' | 'sourceMap' | 'levels'>): CachedTransform {
  try {
    return { ok: true, code: transform(code, { filename: file, module, siteBase: 'runtime', ...what }).code };
  } catch (e) {
    const reason = (e as Error).message ?? String(e);
    // An ES module loaded with require() (Node 20.19+, 22.12+) reaches the CommonJS hook.
    if (module === 'cjs' && reason !== 'already instrumented') return instrument(code, file, 'esm', what);
    return { ok: false, reason };
  }
}
