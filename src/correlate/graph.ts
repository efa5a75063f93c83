/**
 * The causal graph over events: each event has at most one causal parent (its "cause", see
 * tracker.ts), so the graph is a forest. Ancestors walk the causes up; descendants walk a
 * children table (CSR) built once from the cause column. Rows are numbers; for several
 * recordings the rows of each are offset into one space (see session.ts).
 */

export interface CauseSource {
  readonly rows: number;
  /** The cause of `row`, or -1. */
  cause(row: number): number;
}

/** Children of every row, built from a full cause column (4 bytes per event, twice). */
export class Children {
  readonly start: Int32Array;
  readonly list: Int32Array;

  constructor(cause: Int32Array) {
    const n = cause.length;
    const count = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const c = cause[i]!;
      if (c >= 0 && c < n) count[c + 1]!++;
    }
    for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
    const fill = count.slice(0, n);
    const list = new Int32Array(count[n]!);
    for (let i = 0; i < n; i++) {
      const c = cause[i]!;
      if (c >= 0 && c < n) list[fill[c]!++] = i;
    }
    this.start = count;
    this.list = list;
  }

  of(row: number): Int32Array {
    return this.list.subarray(this.start[row]!, this.start[row + 1]!);
  }
}

/** The causal chain above `row`, nearest first (cycles, which only damage could make, stop it). */
export function ancestors(src: CauseSource, row: number, limit = 10_000): number[] {
  const out: number[] = [];
  const seen = new Set<number>([row]);
  let r = src.cause(row);
  while (r >= 0 && out.length < limit && !seen.has(r)) {
    out.push(r);
    seen.add(r);
    r = src.cause(r);
  }
  return out;
}

export interface DescendantsOptions {
  /** Most rows returned (default 10,000). */
  limit?: number;
  /** Deepest level followed (default: no bound). */
  depth?: number;
}

/** Everything `row` caused, breadth first, each with its depth below `row`. */
export function descendants(children: Children, row: number, options: DescendantsOptions = {}): { row: number; depth: number }[] {
  const limit = options.limit ?? 10_000;
  const maxDepth = options.depth ?? Infinity;
  const out: { row: number; depth: number }[] = [];
  let level = [row];
  for (let depth = 1; level.length && depth <= maxDepth && out.length < limit; depth++) {
    const next: number[] = [];
    for (const r of level) {
      for (const c of children.of(r)) {
        if (out.length >= limit) break;
        out.push({ row: c, depth });
        next.push(c);
      }
    }
    level = next;
  }
  return out;
}
