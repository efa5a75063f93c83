/**
 * The one renderer of recorded values (value-reader.ts `Value`) as one line of text. Every place
 * that shows a value (`cinema query`, the web app, insight explanations, the debugger) picks a
 * style below; styles differ only in the knobs of `TextStyle`, so a type reads the same everywhere
 * (ADR 0018). The web app bundles this file too: it must stay pure (type imports only, no Node API).
 */
import type { Value } from './value-reader.js';

export interface TextStyle {
  /** 'json': `"a\"b"` (terminal, web app, prose); 'js': `'a\'b'`, as VS Code shows live values. */
  quote: 'json' | 'js';
  /** Characters of a string shown before it is cut with '…'. */
  maxString: number;
  /** Container levels opened; deeper containers show as a summary: `{…}`, `Array(3)`, `Map(2)`. */
  depth: number;
  /** Entries shown per object, array, map or set before ', …'. */
  maxItems: number;
  /** Arrays as `Array(3) [1, 2, 3]` (the length even when items were cut) instead of `[1, 2, 3]`. */
  lengths: boolean;
  /** ` #12` after snapshots of objects and arrays, the id to ask for them by. */
  ids: boolean;
  /** 'code': `<ref #3>`, `ƒ f`; 'prose': `object #3`, `function f`, for sentences. */
  words: 'code' | 'prose';
  /** Brackets around an argument list. */
  list: readonly [string, string];
  /** What a value that was not recorded (absent, or cut by the record budget) reads as. */
  missing: string;
  /** The whole text is cut to this many characters. */
  maxLength: number;
}

const style = (s: TextStyle): Readonly<TextStyle> => Object.freeze(s);

/** The styles, built once. */
export const TEXT_STYLES = {
  /** `cinema query`: full strings and entries, three levels deep. */
  cli: style({ quote: 'json', maxString: Infinity, depth: 3, maxItems: Infinity, lengths: false, ids: false, words: 'code', list: ['(', ')'], missing: '(not recorded)', maxLength: Infinity }),
  /** The web app: short strings and containers, with the ids the state panel finds objects by. */
  ui: style({ quote: 'json', maxString: 80, depth: 3, maxItems: 8, lengths: true, ids: true, words: 'code', list: ['', ''], missing: '…', maxLength: Infinity }),
  /** Insight explanations: a value inside a sentence. */
  brief: style({ quote: 'json', maxString: 60, depth: 1, maxItems: 4, lengths: false, ids: false, words: 'prose', list: ['(', ')'], missing: '(not recorded)', maxLength: Infinity }),
  /** The debugger's one-line previews (variables, hovers, exceptions). */
  dap: style({ quote: 'js', maxString: Infinity, depth: 2, maxItems: Infinity, lengths: true, ids: false, words: 'code', list: ['[', ']'], missing: '(not recorded)', maxLength: 100 }),
} as const satisfies Record<string, Readonly<TextStyle>>;

export type TextStyleName = keyof typeof TEXT_STYLES;

/** One line of text for `v` in `s`; `level` > 0 renders it as if nested that deep. */
export function valueText(v: Value | undefined, s: Readonly<TextStyle>, level = 0): string {
  const text = v === undefined ? s.missing : render(v, s, level);
  return text.length > s.maxLength ? `${text.slice(0, s.maxLength - 1)}…` : text;
}

const jsQuote = (t: string) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
const quote = (t: string, s: TextStyle) => (s.quote === 'js' ? jsQuote(t) : JSON.stringify(t));

type Typed = Exclude<Value, null | boolean | number | string>;
type Of<T extends Typed['type']> = Extract<Typed, { type: T }>;

