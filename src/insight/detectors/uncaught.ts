/**
 * Uncaught errors and unhandled rejections, traced back to the write that produced the bad value.
 *
 * From the runtime's `error` event to the throw where the exception started (same error object),
 * to the frames on the stack at that moment and the objects in their arguments. Each key of those
 * objects, as it was at the throw (stateAt), is scored against the error: a null or undefined where
 * the message says one was read, a value quoted in the message, a key the message names, NaN. The
 * best candidate's last write (value history) is the likely cause; when the arguments hold none,
 * recent writes anywhere in the thread are scored the same way.
 */
import { Kind } from '../../format/events.js';
import { objectId, type Value } from '../../recording/value-reader.js';
import { lastWrite, stateAt, type ObjectRef } from '../../query/state.js';
import { thrownValue } from '../../query/errors.js';
import { stackAt, type Frame } from '../../query/stack.js';
import { brief, listItems, locationOf, siteOf, type Ctx } from '../context.js';
import { displayPath } from '../../recording/sources.js';
import { functionAt, ownNodes, sourceFile, type Node } from '../source.js';
import type { ThreadView } from '../thread-view.js';
import type { Finding, Location } from '../types.js';

interface Clues {
  name: string;
  message: string;
  wantsNull: boolean;
  wantsUndefined: boolean;
  /** Strings and numbers quoted or named in the message. */
  literals: Set<string>;
  words: Set<string>;
  /** The property the failing code read from the bad value (`reading 'name'`). */
  reading?: string;
}

function cluesOf(err: Value | undefined): Clues {
  const e = err && typeof err === 'object' && err !== null && err.type === 'error' ? err : null;
  const message = e?.message ?? (typeof err === 'string' ? err : '');
  const c: Clues = { name: e?.name ?? 'Error', message, wantsNull: false, wantsUndefined: false, literals: new Set(), words: new Set() };
  const reading = /of (null|undefined) \(reading '([^']*)'\)/.exec(message);
  if (reading) c.reading = reading[2];
  if (/\bnull\b/.test(message)) c.wantsNull = true;
  if (/\bundefined\b/.test(message) || /is not (a function|iterable|defined)/.test(message)) c.wantsUndefined = true;
  for (const m of message.matchAll(/"([^"]{1,80})"|'([^']{1,80})'|`([^`]{1,80})`/g)) c.literals.add(m[1] ?? m[2] ?? m[3]!);
  for (const m of message.matchAll(/-?\d+(?:\.\d+)?|NaN|Infinity/g)) c.literals.add(m[0]);
  for (const m of message.matchAll(/[A-Za-z_$][\w$]*/g)) c.words.add(m[0]);
  for (const m of message.matchAll(/[A-Za-z_$][\w$]*/g)) c.words.add(m[0].toLowerCase());
  if (c.reading) c.literals.delete(c.reading);
  return c;
}

function score(c: Clues, key: string, v: Value | undefined): number {
  if (v === undefined) return 0;
  let s = 0;
  const isUndef = v !== null && typeof v === 'object' && v.type === 'undefined';
  if (v === null && c.wantsNull) s += 3;
  if (isUndef && c.wantsUndefined) s += 3;
  if (v !== null && typeof v === 'object' && v.type === 'number' && v.text === 'NaN') s += c.message.includes('NaN') ? 4 : 2;
  if (typeof v === 'number' && c.literals.has(String(v))) s += 3;
  if (typeof v === 'string' && v.length > 0 && (c.literals.has(v) || (v.length >= 3 && c.message.includes(v)))) s += 3;
  if (typeof v === 'boolean' && c.literals.has(String(v))) s += 2;
  if (s > 0 && (c.words.has(key) || c.words.has(key.toLowerCase()))) s += 2;
  return s;
}

