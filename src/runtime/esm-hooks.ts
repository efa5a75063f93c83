/**
 * ESM loader hooks for `module.register` (Node < 22.15, where they run in a separate hooks
 * thread). Newer Node uses `transformLoaded` synchronously through `module.registerHooks`, for
 * CommonJS too.
 */
import type { RuntimeConfig } from './config.js';
import { createInstrumenter, type Instrument } from './instrumenter.js';

export interface HooksData {
  config: RuntimeConfig;
  procDir: string;
}

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}

const esmFormats = new Set(['module', 'module-typescript']);
const cjsFormats = new Set(['commonjs', 'commonjs-typescript']);

/**
 * Instruments a loaded module's source. ES modules always; CommonJS only with `cjs` (the
 * synchronous `registerHooks`, where `require` goes through the same hook; with `module.register`
 * CommonJS goes through Module.prototype._compile). A file `require` loads comes without a format
 * when its package has no "type" (Node 22.15+/24): it is CommonJS, or an ES module Node detects
 * from its syntax, which the instrumenter's fallback parses as one.
 */
export function transformLoaded(instrument: Instrument, url: string, r: LoadResult, cjs = false): LoadResult {
  if (r.source == null) return r;
  const format = r.format ?? '';
  const module = esmFormats.has(format) ? 'esm' : cjs && (cjsFormats.has(format) || (r.format == null && url.startsWith('file:'))) ? 'cjs' : null;
  if (module === null) return r;
  const code = typeof r.source === 'string' ? r.source : Buffer.from(r.source as ArrayBuffer).toString('utf8');
  const out = instrument(code, url, module);
  return out === code ? r : { ...r, source: out };
}

let instrument: Instrument | null = null;

export function initialize(data: HooksData): void {
  instrument = createInstrumenter(data.config, data.procDir);
}

export async function load(
  url: string,
  context: object,
  nextLoad: (url: string, context: object) => Promise<LoadResult>,
): Promise<LoadResult> {
  const r = await nextLoad(url, context);
  return instrument ? transformLoaded(instrument, url, r) : r;
}
