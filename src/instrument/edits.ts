/**
 * The transformer's edit list: insertions and small overwrites of the original text, rendered in
 * one pass into the output and its source map. It does what we used magic-string for, for our
 * one kind of edit (text inserted between original characters, punctuation replaced), at a
 * fraction of the cost: magic-string's general chunk machinery and map builder were a third of
 * all transform time (docs/adr/0006-transform-speed.md).
 *
 * At one offset the output holds, in order: the left insertions (prependLeft newest first, then
 * appendLeft in call order), the right insertions (appendRight in call order), then the original text from there
 * (or an overwrite's replacement of it). Insertions are never dropped by an overwrite; edits that
 * fall strictly inside an overwritten range are.
 */

const enum Side {
  PrependLeft = 0,
  AppendLeft = 1,
  AppendRight = 3,
  Overwrite = 4,
}

/** A range of the original text: [start, end). */
export interface Span {
  start: number;
  end: number;
}

export interface SourceMapV3 {
  version: 3;
  sources: string[];
  names: string[];
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Room for call-order numbers in a sort key: offset × 8 × SEQ stays below 2^53 for texts under 256 MiB. */
const SEQ = 2 ** 22;

export class Edits {
  readonly #at: number[] = [];
  readonly #side: Side[] = [];
  readonly #text: string[] = [];
  readonly #end: number[] = [];

  constructor(readonly original: string) {}

  appendLeft(at: number, text: string): this {
    return this.#add(at, Side.AppendLeft, text, -1);
  }

  prependLeft(at: number, text: string): this {
    return this.#add(at, Side.PrependLeft, text, -1);
  }

  appendRight(at: number, text: string): this {
    return this.#add(at, Side.AppendRight, text, -1);
  }

  overwrite(start: number, end: number, text: string): this {
    if (end < start) throw new RangeError('overwrite: end before start');
    return this.#add(start, Side.Overwrite, text, end);
  }

  remove(start: number, end: number): this {
    return this.overwrite(start, end, '');
  }

  #add(at: number, side: Side, text: string, end: number): this {
    this.#at.push(at);
    this.#side.push(side);
    this.#text.push(text);
    this.#end.push(end);
    return this;
  }

  /**
   * Edit indices in output order: by offset, side, then call order (newest first for prepends).
   * One numeric key per edit, sorted natively: a comparator over the arrays cost a tenth of a transform.
   */
  #order(): Int32Array {
    const n = this.#at.length;
    if (n >= SEQ) throw new RangeError('too many edits');
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const side = this.#side[i]!;
      const seq = side === Side.PrependLeft ? SEQ - 1 - i : i;
      keys[i] = (this.#at[i]! * 8 + side) * SEQ + seq;
    }
    if (!nearlySorted(keys)) keys.sort();
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      // Floor and multiply, not `%`: keys pass 2^31, where `%` on doubles is a call to fmod.
      const key = keys[i]!;
      const high = Math.floor(key / SEQ);
      const seq = key - high * SEQ;
      const side = high - Math.floor(high / 8) * 8;
      idx[i] = side === Side.PrependLeft ? SEQ - 1 - seq : seq;
    }
    return idx;
  }

  /**
   * The edited text and, when `source` is given, a source map from it back to the original.
   * `shifts` (when given) receives one triple per edited place on a single line: original line
   * (1-based), original column, and how many characters the output has there more than the
   * original (src/runtime/stack-columns.ts turns stack columns back into original ones with it).
   * `comments` (sorted, not overlapping) get no segments: nothing runs or stops there.
   */
  render(source?: string, shifts?: number[], comments?: readonly Span[]): { code: string; map: SourceMapV3 | null } {
    const code = this.original;
    const order = this.#order();
    // At most an original slice and a text per edit, and the rest: sized once, not grown by pushes.
    const parts = new Array<string>(2 * order.length + 1);
    let np = 0;
    const m = source === undefined ? null : new MappingWriter(comments ?? [], code.length);
    let pos = 0;
    // Original position (line, column) of `pos`, kept current as the scan moves forward.
    const orig = { line: 0, column: 0 };
    for (let k = 0; k < order.length; k++) {
      const e = order[k]!;
      const at = this.#at[e]!;
      if (at < pos) continue; // inside an overwritten range
      if (at > pos) {
        parts[np++] = code.slice(pos, at);
        if (m) m.original(code, pos, at, orig);
        else advance(code, pos, at, orig);
        pos = at;
      }
      const text = this.#text[e]!;
      if (text) {
        parts[np++] = text;
        m?.inserted(text);
      }
      const line = orig.line;
      const column = orig.column;
      let delta = text.length;
      if (this.#side[e] === Side.Overwrite) {
        const end = this.#end[e]!;
        delta -= end - pos;
        advance(code, pos, end, orig);
        pos = end;
      }
      if (shifts && delta !== 0 && orig.line === line) addShift(shifts, line + 1, column, delta);
    }
    if (pos < code.length) {
      parts[np++] = code.slice(pos);
      m?.original(code, pos, code.length, orig);
    }
    parts.length = np;
    return { code: parts.join(''), map: m === null ? null : { version: 3, sources: [source!], names: [], mappings: m.done() } };
  }
}

/** Adds a triple to `shifts`, merged with the last one when it is at the same place. */
function addShift(shifts: number[], line: number, column: number, delta: number): void {
  const n = shifts.length;
  if (n > 0 && shifts[n - 3] === line && shifts[n - 2] === column) shifts[n - 1] = shifts[n - 1]! + delta;
  else shifts.push(line, column, delta);
}

/**
 * Sorts `keys` in place by insertion when that takes few moves, and says whether it did. The walk
 * adds edits in source order but for a few (a closing text at the same offset as an opening one,
 * the prologue added last), so this is linear where the native sort is n log n; a budget of moves
 * keeps any input from turning it quadratic (the caller then sorts natively).
 */