/** Values without children: how each type reads, the same in every style but for `words` and quotes. */
const leaf: { [T in Typed['type']]?: (v: Of<T>, s: TextStyle) => string } = {
  undefined: () => 'undefined',
  number: (v) => v.text,
  bigint: (v) => `${v.value}n`,
  string: (v, s) => `${quote(cut(v.value, s), s)}… (${v.length} chars)`,
  symbol: (v) => `Symbol(${v.description})`,
  function: (v, s) => `${s.words === 'prose' ? 'function' : 'ƒ'} ${v.name || '(anonymous)'}`,
  ref: (v, s) => (s.words === 'prose' ? `object #${v.id}` : `<ref #${v.id}>`),
  error: (v) => `${v.name}: ${v.message}`,
  date: (v) => (Number.isFinite(v.time) ? new Date(v.time).toISOString() : 'Invalid Date'),
  regexp: (v) => `/${v.source}/${v.flags}`,
  bytes: (v) => `${v.class}(${v.length})`,
  proxy: (v) => `Proxy #${v.id}`,
  accessor: (v) => `[${[v.get ? 'getter' : '', v.set ? 'setter' : ''].filter(Boolean).join('/')}]`,
  'depth-limit': (v) => summary(v.class),
  redacted: () => '[redacted]',
  truncated: (_, s) => s.missing,
  opaque: (v) => `${v.class} #${v.id}`,
  // A host object named, not snapshotted (ADR 0017): `request #7` (its HTTP exchange) or `Socket #2`.
  brief: (v) => `${v.label || v.class} #${v.number}`,
};

/** An object not opened here, or cut at recording by the depth limit: `{…}`, `Cart {…}`. */
const summary = (cls: string) => (cls === 'Object' ? '{…}' : `${cls} {…}`);
const cut = (t: string, s: TextStyle) => t.slice(0, s.maxString);

function render(v: Value, s: TextStyle, level: number): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v.length > s.maxString ? `${cut(v, s)}…` : v, s);
  if (typeof v !== 'object') return String(v);
  const open = level < s.depth;
  const next = level + 1;
  switch (v.type) {
    case 'object':
      if (!open) return summary(v.class);
      return `${v.class === 'Object' ? '' : `${v.class} `}{${entries(v.entries, Math.max(v.keys, v.entries.length), s, next, ': ')}}${id(v.id, s)}`;
    case 'array': {
      const len = s.lengths || !open ? `Array(${v.length})` : '';
      return open ? `${len}${len ? ' ' : ''}[${items(v.items, Math.max(v.length, v.items.length), s, next)}]${id(v.id, s)}` : len;
    }
    case 'list':
      return `${s.list[0]}${open ? items(v.items, v.items.length, s, next) : '…'}${s.list[1]}`;
    case 'map':
      return `Map(${v.size})${open ? ` {${entries(v.entries, Math.max(v.size, v.entries.length), s, next, ' => ')}}` : ''}`;
    case 'set':
      return `Set(${v.size})${open ? ` {${items(v.items, Math.max(v.size, v.items.length), s, next)}}` : ''}`;
  }
  const f = leaf[v.type] as ((x: Typed, s: TextStyle) => string) | undefined;
  return f ? f(v, s) : `[${v.type}]`;
}

const id = (n: number, s: TextStyle) => (s.ids && n ? ` #${n}` : '');
/** ', …' when entries were cut here (maxItems) or at recording (`total` is more than were kept). */
const more = (shown: number, total: number) => (total > shown ? (shown ? ', …' : '…') : '');

function items(xs: Value[], total: number, s: TextStyle, level: number): string {
  const n = Math.min(xs.length, s.maxItems);
  let out = '';
  for (let i = 0; i < n; i++) out += `${i ? ', ' : ''}${render(xs[i]!, s, level)}`;
  return out + more(n, total);
}

/** Object entries (`k: v`, keys as they are) or map entries (`k => v`, keys rendered). */
function entries(xs: [Value, Value][] | [string, Value][], total: number, s: TextStyle, level: number, sep: ': ' | ' => '): string {
  const n = Math.min(xs.length, s.maxItems);
  let out = '';
  for (let i = 0; i < n; i++) {
    const [k, x] = xs[i]!;
    out += `${i ? ', ' : ''}${sep === ': ' ? k : render(k, s, level)}${sep}${render(x, s, level)}`;
  }
  return out + more(n, total);
}