/** The line of the first stack frame in `file` named in an error's stack text. */
function thrownAt(err: Value | undefined): Location | null {
  if (!err || typeof err !== 'object' || err.type !== 'error') return null;
  for (const line of err.stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m || /node:|node_modules|\/dist\/runtime\//.test(m[1]!)) continue;
    const file = m[1]!.startsWith('file://') ? new URL(m[1]!).pathname : m[1]!;
    return { file, line: Number(m[2]), column: Number(m[3]) - 1, what: 'where it was thrown' };
  }
  return null;
}

/** Where in the failing function's source the error most likely came from (a throw statement, the property read). */
function thrownInSource(ctx: Ctx, f: Frame, c: Clues): Location | null {
  if (!f.file || f.line === undefined) return null;
  const sf = sourceFile(ctx.index.rec.dir, f.file);
  const fn = sf ? functionAt(sf, f.line, f.column ?? 0) : null;
  if (!sf || !fn) return null;
  const at = (n: Node, what: string): Location => ({ file: f.file!, line: sf.lineOf(n.start), what });
  if (c.reading !== undefined) {
    const reads = ownNodes(fn, (n) => n.type === 'MemberExpression' && !n.computed && (n.property as Node).name === c.reading);
    if (reads.length >= 1) return at(reads[0]!.node, `reads .${c.reading}`);
  }
  const throws = ownNodes(fn, (n) => n.type === 'ThrowStatement').map((t) => t.node);
  const words = c.message.split(/\W+/).filter((w) => w.length > 3);
  const best = throws.map((t) => [t, words.filter((w) => sf.textOf(t).includes(w)).length] as const).sort((a, b) => b[1] - a[1])[0];
  if (best && (best[1] > 0 || throws.length === 1)) return at(best[0], 'throw statement');
  return null;
}

interface Candidate {
  key: string;
  value: Value | undefined;
  write: number;
  score: number;
  holder: string;
}

export function uncaughtErrors(ctx: Ctx): Finding[] {
  const out: Finding[] = [];
  for (const v of ctx.views) {
    const throws: number[] = [];
    for (let i = 0; i < v.rows.length; i++) {
      const k = v.kind[i]!;
      if (k === Kind.THROW) throws.push(i);
      else if (k === Kind.ERROR) {
        const f = explain(ctx, v, i, throws);
        if (f) out.push(f);
      }
    }
  }
  return out;
}

