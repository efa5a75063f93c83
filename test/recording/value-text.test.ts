// The one value renderer, fed by the real writer and reader: each value is snapshotted by the
// runtime's ValueWriter, decoded by ValueReader, then rendered in every style.
import { describe, expect, it } from 'vitest';
import { defaultLimits, defaultRedactPattern } from '../../src/format/values.js';
import { ValueReader, type Value } from '../../src/recording/value-reader.js';
import { TEXT_STYLES, valueText, type TextStyleName } from '../../src/recording/value-text.js';
import { ValueWriter } from '../../src/runtime/value-writer.js';

function recorded(v: unknown, limits = defaultLimits): Value {
  const w = new ValueWriter(new Uint8Array(64 * 1024), limits, new RegExp(defaultRedactPattern, 'i'));
  w.value(v);
  return new ValueReader(w.buf, 0, w.pos).record();
}

const text = (v: unknown, style: TextStyleName, limits = defaultLimits) => valueText(recorded(v, limits), TEXT_STYLES[style]);

class Cart {
  owner = 'ada';
  items = ['pen', 'book'];
}

describe('valueText', () => {
  it('renders the same types alike in every style, with the style’s quotes', () => {
    const v = { n: 1, s: "it's", big: 12n, f: function add() {}, re: /a+/g, d: new Date(0), m: new Map([['k', 2]]) };
    expect(text(v, 'cli')).toBe(`{n: 1, s: "it's", big: 12n, f: ƒ add, re: /a+/g, d: 1970-01-01T00:00:00.000Z, m: Map(1) {"k" => 2}}`);
    expect(text(v, 'dap')).toBe(`{n: 1, s: 'it\\'s', big: 12n, f: ƒ add, re: /a+/g, d: 1970-01-01T00:00:00.000Z, m: Map(1) {'k' => 2}}`);
    const preview = text({ s: 'z'.repeat(200) }, 'dap');
    expect([preview.length, preview.endsWith('zz…'), text({ s: 'z'.repeat(200) }, 'cli').length]).toEqual([100, true, 207]);
    expect(text(v, 'brief')).toBe(`{n: 1, s: "it's", big: 12n, f: function add, …}`);
  });

  it('opens as many levels as the style says and summarizes the rest', () => {
    const v = { a: { b: { c: { d: 1 } } }, list: [1, [2, [3]]] };
    const limits = { ...defaultLimits, depth: 8 };
    expect(text(v, 'cli', limits)).toBe('{a: {b: {c: {…}}}, list: [1, [2, Array(1)]]}');
    expect(text(v, 'dap', limits)).toBe('{a: {b: {…}}, list: Array(2) [1, Array(2)]}');
    expect(text(v, 'brief', limits)).toBe('{a: {…}, list: Array(2)}');
  });

  it('cuts strings and containers where the style says, and says so', () => {
    const long = 'x'.repeat(100);
    expect(text(long, 'cli')).toBe(JSON.stringify(long));
    expect(text(long, 'ui')).toBe(JSON.stringify('x'.repeat(80) + '…'));
    expect(text(long, 'brief')).toBe(JSON.stringify('x'.repeat(60) + '…'));
    const many = Array.from({ length: 12 }, (_, i) => i);
    expect(text(many, 'cli')).toBe(`[${many.join(', ')}]`);
    expect(text(many, 'ui')).toMatch(/^Array\(12\) \[0, 1, 2, 3, 4, 5, 6, 7, …\] #\d+$/);
    expect(text(many, 'brief')).toBe('[0, 1, 2, 3, …]');
    const cut = text('y'.repeat(1000), 'cli');
    expect(cut).toBe(`${JSON.stringify('y'.repeat(256))}… (1000 chars)`);
  });

  it('shows class names, references and values not recorded', () => {
    const cart = new Cart();
    expect(text(cart, 'cli')).toBe('Cart {owner: "ada", items: ["pen", "book"]}');
    expect(text([cart, cart], 'cli')).toMatch(/^\[Cart \{owner: "ada", items: \["pen", "book"\]\}, <ref #\d+>\]$/);
    expect(text([cart, cart], 'brief')).toMatch(/, object #\d+\]$/);
    expect(valueText(undefined, TEXT_STYLES.brief)).toBe('(not recorded)');
    expect(valueText(undefined, TEXT_STYLES.ui)).toBe('…');
    expect(text({ password: 'hunter2' }, 'cli')).toBe('{password: [redacted]}');
  });

  it('brackets argument lists per style', () => {
    const w = new ValueWriter(new Uint8Array(4096), defaultLimits, new RegExp(defaultRedactPattern, 'i'));
    w.list(2, 'book', 30, undefined, undefined);
    const args = new ValueReader(w.buf, 0, w.pos).record();
    expect(valueText(args, TEXT_STYLES.cli)).toBe('("book", 30)');
    expect(valueText(args, TEXT_STYLES.ui)).toBe('"book", 30');
    expect(valueText(args, TEXT_STYLES.dap)).toBe("['book', 30]");
  });

  it('names host objects in every style: the HTTP exchange when http capture tagged them, else the class', async () => {
    const http = await import('node:http');
    const net = await import('node:net');
    const { nameHostObjects } = await import('../../src/runtime/object-refs.js');
    const req = new http.IncomingMessage(new net.Socket());
    const res = new http.ServerResponse(req);
    // As http capture's namer does: requests and responses by their exchange.
    nameHostObjects((o) => (o === req ? { label: 'request', id: 7 } : o === res ? { label: 'response', id: 7 } : undefined));
    const w = new ValueWriter(new Uint8Array(4096), defaultLimits, new RegExp(defaultRedactPattern, 'i'));
    w.list(3, req, res, req.socket, undefined);
    const args = new ValueReader(w.buf, 0, w.pos).record();
    expect(valueText(args, TEXT_STYLES.cli)).toMatch(/^\(request #7, response #7, Socket #\d+\)$/);
    expect(valueText(args, TEXT_STYLES.ui)).toMatch(/^request #7, response #7, Socket #\d+$/);
    expect(valueText(args, TEXT_STYLES.brief)).toMatch(/^\(request #7, response #7, Socket #\d+\)$/);
    expect(valueText(args, TEXT_STYLES.dap)).toMatch(/^\[request #7, response #7, Socket #\d+\]$/);
  });
});
