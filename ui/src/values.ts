/** One-line rendering of captured values: the one renderer, src/recording/value-text.ts, in its `ui` style. */
import { TEXT_STYLES, valueText } from '../../src/recording/value-text.js';
import type { Value } from './api.js';

/** A value in one line, as the web app shows it (short strings and containers, with object ids). */
export const show = (v: Value | undefined, level = 0): string => valueText(v, TEXT_STYLES.ui, level);

/** Arguments with their parameter names: `name = "book", price = 30`. */
export function showArgs(args: Value | undefined, params: string[] | undefined): string {
  if (args === undefined) return '';
  if (args !== null && typeof args === 'object' && args.type === 'list') return args.items.map((x, i) => `${params?.[i] ?? `arg${i}`} = ${show(x, 1)}`).join(', ');
  return show(args, 1);
}

export function fmtUs(us: number): string {
  const a = Math.abs(us);
  if (a >= 1e6) return `${(us / 1e6).toFixed(3)} s`;
  if (a >= 1e3) return `${(us / 1e3).toFixed(2)} ms`;
  return `${us.toFixed(0)} µs`;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
