import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layOut, type LaneSpan } from '../../src/interop/lanes.js';

/** Random span sets: children inside their parents mostly, with skew, overlaps and missing parents. */
const spans = fc
  .array(fc.record({ start: fc.integer({ min: 0, max: 1000 }), len: fc.integer({ min: 0, max: 300 }), parent: fc.option(fc.nat(), { nil: undefined }) }), { maxLength: 40 })
  .map((raw) => raw.map((r, i): LaneSpan => ({ id: `s${i}`, parent: r.parent !== undefined && r.parent < raw.length ? `s${r.parent}` : undefined, start: r.start, end: r.start + r.len })));

describe('layOut', () => {
  it('puts every span on one lane, begun and ended once, with each lane nesting like a stack in time order', () => {
    fc.assert(
      fc.property(spans, (list) => {
        const stacks = new Map<number, LaneSpan[]>();
        const last = new Map<number, number>();
        const seen = new Map<string, number>();
        for (const step of layOut(list)) {
          const stack = stacks.get(step.lane) ?? [];
          stacks.set(step.lane, stack);
          const t = step.begin ? step.span.start : step.span.end;
          expect(t).toBeGreaterThanOrEqual(last.get(step.lane) ?? -Infinity);
          last.set(step.lane, t);
          if (step.begin) {
            if (stack.length) expect(step.span.end).toBeLessThanOrEqual(stack.at(-1)!.end);
            stack.push(step.span);
          } else expect(stack.pop()).toBe(step.span);
          seen.set(step.span.id, (seen.get(step.span.id) ?? 0) + 1);
        }
        for (const s of stacks.values()) expect(s).toEqual([]);
        expect([...seen.values()].every((n) => n === 2)).toBe(true);
        expect(seen.size).toBe(list.length);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a child on its parent lane when it nests, and moves concurrent siblings to other lanes', () => {
    const steps = [...layOut([
      { id: 'p', start: 0, end: 100 },
      { id: 'a', parent: 'p', start: 10, end: 50 },
      { id: 'b', parent: 'p', start: 20, end: 60 },
      { id: 'c', parent: 'p', start: 70, end: 80 },
    ])].filter((s) => s.begin);
    expect(Object.fromEntries(steps.map((s) => [s.span.id, s.lane]))).toEqual({ p: 0, a: 0, b: 1, c: 0 });
  });
});
