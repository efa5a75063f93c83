import { executionAsyncResource } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { keepTickShape, keptTickObject } from '../../src/runtime/tick-shape.js';

/** The tick object of a nextTick callback that got one argument, as Node's streams schedule them. */
const tickWithArgument = (): Promise<object> => new Promise((resolve) => process.nextTick((_x: number) => resolve(executionAsyncResource()), 1));

describe('keepTickShape', () => {
  it('holds a tick object built like the ones nextTick builds for streams, once', async () => {
    keepTickShape();
    await tickWithArgument();
    const kept = keptTickObject() as Record<string | symbol, unknown> | undefined;
    expect(kept).toBeDefined();
    const fresh = (await tickWithArgument()) as Record<string | symbol, unknown>;
    // Same keys in the same order (so the same chain of hidden classes), and a real tick object.
    expect(Reflect.ownKeys(kept!).map(String)).toEqual(Reflect.ownKeys(fresh).map(String));
    expect(kept!.args).toEqual([0]);
    expect(typeof kept!.callback).toBe('function');
    keepTickShape();
    await tickWithArgument();
    expect(keptTickObject()).toBe(kept);
  });
});
