/**
 * Test runners that run the code under test through `node:vm` instead of Node's loaders: Jest
 * compiles each CommonJS module with `vm.compileFunction` in the test environment's context, and
 * Vitest evaluates each module as an async function through `vm.runInThisContext` (or
 * `vm.runInContext`). Module code that reaches them is instrumented like a loaded file, and a
 * context it runs in gets this thread's probes (its own globalThis would not have them).
 * Only code with a file name the filter accepts is touched; anything else passes as it is.
 */
import vm from 'node:vm';
import { PROBES_KEY } from '../format/probes.js';
import type { Instrument } from './instrumenter.js';
import { P } from './primordials.js';

/** Vitest's module wrapper (vitest/dist/module-evaluator.js): `'use strict';async (args)=>{{` code `\n}}`. */
const VITEST_HEAD = /^'use strict';async \([\w$,]*\)=>\{\{/;
const VITEST_TAIL = '\n}}';

type Options = { filename?: string; parsingContext?: object; columnOffset?: number } | string | undefined;

export function installVmHook(instrument: Instrument, probes: object): void {
  const key = P.Symbol_for(PROBES_KEY);
  const share = (context: unknown) => {
    if (context && typeof context === 'object' && P.getOwnPropertyDescriptor(context, key) === undefined) {
      try {
        P.defineProperty(context, key, { value: probes, configurable: true, enumerable: false, writable: false });
      } catch {
        // a frozen or exotic context: its code runs unrecorded
      }
    }
  };
  const fileOf = (o: Options) => (typeof o === 'string' ? o : o && typeof o === 'object' ? o.filename : undefined);
  const isFile = (f: unknown): f is string => typeof f === 'string' && (f.startsWith('/') || f.startsWith('file:') || /^[A-Za-z]:[\\/]/.test(f));

  const compileFunction = vm.compileFunction;
  vm.compileFunction = function (code: string, params?: string[], options?: Options) {
    const file = fileOf(options);
    if (typeof code === 'string' && isFile(file)) {
      code = instrument(code, file, 'cjs');
      if (typeof options === 'object') share(options.parsingContext);
    }
    return P.apply(compileFunction, vm, [code, params, options]) as ReturnType<typeof compileFunction>;
  } as typeof vm.compileFunction;

  const wrapped = (code: unknown, options: Options): unknown => {
    const file = fileOf(options);
    if (typeof code !== 'string' || !isFile(file) || !code.endsWith(VITEST_TAIL)) return code;
    const head = VITEST_HEAD.exec(code);
    if (!head) return code;
    const body = code.slice(head[0].length, code.length - VITEST_TAIL.length);
    const done = instrument(body, file, 'esm');
    return done === body ? code : `${head[0]}${done}${VITEST_TAIL}`;
  };
  const runInThisContext = vm.runInThisContext;
  vm.runInThisContext = function (code: string, options?: Options) {
    return P.apply(runInThisContext, vm, [wrapped(code, options), options]);
  } as typeof vm.runInThisContext;
  const runInContext = vm.runInContext;
  vm.runInContext = function (code: string, context: vm.Context, options?: Options) {
    const next = wrapped(code, options);
    if (next !== code) share(context);
    return P.apply(runInContext, vm, [next, context, options]);
  } as typeof vm.runInContext;
}