function nearlySorted(keys: Float64Array): boolean {
  const n = keys.length;
  let budget = 4 * n + 1024;
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    if (keys[j]! <= k) continue;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
      if (--budget < 0) return false;
    }
    keys[j + 1] = k;
  }
  return true;
}

/** Moves an original position over `code[from, to)` without mapping anything. */
function advance(code: string, from: number, to: number, orig: { line: number; column: number }): void {
  for (let i = code.indexOf('\n', from); i !== -1 && i < to; i = code.indexOf('\n', i + 1)) {
    orig.line++;
    orig.column = 0;
    from = i + 1;
  }
  orig.column += to - from;
}

/**
 * Builds the `mappings` string: a segment at the start of every word and every punctuation
 * character of original text (where V8 stack positions and breakpoints land), none for spaces
 * or inserted text. Written as bytes: building strings per segment cost more than the scan.
 */
class MappingWriter {
  #buf: Uint8Array;
  #n = 0;
  /** Whether the current generated line has a segment yet (segments are separated by ','). */
  #lineHasSegment = false;
  #genCol = 0;
  #prevGenCol = 0;
  #prevLine = 0;
  #prevCol = 0;
  /** The first comment that may end after the scan position. */
  #comment = 0;

  /** `size`: the original text's length; the mappings take a half to one byte per character. */
  constructor(
    private readonly comments: readonly Span[],
    size: number,
  ) {
    this.#buf = new Uint8Array(Math.max(1 << 16, size >> 1));
  }

  /** Maps original text `code[from, to)`, copied to the output at the current position. */
  original(code: string, from: number, to: number, orig: { line: number; column: number }): void {
    const comments = this.comments;
    while (from < to) {
      while (this.#comment < comments.length && comments[this.#comment]!.end <= from) this.#comment++;
      const c = this.#comment < comments.length ? comments[this.#comment]! : null;
      if (c === null || c.start >= to) return this.#scan(code, from, to, orig);
      if (c.start > from) this.#scan(code, from, c.start, orig);
      const end = c.end < to ? c.end : to;
      this.#skip(code, c.start > from ? c.start : from, end, orig);
      from = end;
    }
  }

  /** Copies a comment: line breaks only. */
  #skip(code: string, from: number, to: number, orig: { line: number; column: number }): void {
    for (let i = code.indexOf('\n', from); i !== -1 && i < to; i = code.indexOf('\n', i + 1)) {
      this.#newline();
      orig.line++;
      orig.column = 0;
      from = i + 1;
    }
    orig.column += to - from;
    this.#genCol += to - from;
  }

  #scan(code: string, from: number, to: number, orig: { line: number; column: number }): void {
    let inWord = false;
    let line = orig.line;
    // The original and generated columns of index i are i - colOff and i - genOff.
    let colOff = from - orig.column;
    let genOff = from - this.#genCol;
    for (let i = from; i < to; i++) {
      const c = code.charCodeAt(i);
      const kind = c < 128 ? CHAR_KINDS[c]! : WORD;
      if (kind === PUNCT || (kind === WORD && !inWord)) {
        this.#genCol = i - genOff;
        this.#segment(line, i - colOff);
      } else if (kind === NEWLINE) {
        this.#newline();
        line++;
        colOff = i + 1;
        genOff = i + 1;
      }
      inWord = kind === WORD;
    }
    this.#genCol = to - genOff;
    orig.line = line;
    orig.column = to - colOff;
  }

  inserted(text: string): void {
    const nl = text.lastIndexOf('\n');
    if (nl === -1) {
      this.#genCol += text.length;
      return;
    }
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#newline();
    this.#genCol = text.length - nl - 1;
  }

  /** [generated column, source 0 (delta always 0: 'A'), original line, original column], each relative. */
  #segment(line: number, column: number): void {
    if (this.#n + 32 > this.#buf.length) this.#grow();
    if (this.#lineHasSegment) this.#buf[this.#n++] = 44; // ','
    this.#lineHasSegment = true;
    this.#vlq(this.#genCol - this.#prevGenCol);
    this.#buf[this.#n++] = 65; // 'A'
    this.#vlq(line - this.#prevLine);
    this.#vlq(column - this.#prevCol);
    this.#prevGenCol = this.#genCol;
    this.#prevLine = line;
    this.#prevCol = column;
  }

  #newline(): void {
    if (this.#n + 1 > this.#buf.length) this.#grow();
    this.#buf[this.#n++] = 59; // ';'
    this.#lineHasSegment = false;
    this.#genCol = 0;
    this.#prevGenCol = 0;
  }

  #vlq(n: number): void {
    let v = n < 0 ? (-n << 1) | 1 : n << 1;
    do {
      let digit = v & 31;
      v >>>= 5;
      if (v > 0) digit |= 32;
      this.#buf[this.#n++] = BASE64_CODES[digit]!;
    } while (v > 0);
  }

  #grow(): void {
    const next = new Uint8Array(this.#buf.length * 2);
    next.set(this.#buf);
    this.#buf = next;
  }

  done(): string {
    return Buffer.from(this.#buf.buffer, 0, this.#n).toString('latin1');
  }
}

const BASE64_CODES = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));

/** Character kinds for the map scan: a table lookup instead of a chain of range tests per character. */
const PUNCT = 0;
const WORD = 1;
const SPACE = 2;
const NEWLINE = 3;
const CHAR_KINDS = new Uint8Array(128).map((_, c) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36
    ? WORD
    : c === 32 || c === 9 || c === 13
      ? SPACE
      : c === 10
        ? NEWLINE
        : PUNCT,
);
