/** Instrumented ES modules import the probe object from here (an import binding has no TDZ problem in import cycles). */
import { PROBES_KEY } from '../format/probes.js';
import type { Probes } from '../format/probes.js';

const probes = (globalThis as Record<symbol, Probes>)[Symbol.for(PROBES_KEY)]!;
export default probes;
