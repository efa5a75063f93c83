/** What every detector gets: the index, per-thread arrays and helpers to name sites and values. */
import type { SiteInfo } from '../recording/recording.js';
import type { Value } from '../recording/value-reader.js';
import { displayPath } from '../recording/sources.js';
import { TEXT_STYLES, valueText } from '../recording/value-text.js';
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

export function listItems(v: Value | undefined): Value[] {
  return v !== null && v !== undefined && typeof v === 'object' && v.type === 'list' ? v.items : [];
}

/** A value inside an explanation's sentence (src/recording/value-text.ts). */
export const brief = (v: Value | undefined): string => valueText(v, TEXT_STYLES.brief);

export const ms = (us: number): string => (us >= 10_000 ? `${Math.round(us / 1000)} ms` : `${(us / 1000).toFixed(1)} ms`);
export const where = (l: Location | undefined): string => (l ? `${displayPath(l.file)}:${l.line}` : 'an unknown place');
