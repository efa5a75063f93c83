/**
 * Keeps one of `process.nextTick`'s tick objects alive for the life of the thread.
 *
 * nextTick builds each tick object with a literal whose keys are computed (`[async_id_symbol]`
 * …), so no boilerplate holds its hidden classes: V8 keeps them only while some tick object is
 * alive. A full GC at a moment when none is (the recorder's start-up makes one likelier) drops
 * them, the next tick builds new ones, and after a few rounds nextTick's feedback for the literal
 * is megamorphic: optimized nextTick then defines every property through the runtime. Measured
 * on Fastify, Node 24: +3.5 µs of CPU per request (a quarter of the request), with nothing
 * recorded. One live tick object keeps its maps, and so nextTick's feedback, stable.
 */
import { executionAsyncResource } from 'node:async_hooks';

let kept: object | undefined;

export function keepTickShape(): void {
  if (kept !== undefined) return;
  // With arguments: the shape Node's streams use (`args` holds an array).
  process.nextTick(keep, 0);
}

function keep(_arg: number): void {
  // Inside a tick callback the execution resource is the tick object itself.
  kept = executionAsyncResource();
}

/** For the test: the tick object held, if any. */
export function keptTickObject(): object | undefined {
  return kept;
}
