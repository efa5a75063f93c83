/** CommonJS instrumentation: every compiled CommonJS file passes through Module.prototype._compile. */
import Module from 'node:module';
import type { Instrument } from './instrumenter.js';

type Compile = (this: unknown, content: string, filename: string, ...rest: unknown[]) => unknown;

export function installCjsHook(instrument: Instrument): void {
  const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const original = proto._compile;
  // A plain function keeps `this` (the module) and any extra arguments Node passes.
  proto._compile = function _compile(this: unknown, content: string, filename: string, ...rest: unknown[]) {
    return Reflect.apply(original, this, [instrument(content, filename, 'cjs'), filename, ...rest]);
  };
}
