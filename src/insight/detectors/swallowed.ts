/**
 * Errors swallowed by an empty or logging-only handler.
 *
 * An exception left a function (throw events up the stack) and was caught by a frame that then
 * returned normally; the catch clause of that frame, read from the recorded source, is empty or
 * only logs. A rejected async call is handled the same way: its awaiting caller returned normally
 * (a try/catch around the await), or a callback received the error and its body is empty or only
 * logs (`.catch(() => {})`, `.catch(console.error)`-like handlers). An exception whose throw is no
 * event (thrown inside JSON.parse or a library that is not recorded) is judged by the catch clause
 * that received it.
 */
import { Kind } from '../../format/events.js';
import { listErrors, type CatchAt, type ErrorChain } from '../../query/errors.js';
import { brief, listItems, type Ctx } from '../context.js';
import { objectId } from '../../recording/value-reader.js';
import { displayPath } from '../../recording/sources.js';
import { functionAt, ownNodes, sourceFile, swallowKind, walk, type Node } from '../source.js';
import type { Finding, Location } from '../types.js';

export function swallowedErrors(ctx: Ctx): Finding[] {
  const out: Finding[] = [];
  const seenCatch = new Set<string>();
  for (const e of listErrors(ctx.index, { limit: 10_000 })) {
    const cb = e.kind === 'catch' ? caughtHere(ctx, e.catchAt) : e.kind === 'throw' && e.unwound.length > 0 ? thrownAndSwallowed(ctx, e) : null;
    if (!cb) continue;
    const dedupe = `${cb.location.file}:${cb.location.line}`;
    if (seenCatch.has(dedupe)) continue;
    seenCatch.add(dedupe);
    out.push(finding(e, cb, e.kind === 'throw' ? e.unwound[0]! : null));
  }
  return out;
}

/** Where a recorded throw's exception was swallowed: the catching frame's catch block, or a callback handed the error. */
function thrownAndSwallowed(ctx: Ctx, e: ErrorChain): Swallow | null {
  const { index } = ctx;
  const lastThrow = e.unwound.at(-1)!.throwId;
  let handler: { call: number; calleeName: string } | null = null;
  if (e.end === 'caught' && e.caughtBy) handler = { call: e.caughtBy.call, calleeName: e.unwound.at(-1)!.name };
  else if (e.end === 'rejected') {
    // The awaiting caller of the rejected async call.
    const call = e.unwound.at(-1)!.call;
    const p = index.col.parent.get(call);
    if (p >= 0) handler = { call: index.callOf(p), calleeName: e.unwound.at(-1)!.name };
  }
  const found = handler ? tryCatch(ctx, handler.call, handler.calleeName, lastThrow) : null;
  if (found === 'handled') return null;
  return found ?? (e.end === 'rejected' || e.end === 'caught' ? callbackHandler(ctx, e, lastThrow) : null);
}

/** The finding for an error `cb` swallowed; `thrower`: the recorded frame that threw it, if one did. */
function finding(e: ErrorChain, cb: Swallow, thrower: ErrorChain['unwound'][number] | null): Finding {
  const err = e.value;
  const what = err && typeof err === 'object' && err.type === 'error' ? `${err.name}: ${err.message}` : brief(err);
  const who = thrower ? `${thrower.name}${thrower.file ? ` (${displayPath(thrower.file)}:${thrower.line})` : ''} threw ${what}` : `${what} was thrown by code that is not recorded (a built-in such as JSON.parse, a library) or in the same function`;
  return {
    id: `swallowed-error:@${e.id}`,
    kind: 'swallowed-error',
    severity: 'medium',
    title: `${what} was swallowed by ${cb.how === 'empty' ? 'an empty' : 'a logging-only'} ${cb.word} at ${displayPath(cb.location.file)}:${cb.location.line}`,
    explanation:
      `${who}; ${cb.frame} caught it in ${cb.how === 'empty' ? 'an empty' : 'a'} ${cb.word}${cb.how === 'log-only' ? ' that only logs it' : ''} and carried on as if nothing had failed. ` +
      `Callers cannot tell that the work was not done. Handle the error (retry, fall back, clean up) or let it propagate.`,
    events: [e.id, ...cb.events],
    locations: [cb.location, ...(thrower?.file ? [{ file: thrower.file, line: thrower.line!, what: `${thrower.name} threw` }] : [])],
  };
}

