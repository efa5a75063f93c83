/**
 * Lays spans out on lanes (threads of the imported recording) so that each lane's events nest like
 * a call stack: a span goes on its parent's lane when it is the innermost open span there and ends
 * within it; otherwise (concurrent children, clock skew, missing parents) on the first free lane.
 */
export interface LaneSpan {
  id: string;
  parent?: string;
  /** µs since the epoch */
  start: number;
  end: number;
}

export interface Step<S extends LaneSpan> {
  span: S;
  lane: number;
  begin: boolean;
}

export function* layOut<S extends LaneSpan>(spans: S[]): Generator<Step<S>> {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || (b.parent === a.id ? -1 : a.parent === b.id ? 1 : 0));
  const lanes: S[][] = [];
  const laneOf = new Map<string, number>();
  const ended = new Set<string>();
  const steps: Step<S>[] = [];
  const pop = (lane: number, t: number, keep?: string) => {
    const stack = lanes[lane]!;
    while (stack.length) {
      const top = stack.at(-1)!;
      if (top.end > t || (top.end === t && top.id === keep)) break;
      stack.pop();
      ended.add(top.id);
      steps.push({ span: top, lane, begin: false });
    }
  };
  for (const s of sorted) {
    let lane = -1;
    const pl = s.parent !== undefined ? laneOf.get(s.parent) : undefined;
    if (pl !== undefined && !ended.has(s.parent!)) {
      pop(pl, s.start, s.parent);
      const top = lanes[pl]!.at(-1);
      if (top && top.id === s.parent && s.end <= top.end) lane = pl;
    }
    if (lane < 0) {
      for (let i = 0; i < lanes.length && lane < 0; i++) {
        pop(i, s.start);
        if (lanes[i]!.length === 0) lane = i;
      }
    }
    if (lane < 0) lanes.push([]), (lane = lanes.length - 1);
    lanes[lane]!.push(s);
    laneOf.set(s.id, lane);
    steps.push({ span: s, lane, begin: true });
    yield* steps.splice(0);
  }
  for (let i = 0; i < lanes.length; i++) pop(i, Infinity);
  yield* steps;
}
