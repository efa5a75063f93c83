/**
 * What a stack frame shows at a moment of the recording: its arguments, what the current event
 * did (the value returned, thrown or written), and the module-level and closure variables of its
 * file as last written. A function's own locals are not recorded (see README), so they are not
 * invented here either. The same names are what expressions (conditions, watches) can use.
 */
import { Kind, kindNames } from '../format/events.js';
import type { Value } from '../recording/value-reader.js';
import { thrownValue } from '../query/errors.js';
import type { Frame } from '../query/stack.js';
import { lastWrite } from '../query/state.js';
import type { Replay } from './replay.js';

export type Named = [name: string, value: Value][];

export interface FrameScopes {
  arguments: Named;
  /** Only for the frame the event happened in. */
  event: Named;
  bindings: Named;
}

export function argumentsOf(frame: Frame): Named {
  const args = frame.args;
  if (!args || typeof args !== 'object' || args.type !== 'list') return [];
  const names = frame.params ?? [];
  const out: Named = args.items.map((v, i) => [names[i] ?? `arguments[${i}]`, v]);
  // Parameters that got no argument were undefined.
  for (let i = args.items.length; i < names.length; i++) out.push([names[i]!, { type: 'undefined' }]);
  return out;
}

/** The current event: its value under the name that says what it is. */
export function eventOf(replay: Replay, row: number): Named {
  const idx = replay.index;
  const k = idx.kind(row);
  const v = idx.kind(row) === Kind.THROW ? thrownValue(idx, row) : idx.value(row);
  const out: Named = [['$event', row]];
  if (v === undefined) return out;
  const items = typeof v === 'object' && v !== null && v.type === 'list' ? v.items : null;
  const target = replay.site(row)?.target;
  if (k === Kind.RETURN) out.push(['$return', v]);
  else if (k === Kind.THROW || k === Kind.ERROR || k === Kind.CATCH) out.push(['$exception', v]);
  else if (k === Kind.WRITE && items) out.push([target ?? '$value', items.length === 1 ? items[0]! : items[2] ?? v]);
  else if (k === Kind.MUTATE && items) out.push([target ?? '$value', items[2] ?? v]);
  else if (k !== Kind.CALL && k !== Kind.RESUME) out.push([`$${kindNames[k] ?? 'value'}`, v]);
  return out;
}

/** Module-level and closure variables of `file` as last written at or before `row` in its thread. */
export function bindingsOf(replay: Replay, row: number, file: string | undefined, only?: Set<string>): Named {
  if (file === undefined) return [];
  const idx = replay.index;
  const c = idx.chunkOf(row);
  const ctx = replay.ctxOf(row);
  const names = new Set<string>();
  for (const s of idx.rec.processes[c.proc]?.sites().values() ?? []) if (s.kind === 'write' && s.binding && s.file === file && s.target && (!only || only.has(s.target))) names.add(s.target);
  const out: Named = [];
  for (const name of [...names].sort()) {
    const w = lastWrite(idx, { ctx, pid: idx.pidOf(c.proc), thread: c.thread, id: 0 }, name, row);
    if (w < 0 || replay.site(w)?.file !== file) continue;
    const v = idx.value(w);
    out.push([name, v && typeof v === 'object' && v.type === 'list' ? (v.items[0] ?? { type: 'undefined' }) : { type: 'truncated' }]);
  }
  return out;
}

/** The scopes of `frame` at `row`; with `only`, the bindings are limited to those names (an expression's). */
export function scopesAt(replay: Replay, row: number, frame: Frame, top: boolean, only?: Set<string>): FrameScopes {
  return { arguments: argumentsOf(frame), event: top ? eventOf(replay, row) : [], bindings: bindingsOf(replay, row, frame.file, only) };
}
