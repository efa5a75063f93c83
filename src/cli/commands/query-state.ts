/** `cinema query … state` and `… history`: object state at a moment, and who wrote a value when. */
import { checkRow, type EventIndex } from '../../query/index/event-index.js';
import { bindingHistory, momentIn, propertyHistory, resolveObject, rowAtTime, stateAt, type History } from '../../query/state.js';
import { systemAt, wallTimeOf, type SystemAt } from '../../query/system.js';
import { intOption, UsageError } from '../args.js';
import type { Subcommand } from './query-subcommands.js';
import { formatEvent, formatFrame, show } from './query-views.js';
import { displayPath } from '../../recording/sources.js';

type Values = Parameters<Subcommand['run']>[2];
const str = (v: Values, k: string) => v[k] as string | undefined;

function formatHistory(h: History, withStack: boolean): string[] {
  const out = [`${h.target}: ${h.total} write(s)${h.total > h.writes.length ? `, the last ${h.writes.length} shown` : ''}`];
  for (const w of h.writes) {
    const what = w.op === 'delete' ? 'deleted' : w.op === 'snapshot' ? `${w.value === undefined ? '?' : show(w.value)}  (first seen)` : w.value === undefined ? '(value not recorded)' : show(w.value);
    const at = w.site ? `  ${w.site.target ?? ''} at ${displayPath(w.site.file)}:${w.site.line}` : '';
    out.push(`@${w.event.id}  ${(w.event.time / 1000).toFixed(3)} ms  ${w.event.pid}/${w.event.thread}  = ${what}${at}`);
    if (w.writer) out.push(`    by ${formatFrame(w.writer)}`);
    if (w.cause && w.cause.call !== w.writer?.call) out.push(`    caused by ${formatFrame(w.cause)}`);
    if (withStack) for (const f of w.stack) out.push(`      at ${formatFrame(f)}`);
  }
  return out;
}

/** The moment `--at EVENT` / `--time MS` (since the first process started) names: wall-clock µs and the event, if one. */
function wallMoment(index: EventIndex, v: Values): { wallUs: number; anchor?: number } {
  if (v.at !== undefined && v.time !== undefined) throw new UsageError('give --at or --time, not both');
  if (v.at !== undefined) {
    const n = Number(str(v, 'at')!.replace(/^@/, ''));
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--at takes an event id, not '${str(v, 'at')}'`);
    return { wallUs: wallTimeOf(index, checkRow(index, n)), anchor: n };
  }
  const start = Math.min(...index.rec.processes.map((p) => p.info.timeOrigin)) * 1000;
  if (v.time !== undefined) {
    const ms = Number(str(v, 'time'));
    if (!Number.isFinite(ms)) throw new UsageError(`--time takes a time in ms, not '${str(v, 'time')}'`);
    return { wallUs: start + ms * 1000 };
  }
  return { wallUs: Infinity };
}

function formatSystem(s: SystemAt): string[] {
  const out: string[] = [];
  for (const t of s.threads) {
    out.push(`${t.pid}/${t.thread}  ${t.state === 'idle' ? 'idle in the event loop' : 'running'}  (last event @${t.event})`);
    for (const f of t.stack) out.push(`    at ${formatFrame(f)}`);
    for (const a of t.awaiting) out.push(`    awaiting: ${formatFrame(a.frame)}${a.line !== undefined ? ` (waits at ${displayPath(a.file!)}:${a.line}, @${a.suspend})` : ''}`);
    for (const r of t.resources) out.push(`    pending ${r.type} #${r.asyncId} (created @${r.created})`);
  }
  return out.length ? out : ['nothing had started at that moment'];
}

