import { kindNames } from '../../format/events.js';
import { resolveRecording } from '../../recording/locate.js';
import { Recording } from '../../recording/recording.js';
import { listEvents, type EventView } from '../../query/events.js';
import type { Value } from '../../recording/value-reader.js';
import { intOption, parse, UsageError } from '../args.js';
import type { Command } from '../command.js';

const kinds = Object.values(kindNames).filter((k) => k !== 'time');

export const query: Command = {
  name: 'query',
  summary: 'ask a recording questions (events: list events with their values)',
  usage: `cinema query [REC] events [options]

Lists events of a recording (the latest under .cinema/ when REC is not given) in each thread's
order, with their function, source location and captured values.

Options:
  -k, --kind KIND       only events of this kind (repeatable): ${kinds.join(', ')}
  -f, --function NAME   only events of functions with this name (e.g. Cart.add)
      --pid PID         only this process
      --thread ID       only this thread
      --offset N        skip the first N matching events
  -n, --limit N         at most N events (default 50)
      --json            print JSON
  -h, --help            show this help`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, {
      kind: { type: 'string', short: 'k', multiple: true },
      function: { type: 'string', short: 'f' },
      pid: { type: 'string' },
      thread: { type: 'string' },
      offset: { type: 'string' },
      limit: { type: 'string', short: 'n' },
      json: { type: 'boolean' },
    });
    if (v.help) return io.help(this);
    const sub = positionals.at(-1);
    if (sub !== 'events') throw new UsageError(sub ? `unknown query '${sub}' (queries: events)` : 'which query? (queries: events)');
    if (positionals.length > 2) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    for (const k of v.kind ?? []) if (!kinds.includes(k)) throw new UsageError(`--kind must be one of ${kinds.join(', ')}, not '${k}'`);
    const rec = Recording.open(resolveRecording(positionals.length === 2 ? positionals[0] : undefined));
    const rows = listEvents(rec, {
      ...(v.kind ? { kinds: v.kind } : {}),
      ...(v.function ? { fn: v.function } : {}),
      ...(v.pid ? { pid: intOption(v.pid, 'pid', 0, 0, 2 ** 31) } : {}),
      ...(v.thread ? { thread: intOption(v.thread, 'thread', 0, 0, 2 ** 31) } : {}),
      offset: intOption(v.offset, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
      limit: intOption(v.limit, 'limit', 50, 1, 1_000_000),
    });
    if (v.json) io.out(JSON.stringify(rows, null, 2));
    else for (const r of rows) io.out(formatEvent(r));
    return 0;
  },
};

function formatEvent(e: EventView): string {
  const where = e.file ? `${e.file}:${e.line}` : `site ${e.site}`;
  const value = e.value === undefined ? '' : `  ${show(e.value)}`;
  return `${(e.time / 1000).toFixed(3).padStart(10)} ms  ${e.pid}/${e.thread} #${e.seq}  ${e.kind.padEnd(7)} ${e.name ?? ''}  ${where}${value}`;
}

/** A short, one-line rendering of a captured value. */
export function show(v: Value, depth = 0): string {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? JSON.stringify(v) : String(v);
  if (depth > 2) return '…';
  switch (v.type) {
    case 'list':
      return `(${v.items.map((i) => show(i, depth + 1)).join(', ')})`;
    case 'object':
      return `${v.class === 'Object' ? '' : v.class + ' '}{${v.entries.map(([k, x]) => `${k}: ${show(x, depth + 1)}`).join(', ')}${v.keys > v.entries.length ? ', …' : ''}}`;
    case 'array':
      return `[${v.items.map((i) => show(i, depth + 1)).join(', ')}${v.length > v.items.length ? ', …' : ''}]`;
    case 'string':
      return `${JSON.stringify(v.value)}… (${v.length} chars)`;
    case 'error':
      return `${v.name}: ${v.message}`;
    case 'map':
      return `Map(${v.size}) {${v.entries.map(([k, x]) => `${show(k, depth + 1)} => ${show(x, depth + 1)}`).join(', ')}}`;
    case 'set':
      return `Set(${v.size}) {${v.items.map((i) => show(i, depth + 1)).join(', ')}}`;
    case 'function':
      return `[Function ${v.name || '(anonymous)'}]`;
    case 'ref':
      return `<ref #${v.id}>`;
    case 'undefined':
      return 'undefined';
    case 'number':
      return v.text;
    case 'bigint':
      return `${v.value}n`;
    case 'date':
      return `Date(${Number.isFinite(v.time) ? new Date(v.time).toISOString() : 'Invalid'})`;
    case 'regexp':
      return `/${v.source}/${v.flags}`;
    case 'redacted':
      return '[redacted]';
    default:
      return `[${v.type}${'class' in v ? ' ' + v.class : ''}]`;
  }
}
