/** The timeline's layout (a row per lane, threads first with their async and HTTP lanes under them), colours and labels. */
import type { HttpSpan, Lane } from './api.js';

export const AXIS = 20;
export const HEIGHT: Record<Lane['kind'], number> = { thread: 30, async: 20, http: 40 };
export const GUTTER = 150;
export const HTTP_ROWS = 3;
export const SHADES = 16;
const shades = (f: (d: number) => string) => Array.from({ length: SHADES }, (_, i) => f(i / (SHADES - 1)));
export const THREAD_COLORS = shades((d) => `hsl(${210 - d * 170} 60% ${45 + d * 10}%)`);
export const ASYNC_COLORS = shades((d) => `hsl(${265 - d * 40} 45% ${48 + d * 10}%)`);

export interface Row {
  lane: Lane;
  y: number;
  h: number;
}

/** Threads in order, each followed by its async-context lanes and its HTTP lane. */
export function layout(lanes: Lane[]): Row[] {
  const rows: Row[] = [];
  let y = AXIS;
  for (const t of lanes.filter((l) => l.kind === 'thread')) {
    for (const l of [t, ...lanes.filter((x) => x.parent === t.lane && x.kind === 'async'), ...lanes.filter((x) => x.parent === t.lane && x.kind === 'http')]) {
      rows.push({ lane: l, y, h: HEIGHT[l.kind] });
      y += HEIGHT[l.kind];
    }
  }
  return rows;
}

export const httpColor = (s: HttpSpan) => (s.error || (s.status ?? 0) >= 500 ? '#d9534f' : s.open ? '#6b717c' : (s.status ?? 0) >= 400 ? '#e0913a' : s.dir === 'in' ? '#4fa67a' : '#4f86c6');
/** `text` cut with an ellipsis to fit `w` pixels. */
export function fit(c: CanvasRenderingContext2D, text: string, w: number): string {
  if (c.measureText(text).width <= w) return text;
  let n = text.length;
  while (n > 1 && c.measureText(`${text.slice(0, n)}…`).width > w) n--;
  return `${text.slice(0, n)}…`;
}

export const httpLabel = (s: HttpSpan) => `${s.dir === 'in' ? '⇠' : '⇢'} ${s.method} ${s.url}${s.status ? ` ${s.status}` : ''}${s.error ? ` ${s.error}` : ''}${s.open ? ' (no response)' : ''}`;
