/**
 * Offsets ↔ 1-based lines and 0-based columns of a text, in UTF-16 code units (what oxc-parser's
 * offsets, V8 and source maps all count). Lines end at `\n`, as in source maps (`\r\n` is covered by
 * that). Shared by the instrumenter, the planner and the insight detectors.
 */
export interface Position {
  /** 1-based. */
  line: number;
  /** 0-based, UTF-16 code units. */
  column: number;
}

export class LineIndex {
  /** Offsets where lines start; counted first, so a large text builds no growing array to throw away. */
  private readonly starts: Int32Array;

  constructor(text: string) {
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
    const starts = new Int32Array(n);
    n = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
    this.starts = starts;
  }

  /** How many lines the text has (a text without `\n` has one). */
  get count(): number {
    return this.starts.length;
  }

  /** The offset of a 1-based line and 0-based column (-1 past the last line). */
  offset(line: number, column: number): number {
    const start = this.starts[line - 1];
    return start === undefined ? -1 : start + column;
  }

  position(offset: number): Position {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - s[lo]! };
  }
}
