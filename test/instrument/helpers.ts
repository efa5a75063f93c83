/** Test harness: a fake probe object that logs events, and ways to run transformed code for real. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { PROBES_KEY } from '../../src/format/probes.js';
import { transform, type TransformResult } from '../../src/instrument/transform.js';

export type Event = [string, ...unknown[]];

export interface FakeProbes {
  log: Event[];
  probes: Record<string, (...a: never[]) => unknown>;
}

/** Probe object whose entry calls return the event's position as the token. */
export function fakeProbes(): FakeProbes {
  const log: Event[] = [];
  const enter = (e: Event): number => log.push(e) - 1;
  const probes = {
    load: () => 0,
    c: (s: number) => enter(['c', s]),
    cv: (s: number, n: number, ...a: unknown[]) => enter(['cv', s, n, ...a.slice(0, n)]),
    cn: (s: number, a: unknown[]) => enter(['cn', s, a]),
    x: (s: number) => void log.push(['x', s]),
    xv: (s: number, v: unknown) => void log.push(['xv', s, v]),
    t: (s: number, e: unknown) => void log.push(['t', s, e]),
    u: (s: number) => void log.push(['u', s]),
    k: (s: number, e: unknown) => void log.push(['k', s, e]),
    s: (s: number, v: unknown) => (log.push(['s', s, v]), v),
    w: (s: number, tok: number, v: unknown) => (log.push(['w', s, tok, v]), v),
    pw: (s: number, o: unknown, k: unknown, r: unknown) => (log.push(['pw', s, k, (o as Record<string, unknown>)[k as string]]), r),
    pp: (s: number, _o: unknown, k: string, r: unknown, d?: number) => {
      const now = d === undefined ? r : typeof r === 'bigint' ? r + BigInt(d) : (r as number) + d;
      return log.push(['pp', s, k, now]), r;
    },
    pd: (s: number, _o: unknown, k: unknown, r: unknown) => (log.push(['pd', s, k, r]), r),
    bw: (s: number, v: unknown) => (log.push(['bw', s, v]), v),
    mu: (s: number, o: unknown, m: string, r: unknown) => (log.push(['mu', s, m, Array.isArray(o) ? [...o] : o instanceof Map ? [...o.entries()] : o instanceof Set ? [...o] : 'other']), r),
  };
  return { log, probes };
}

let counter = 0;

/**
 * Runs `source` as a CommonJS module (original when `instrument` is false), with a fresh fake probe
 * object installed; returns module.exports, the event log and the transform result.
 */
export function runCjs(
  source: string,
  opts: { instrument?: boolean; values?: boolean; writes?: boolean; filename?: string; siteBase?: number } = {},
): { exports: Record<string, unknown>; log: Event[]; result: TransformResult | null } {
  const filename = opts.filename ?? `/virtual/mod${counter++}.js`;
  const fake = fakeProbes();
  (globalThis as Record<symbol, unknown>)[Symbol.for(PROBES_KEY)] = fake.probes;
  let code = source;
  let result: TransformResult | null = null;
  if (opts.instrument !== false) {
    result = transform(source, { filename, siteBase: opts.siteBase ?? 0, values: opts.values ?? false, writes: opts.writes ?? false, module: 'cjs' });
    code = result.code;
  }
  // The wrapper stays on line 1 so line numbers in stacks are the module's own.
  const fn = vm.runInThisContext(`(function (exports, require, module) {${code}\n})`, { filename });
  const module = { exports: {} as Record<string, unknown> };
  fn(module.exports, () => undefined, module);
  return { exports: module.exports, log: fake.log, result };
}

/**
 * Runs ESM files in a child Node process. `files` maps names to sources; `.mjs` / `.js` files are
 * instrumented (unless `instrument` is false). The entry's default export is awaited and its result
 * printed with the event log, as JSON.
 */
export function runEsm(
  files: Record<string, string>,
  entry: string,
  opts: { instrument?: boolean; values?: boolean } = {},
): { result: unknown; log: Event[] } {
  const dir = mkdtempSync(join(tmpdir(), 'ec-esm-'));
  const probesFile = join(dir, '__probes.mjs');
  writeFileSync(probesFile, `export default globalThis[Symbol.for(${JSON.stringify(PROBES_KEY)})];\n`);
  let base = 0;
  for (const [name, src] of Object.entries(files)) {
    let code = src;
    if (opts.instrument !== false) {
      const r = transform(src, {
        filename: join(dir, name),
        siteBase: base,
        values: opts.values ?? false,
        // This runner's fake probes log calls and awaits only.
        writes: false,
        module: 'esm',
        probesImport: pathToFileURL(probesFile).href,
      });
      base += r.sites.sites.length;
      code = r.code;
    }
    writeFileSync(join(dir, name), code);
  }
  const runner = join(dir, '__run.mjs');
  writeFileSync(
    runner,
    `const log = [];
const enter = (e) => log.push(e) - 1;
globalThis[Symbol.for(${JSON.stringify(PROBES_KEY)})] = {
  c: (s) => enter(['c', s]), cv: (s, n, ...a) => enter(['cv', s, n, ...a.slice(0, n)]), cn: (s, a) => enter(['cn', s, a]),
  x: (s) => void log.push(['x', s]), xv: (s, v) => void log.push(['xv', s, v]), t: (s, e) => void log.push(['t', s, String(e)]),
  u: (s) => void log.push(['u', s]), k: (s, e) => void log.push(['k', s, String(e)]),
  // As the runtime: a pending site (suspended, resumed by a rejection the frame caught) resumes first.
  s: (s, v, p, t) => (p && log.push(['w', p, t]), log.push(['s', s]), v), w: (s, t, v) => (log.push(['w', s, t]), v),
};
const m = await import(${JSON.stringify(pathToFileURL(join(dir, entry)).href)});
const result = await m.default();
process.stdout.write(JSON.stringify({ result, log }));
`,
  );
  const out = execFileSync(process.execPath, [runner], { encoding: 'utf8' });
  return JSON.parse(out) as { result: unknown; log: Event[] };
}

/** Event kinds only, for compact sequence assertions. */
export function kinds(log: Event[]): string {
  return log.map((e) => `${e[0]}${e[1]}`).join(' ');
}
