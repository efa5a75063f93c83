/** What every detector gets: the index, per-thread arrays and helpers to name sites and values. */
import type { SiteInfo } from '../recording/recording.js';
import type { Value } from '../recording/value-reader.js';
import type { EventIndex } from '../query/index/event-index.js';
import { threadViews, type ThreadView } from './thread-view.js';
import type { InsightOptions, Location } from './types.js';

export interface Ctx {
  index: EventIndex;
  views: ThreadView[];
  options: InsightOptions;
}

export function makeCtx(index: EventIndex, options: InsightOptions): Ctx {
  return { index, views: threadViews(index, options.maxRowsPerThread), options };
}

export function siteOf(ctx: Ctx, v: ThreadView, pos: number): SiteInfo | undefined {
  return ctx.index.site(v.proc, v.site[pos]!);
}

export function locationOf(info: SiteInfo | undefined, what?: string): Location[] {
  if (!info) return [];
  return [{ file: info.file, line: info.line, column: info.column, ...(what ? { what } : {}) }];
}

/** The object id a captured value refers to (snapshot or reference), or 0. */
export function objectId(v: Value | undefined): number {
  if (v === null || v === undefined || typeof v !== 'object') return 0;
  return 'id' in v && typeof v.id === 'number' && v.type !== 'function' ? v.id : 0;
}

export function listItems(v: Value | undefined): Value[] {
  return v !== null && v !== undefined && typeof v === 'object' && v.type === 'list' ? v.items : [];
}

/** A short rendering of a value for explanations. */
export function brief(v: Value | undefined, depth = 0): string {
  if (v === undefined) return '(not recorded)';
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v) : String(v);
  switch (v.type) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return v.text;
    case 'string':
      return JSON.stringify(v.value.slice(0, 60)) + '…';
    case 'error':
      return `${v.name}: ${v.message}`;
    case 'object':
      return depth > 0 ? `{…}` : `{${v.entries.slice(0, 4).map(([k, x]) => `${k}: ${brief(x, depth + 1)}`).join(', ')}${v.entries.length > 4 ? ', …' : ''}}`;
    case 'array':
      return `array(${v.length})`;
    case 'map':
      return `Map(${v.size})`;
    case 'set':
      return `Set(${v.size})`;
    case 'ref':
      return `object #${v.id}`;
    case 'function':
      return `function ${v.name || '(anonymous)'}`;
    case 'bigint':
      return `${v.value}n`;
    default:
      return v.type;
  }
}

export const ms = (us: number): string => (us >= 10_000 ? `${Math.round(us / 1000)} ms` : `${(us / 1000).toFixed(1)} ms`);
export const where = (l: Location | undefined): string => (l ? `${shortFile(l.file)}:${l.line}` : 'an unknown place');
export function shortFile(file: string): string {
  const f = file.startsWith('file://') ? new URL(file).pathname : file;
  const cwd = process.cwd() + '/';
  return f.startsWith(cwd) ? f.slice(cwd.length) : f;
}
