/** Text renderings of query results for `cinema query`. */
import type { Value } from '../../recording/value-reader.js';
import { TEXT_STYLES, valueText } from '../../recording/value-text.js';
import type { EventView } from '../../query/events.js';
import type { CallNode } from '../../query/calltree.js';
import type { ErrorChain } from '../../query/errors.js';
import type { Frame } from '../../query/stack.js';
import type { SiteTiming } from '../../query/slowest.js';
import { displayPath } from '../../recording/sources.js';
import { MODULE_NAME } from '../../format/sites.js';

export function formatEvent(e: EventView & { id?: number }): string {
  const where = e.file ? `${displayPath(e.file)}:${e.line}` : `site ${e.site}`;
  const value = e.value === undefined ? '' : `  ${show(e.value)}`;
  const id = e.id === undefined ? '' : `  @${e.id}`;
  return `${(e.time / 1000).toFixed(3).padStart(10)} ms  ${e.pid}/${e.thread} #${e.seq}  ${e.kind.padEnd(7)} ${e.name ?? ''}  ${where}${value}${id}`;
}

export function formatFrame(f: Frame): string {
  const args = f.args && typeof f.args === 'object' && f.args !== null && 'items' in f.args && f.args.type === 'list' ? f.args.items : [];
  const shown = args.map((a, i) => (f.params?.[i] ? `${f.params[i]}=${show(a)}` : show(a))).join(', ');
  const where = f.file ? `  ${displayPath(f.file)}:${f.line}` : '';
  const tag = f.async ? '  (async caller)' : f.resumed ? '  (resumed)' : '';
  return `${f.name}(${shown})${where}  @${f.call}${tag}`;
}

export function formatTree(n: CallNode, indent = '', out: string[] = []): string[] {
  const dur = n.durationUs === undefined ? 'not ended' : `${(n.durationUs / 1000).toFixed(3)} ms`;
  const res = n.result === undefined ? '' : n.threw ? `  threw ${show(n.result)}` : `  → ${show(n.result)}`;
  out.push(`${indent}${formatFrame(n)}  [${dur}]${res}`);
  for (const c of n.children) formatTree(c, indent + '  ', out);
  if (n.more) out.push(`${indent}  … ${n.more} more call(s)`);
  return out;
}

export function formatTiming(t: SiteTiming): string {
  const ms = (us: number) => (us / 1000).toFixed(3).padStart(9);
  return `${String(t.calls).padStart(9)}  ${ms(t.p50Us)} ${ms(t.p95Us)} ${ms(t.p99Us)} ${ms(t.maxUs)}  ${t.name}  ${t.file ? `${displayPath(t.file)}:${t.line}` : ''}  slowest @${t.slowestCall}`;
}

export function formatError(e: ErrorChain): string[] {
  const seen = e.kind === 'catch' ? '  (thrown by unrecorded code or in the same frame)' : e.valueFrom === 'catch' ? '  (as its catch clause received it)' : e.valueFrom === 'argument' ? '  (as a later call received it)' : '';
  const what = e.kind === 'error' ? 'uncaught error' : e.kind === 'catch' ? 'caught' : 'thrown';
  const out = [`@${e.id} ${what}: ${e.value === undefined ? '(value not recorded)' : show(e.value)}${seen}`];
  for (const f of e.unwound) out.push(`    unwound ${formatFrame(f)}`);
  if (e.end === 'caught') out.push(`    ${caughtText(e)}`);
  else out.push(`    ${e.end === 'rejected' ? 'rejected the promise of an async function' : e.end === 'uncaught' ? 'uncaught' : 'end not recorded'}`);
  return out;
}

/** Where a caught exception ended: the catching frame, else the catch clause (at module level there is no frame). */
function caughtText(e: ErrorChain): string {
  if (e.caughtBy) return `caught in ${formatFrame(e.caughtBy)}`;
  const c = e.catchAt;
  if (!c) return 'caught (by code that is not recorded)';
  const where = c.file ? `  ${displayPath(c.file)}:${c.line}` : '';
  return `caught ${c.name === MODULE_NAME ? 'at module level' : `in ${c.name}`}${where}  @${c.id}`;
}

/** A captured value in one line, as the terminal shows it (src/recording/value-text.ts). */
export const show = (v: Value): string => valueText(v, TEXT_STYLES.cli);
