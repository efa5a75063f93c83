/**
 * One recorded thread: its ring, value writer and probes, installed where instrumented code
 * finds them, plus the module hooks that instrument this thread's code.
 */
import Module from 'node:module';
import { PROBES_KEY } from '../format/probes.js';
import { RingWriter } from '../capture/ring-writer.js';
import { producerClock } from '../capture/clock.js';
import { environmentSecrets, secretValuePattern } from '../format/redact.js';
import type { RuntimeConfig } from './config.js';
import { installCjsHook } from './cjs-hook.js';
import { installVmHook } from './vm-hook.js';
import { transformLoaded, type HooksData } from './esm-hooks.js';
import { createInstrumenter } from './instrumenter.js';
import { createProbes } from './probes.js';
import type { ThreadProbes } from './thread-probes.js';
import { installFunctionSources } from './function-source.js';
import { ValueWriter } from './value-writer.js';
import { P } from './primordials.js';
import { appendPrivateLine, files } from '../recording/layout.js';
import path from 'node:path';
import { Shared } from '../format/layout.js';
import { MODULE_NAME, type LoadedModule } from '../format/sites.js';
import { Level } from '../format/levels.js';
import { assignLevels, planLevels } from './levels.js';
import { applyEarlierControl } from './control.js';
import { addShifts, mapStackColumns } from './stack-columns.js';
import { keepTickShape } from './tick-shape.js';

const backpressure = { lossless: 'wait', flight: 'steal', sampled: 'drop' } as const;

export interface RecordedThread {
  ring: RingWriter;
  probes: ThreadProbes;
}

/** `origin`: performance.timeOrigin of the process's main thread, which event times count from. */
export function startThread(config: RuntimeConfig, sharedSab: SharedArrayBuffer, levelsSab: SharedArrayBuffer, procDir: string, thread: number, origin: number, ringSab?: SharedArrayBuffer): RecordedThread {
  keepTickShape();
  const shared = new Int32Array(sharedSab);
  const ring = new RingWriter(config.geometry, thread, shared, backpressure[config.mode], ringSab, undefined, producerClock(shared, origin));
  const keys = new RegExp(config.redact, 'i');
  const vw = new ValueWriter(ring.values, config.limits, keys, config.redactValues === false ? null : secretValuePattern(environmentSecrets(process.env, keys)));
  const sitesFile = path.join(procDir, files.sites);
  const functionSources = installFunctionSources();
  const levels = new Uint8Array(levelsSab);
  const plan = config.plan ? planLevels(config.plan, config.cwd) : null;
  const probes = createProbes(ring, vw, {
    captureThrown: true,
    sampled: config.mode === 'sampled',
    origin,
    levels,
    // Ahead-of-time instrumented code registers its sites when it loads.
    load(count, sitesJson, shifts) {
      addShifts(shifts);
      const base = P.AtomicsAdd(shared, Shared.NEXT_SITE, count);
      const sites = P.JSONParse(sitesJson) as LoadedModule;
      appendPrivateLine(sitesFile, P.JSONStringify({ ...sites, base, pid: process.pid, thread }));
      functionSources.add(base, sites);
      // Before the module's code runs: its sites start at their plan level (full without a plan).
      assignLevels(levels, base, sites.sites, (fn) => (plan === null ? Level.FULL : plan.run(sites.file, fn ? fn.name : MODULE_NAME, fn ? fn.line : 0)));
      applyEarlierControl(levels, procDir, config.cwd, { ...sites, base });
      return base;
    },
  });
  P.defineProperty(globalThis, P.Symbol_for(PROBES_KEY), { value: probes, configurable: true, enumerable: false, writable: false });

  mapStackColumns();
  const instrument = createInstrumenter(config, procDir);
  installVmHook(instrument, probes);
  const hooks = Module as unknown as {
    registerHooks?: (h: { load: (url: string, ctx: object, next: (u: string, c: object) => object) => object }) => void;
    register: (specifier: string, parentURL: string, options: { data: HooksData }) => void;
  };
  // Node 22.15+: one synchronous hook for `import` and `require`, which adds no frame to the stacks
  // of module code (wrapping Module.prototype._compile did).
  if (typeof hooks.registerHooks === 'function') {
    hooks.registerHooks({ load: (url, ctx, next) => transformLoaded(instrument, url, next(url, ctx), true) });
  } else {
    installCjsHook(instrument);
    hooks.register('./esm-hooks.js', import.meta.url, { data: { config, procDir } });
  }
  return { ring, probes };
}