export const stateSubcommands: Subcommand[] = [
  {
    name: 'system',
    summary: 'every process and thread at a moment: stack, pending awaits and async work',
    args: '',
    help: `Prints the whole program at one moment: for every process and thread that had started, the
stack it was running (or that it was idle in the event loop), the async functions waiting at an
await, and, when recorded with --causality, the async resources created and not yet finished.
Without --at or --time: at the end of the recording.

      --at EVENT        at event EVENT (@N), by its time
      --time MS         at MS ms after the first process started`,
    options: { at: { type: 'string' }, time: { type: 'string' } },
    run(index, args, v, io) {
      if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
      const m = wallMoment(index, v);
      const s = systemAt(index, m.wallUs, m.anchor);
      if (v.json) return io.out(JSON.stringify(s, null, 2));
      for (const l of formatSystem(s)) io.out(l);
    },
  },
  {
    name: 'state',
    summary: "an object's properties at a moment (keyframe + writes)",
    args: ' OBJECT',
    help: `Prints object OBJECT (its id: N, as in <ref #N>, or PID/THREAD/N: ids are per thread) as it was
just after an event: its first snapshot with every later write and delete applied. Without --at or
--time: at the end of the recording. Writes by code that is not instrumented are not seen.

      --at EVENT        just after event EVENT (@N; an event of another thread counts by its time)
      --time MS         at MS ms since the object's process started`,
    options: { at: { type: 'string' }, time: { type: 'string' } },
    run(index: EventIndex, args, v, io) {
      if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'which object? give its id (the N of <ref #N>)');
      if (v.at !== undefined && v.time !== undefined) throw new UsageError('give --at or --time, not both');
      const obj = resolveObject(index, args[0]!);
      let row: number;
      if (v.at !== undefined) {
        const n = Number(str(v, 'at')!.replace(/^@/, ''));
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`--at takes an event id, not '${str(v, 'at')}'`);
        row = momentIn(index, obj.ctx, checkRow(index, n));
      } else if (v.time !== undefined) {
        const ms = Number(str(v, 'time'));
        if (!Number.isFinite(ms)) throw new UsageError(`--time takes a time in ms, not '${str(v, 'time')}'`);
        row = rowAtTime(index, obj.ctx, ms * 1000);
      } else row = rowAtTime(index, obj.ctx, Infinity);
      const s = stateAt(index, obj, row);
      if (v.json) return io.out(JSON.stringify(s, null, 2));
      const name = `${s.object.pid}/${s.object.thread}/${s.object.id}`;
      if (!s.seen || s.state === undefined) return io.out(`object ${name} not seen yet ${row >= 0 ? `at @${row}` : 'at that time'}`);
      io.out(`object ${name} after ${row >= 0 ? formatEvent(index.event(row, false)) : 'the start'}`);
      io.out(`  ${show(s.state)}${s.partial ? '  (snapshot kept only some keys)' : ''}`);
      io.out(`  first seen @${s.keyframe}; ${s.applied.length} key(s) written since: ${s.applied.map((a) => `${a.key}${a.deleted ? ' (deleted)' : ''} @${a.event}`).join(', ') || '-'}`);
    },
  },
  {
    name: 'history',
    summary: 'every write to OBJECT.KEY or a binding: value, writer, stack, cause',
    args: ' OBJECT.KEY|NAME',
    help: `Lists every write to a property (OBJECT.KEY, e.g. 3.total or 4242/0/3.total) or to a module-level,
closure or global variable (NAME), oldest first: the value after the write, where the write is,
the function that made it with its arguments, and the outermost call that led to it.

  -n, --limit N         the last N writes (default 50)
      --stack           print the whole stack of each write (always in --json)`,
    options: { limit: { type: 'string', short: 'n' }, stack: { type: 'boolean' } },
    run(index, args, v, io) {
      if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'what? give OBJECT.KEY (e.g. 3.total) or a variable name');
      const limit = intOption(str(v, 'limit'), 'limit', 50, 1, 1_000_000);
      const m = /^((?:\d+\/\d+\/)?#?\d+)\.(.+)$/.exec(args[0]!);
      const h = m ? propertyHistory(index, resolveObject(index, m[1]!), m[2]!, { limit }) : bindingHistory(index, args[0]!, { limit });
      if (v.json) return io.out(JSON.stringify(h, null, 2));
      for (const l of formatHistory(h, v.stack === true)) io.out(l);
    },
  },
];
