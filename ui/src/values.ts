/** One-line rendering of captured values (src/recording/value-reader.ts Value). */
import type { Value } from './api.js';

export function show(v: Value | undefined, depth = 0): string {
  if (v === undefined) return '…';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? v.slice(0, 80) + '…' : v);
  if (typeof v !== 'object') return String(v);
  const deeper = (x: Value) => (depth >= 2 ? '…' : show(x, depth + 1));
  switch (v.type) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return v.text;
    case 'string':
      return JSON.stringify(v.value.slice(0, 80)) + `… (${v.length} chars)`;
    case 'bigint':
      return `${v.value}n`;
    case 'symbol':
      return `Symbol(${v.description})`;
    case 'function':
      return `ƒ ${v.name || '(anonymous)'}`;
    case 'ref':
      return `<ref #${v.id}>`;
    case 'object': {
      const body = v.entries.slice(0, 8).map(([k, x]) => `${k}: ${deeper(x)}`);
      if (v.keys > v.entries.length || v.entries.length > 8) body.push('…');
      return `${v.class !== 'Object' ? v.class + ' ' : ''}{${body.join(', ')}}${v.id ? ` #${v.id}` : ''}`;
    }
    case 'array': {
      const body = v.items.slice(0, 8).map(deeper);
      if (v.length > Math.min(8, v.items.length)) body.push(`… ${v.length} items`);
      return `[${body.join(', ')}]${v.id ? ` #${v.id}` : ''}`;
    }
    case 'list':
      return v.items.map(deeper).join(', ');
    case 'error':
      return `${v.name}: ${v.message}`;
    case 'map':
      return `Map(${v.size}) {${v.entries.slice(0, 6).map(([k, x]) => `${deeper(k)} => ${deeper(x)}`).join(', ')}}`;
    case 'set':
      return `Set(${v.size}) {${v.items.slice(0, 6).map(deeper).join(', ')}}`;
    case 'date':
      return new Date(v.time).toISOString();
    case 'regexp':
      return `/${v.source}/${v.flags}`;
    case 'bytes':
      return `${v.class}(${v.length})`;
    case 'proxy':
      return `Proxy #${v.id}`;
    case 'accessor':
      return `[${v.get ? 'getter' : ''}${v.get && v.set ? '/' : ''}${v.set ? 'setter' : ''}]`;
    case 'depth-limit':
      return `${v.class} {…}`;
    case 'redacted':
      return '[redacted]';
    case 'truncated':
      return '…';
    case 'opaque':
      return `${v.class} #${v.id}`;
  }
}

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