function explain(ctx: Ctx, v: ThreadView, errPos: number, throws: number[]): Finding | null {
  const { index } = ctx;
  const errRow = v.rows[errPos]!;
  const errValue = index.value(errRow);
  const errId = objectId(errValue);
  // The throw where this exception started: the first throw of the same error object (among those
  // that carry it: a sync frame's throw has no value, and the run of throws just before is used).
  let origin = -1;
  if (errId > 0) {
    for (const t of throws) {
      if (objectId(index.value(v.rows[t]!)) === errId) {
        origin = t;
        break;
      }
    }
  }
  if (origin < 0 && throws.length && throws.at(-1)! >= errPos - 3) {
    origin = throws.at(-1)!;
    while (throws.includes(origin - 1)) origin--;
  }
  const originRow = origin >= 0 ? v.rows[origin]! : errRow;
  let err: Value | undefined = (origin >= 0 ? thrownValue(index, originRow) : undefined) ?? errValue;
  if (err && typeof err === 'object' && err !== null && err.type === 'ref') err = errValue && typeof errValue === 'object' && errValue !== null && errValue.type === 'error' ? errValue : err;
  const clues = cluesOf(err);
  const frames: Frame[] = origin >= 0 ? stackAt(index, originRow).frames : [];
  const failing = frames[0];
  const rejected = frames.some((f) => f.resumed || index.site(index.chunkOf(f.call).proc, index.col.site.get(f.call))?.async === true);
  // Candidates: keys of the objects in the arguments of the frames on the stack.
  const cands: Candidate[] = [];
  const seenObj = new Set<number>();
  for (const f of frames.slice(0, 8)) {
    listItems(f.args).forEach((a, i) => {
      const id = objectId(a);
      if (id <= 0 || seenObj.has(id)) return;
      seenObj.add(id);
      const ref: ObjectRef = { ctx: v.ctx, pid: v.pid, thread: v.thread, id };
      const st = stateAt(index, ref, originRow);
      const s = st.state;
      if (!s || typeof s !== 'object' || s === null || s.type !== 'object') return;
      const holder = `${f.params?.[i] ?? `argument ${i + 1}`} of ${f.name}`;
      for (const [key, val] of s.entries) {
        const sc = score(clues, key, val);
        if (sc <= 0) continue;
        const w = lastWrite(index, ref, key, originRow);
        if (w >= 0 && index.kind(w) === Kind.WRITE) cands.push({ key, value: val, write: w, score: sc + 1, holder });
      }
    });
  }
  if (!cands.some((c) => c.score >= 4)) {
    // Recent writes anywhere in the thread.
    let looked = 0;
    for (let i = (origin >= 0 ? origin : errPos) - 1; i >= 0 && looked < 20_000; i--) {
      if (v.kind[i] !== Kind.WRITE) continue;
      looked++;
      const items = listItems(index.value(v.rows[i]!));
      const key = items.length === 3 ? items[1] : (siteOf(ctx, v, i)?.target ?? '');
      const val = items.length === 3 ? items[2] : items[0];
      if (typeof key !== 'string') continue;
      const sc = score(clues, key, val);
      if (sc >= 3) cands.push({ key, value: val, write: v.rows[i]!, score: sc, holder: items.length === 3 ? `object #${objectId(items[0])}` : 'binding' });
    }
  }
  cands.sort((a, b) => b.score - a.score || b.write - a.write);
  const best = cands[0] && cands[0].score >= 3 ? cands[0] : undefined;

  const what = clues.message ? `${clues.name}: ${clues.message}` : brief(err);
  const kindWord = rejected ? 'unhandled rejection' : 'uncaught error';
  const locations: Location[] = [];
  const events: number[] = [];
  let explanation = `The program ended with an ${kindWord}: ${what}.`;
  if (failing) explanation += ` It was thrown in ${failing.name}${failing.file ? ` (${displayPath(failing.file)}:${failing.line})` : ''}${frames.length > 1 ? `, called from ${frames.slice(1, 4).map((f) => f.name).join(' ← ')}` : ''}.`;
  if (best) {
    const wInfo = index.site(index.chunkOf(best.write).proc, index.col.site.get(best.write));
    const wStack = stackAt(index, best.write).frames;
    const writer = wStack[0]?.name ?? 'top-level code';
    const target = wInfo?.target ?? best.key;
    locations.push(...locationOf(wInfo, `write of ${target}`));
    events.push(best.write);
    explanation += ` The bad value is ${best.key} = ${brief(best.value)} (${best.holder}): it was last written by ${target} = … in ${writer}${wInfo ? ` at ${displayPath(wInfo.file)}:${wInfo.line}` : ''} (event @${best.write}${wStack.length > 1 ? `, during ${wStack.at(-1)!.name}` : ''}), which is the likely cause.`;
  } else explanation += ' No recorded write could be tied to the bad value (it may come from code that is not instrumented, or from a local variable).';
  const thrown = thrownAt(err) ?? (failing ? thrownInSource(ctx, failing, clues) : null);
  if (thrown) locations.push(thrown);
  if (failing?.file) locations.push({ file: failing.file, line: failing.line!, column: failing.column, what: `function ${failing.name}` });
  if (origin >= 0) events.push(originRow);
  events.push(errRow);
  return {
    id: `uncaught-error:@${errRow}`,
    kind: 'uncaught-error',
    severity: 'high',
    title: `${kindWord[0]!.toUpperCase()}${kindWord.slice(1)}: ${what}${best ? ` — caused by ${best.key} = ${brief(best.value)} written at ${locations[0] ? `${displayPath(locations[0].file)}:${locations[0].line}` : '?'}` : ''}`,
    explanation,
    events,
    locations,
  };
}
