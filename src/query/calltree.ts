/**
 * The call tree under an event: the call it belongs to (or the call itself), its callees to a
 * depth, each with arguments, result or thrown value and duration. One pass over the call's rows
 * in its thread; activations of resumed async frames count as the same node.
 */
import { Kind } from '../format/events.js';
import type { Value } from '../recording/value-reader.js';
import { checkRow, type EventIndex } from './index/event-index.js';
import { thrownValue } from './errors.js';
import { activationOf, frameOf, type Frame } from './stack.js';

export interface CallNode extends Frame {
  /** Event id of the return or throw; absent when the call had not ended. */
  exit?: number;
  /** The return value, or the thrown value when `threw`. */
  result?: Value;
  threw?: boolean;
  /** µs from call to exit. */
  durationUs?: number;
  children: CallNode[];
  /** Callees left out (depth or node limit). */
  more: number;
}

export interface CallTreeOptions {
  depth?: number;
  maxNodes?: number;
}

export function callTree(index: EventIndex, row: number, options: CallTreeOptions = {}): CallNode | null {
  checkRow(index, row);
  const maxDepth = options.depth ?? 3;
  const maxNodes = options.maxNodes ?? 1000;
  const a = activationOf(index, row);
  const rootCall = a >= 0 ? index.callOf(a) : -1;
  if (rootCall < 0) return null;
  const node = (call: number): CallNode => ({ ...frameOf(index, call), children: [], more: 0 });
  const root = node(rootCall);
  const depth = new Map<CallNode, number>([[root, 0]]);
  const byActivation = new Map<number, CallNode>([[rootCall, root]]);
  const byCall = new Map<number, CallNode>([[rootCall, root]]);
  let nodes = 1;
  const end = index.col.link.get(rootCall);
  const home = index.chunkOf(rootCall);
  const finish = (n: CallNode, exit: number) => {
    n.exit = exit;
    n.durationUs = index.col.time.get(exit) - index.col.time.get(n.call);
    const threw = index.kind(exit) === Kind.THROW;
    if (threw) n.threw = true;
    const v = threw ? thrownValue(index, exit) : index.value(exit);
    if (v !== undefined) n.result = v;
  };
  for (const c of index.chunks) {
    if (c.proc !== home.proc || c.thread !== home.thread || c.firstRow + c.rows <= rootCall) continue;
    if (end >= 0 && c.firstRow > end) break;
    const from = Math.max(c.firstRow, rootCall + 1);
    const n = c.firstRow + c.rows - from;
    const kind = index.col.kind.range(from, n);
    const parent = index.col.parent.range(from, n);
    const link = index.col.link.range(from, n);
    for (let i = 0; i < n; i++) {
      const r = from + i;
      const k = kind[i]!;
      if (k === Kind.CALL) {
        const p = byActivation.get(parent[i]!);
        if (!p) continue;
        const d = depth.get(p)!;
        if (d >= maxDepth || nodes >= maxNodes) {
          p.more++;
          continue;
        }
        const child = node(r);
        nodes++;
        p.children.push(child);
        depth.set(child, d + 1);
        byActivation.set(r, child);
        byCall.set(r, child);
      } else if (k === Kind.RESUME) {
        const resumed = byCall.get(link[i]!);
        if (resumed) byActivation.set(r, resumed);
      } else if (k === Kind.RETURN || k === Kind.THROW) {
        const done = byCall.get(link[i]!);
        if (done) finish(done, r);
      }
      if (r === end) return root;
    }
  }
  return root;
}