/** The catch clause the errors listing found (a CatchClause starts there), when its block is empty or only logs. */
function caughtHere(ctx: Ctx, info: CatchAt | undefined): Swallow | null {
  if (info?.file === undefined) return null;
  const sf = sourceFile(ctx.index.rec.dir, info.file);
  if (!sf) return null;
  const at = sf.offset(info.line!, info.column!);
  let clause: Node | null = null;
  walk(sf.program, (n) => {
    if (n.end < at || n.start > at) return false;
    if (n.type === 'CatchClause' && n.start === at) clause = n;
    return clause === null;
  });
  if (clause === null) return null;
  const c = clause as Node;
  const how = swallowKind(sf, c.body as Node);
  if (!how) return null;
  const line = sf.lineOf(c.start);
  return { how, word: 'catch block', frame: info.name, location: { file: info.file, line, column: c.start - sf.offset(line, 0), what: how === 'empty' ? 'empty catch block' : 'catch block that only logs' }, events: [] };
}

interface Swallow {
  how: 'empty' | 'log-only';
  word: string;
  frame: string;
  location: Location;
  events: number[];
}

/** The swallowing catch clause of the frame `call` that caught the error thrown out of `calleeName`. */
function tryCatch(ctx: Ctx, call: number, calleeName: string, lastThrow: number): Swallow | 'handled' | null {
  const { index } = ctx;
  const exit = index.col.link.get(call);
  // The catching frame must have ended normally after the throw (a rethrow would be a throw event).
  if (exit >= 0 && (index.kind(exit) !== Kind.RETURN || exit < lastThrow)) return 'handled';
  const info = index.site(index.chunkOf(call).proc, index.col.site.get(call));
  if (!info) return null;
  const sf = sourceFile(index.rec.dir, info.file);
  if (!sf) return null;
  const fn = functionAt(sf, info.line, info.column);
  if (!fn) return null;
  const tries = ownNodes(fn, (n) => n.type === 'TryStatement' && n.handler != null).map((t) => t.node);
  if (tries.length === 0) return null;
  const short = calleeName.split('.').pop()!.replace(/[^\w$]/g, '');
  const calling = tries.filter((t) => short && new RegExp(`\\b${short}\\s*\\(`).test(sf.textOf(t.block as Node)));
  const candidates = calling.length ? calling : tries.length === 1 ? tries : [];
  // innermost try that calls the callee
  candidates.sort((a, b) => b.start - a.start);
  const t = candidates[0];
  if (!t) return null;
  const handler = t.handler as Node;
  const how = swallowKind(sf, handler.body as Node);
  if (!how) return 'handled';
  return { how, word: 'catch block', frame: info.name, location: { file: info.file, line: sf.lineOf(handler.start), column: handler.start - sf.offset(sf.lineOf(handler.start), 0), what: how === 'empty' ? 'empty catch block' : 'catch block that only logs' }, events: [call] };
}

/** A callback that received the error object as an argument and does nothing but log it. */
function callbackHandler(ctx: Ctx, e: ErrorChain, lastThrow: number): Swallow | null {
  const { index } = ctx;
  const id = objectId(e.value);
  if (id <= 0) return null;
  const { proc, thread } = index.chunkOf(lastThrow);
  let looked = 0;
  for (let r = index.nextInThread(lastThrow); r >= 0 && looked < 5000; r = index.nextInThread(r), looked++) {
    const k = index.kind(r);
    // Rethrown (a throw that carries it), or received by a catch clause (a sync frame's rethrow carries no value).
    if ((k === Kind.THROW || k === Kind.CATCH) && objectId(index.value(r)) === id) return null;
    if (k !== Kind.CALL) continue;
    const args = listItems(index.value(r));
    if (!args.some((a) => objectId(a) === id && a !== null && typeof a === 'object' && (a.type === 'ref' || a.type === 'error'))) continue;
    const c = index.chunkOf(r);
    if (c.proc !== proc || c.thread !== thread) continue;
    const info = index.site(proc, index.col.site.get(r));
    if (!info) continue;
    const sf = sourceFile(index.rec.dir, info.file);
    const fn = sf ? functionAt(sf, info.line, info.column) : null;
    if (!sf || !fn) return null;
    const how = swallowKind(sf, fn.body as Node);
    if (!how) return null;
    return { how, word: 'handler', frame: `the handler ${info.name}`, location: { file: info.file, line: info.line, column: info.column, what: how === 'empty' ? 'empty error handler' : 'error handler that only logs' }, events: [r] };
  }
  return null;
}

