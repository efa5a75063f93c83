#!/usr/bin/env node
/**
 * What masking secrets costs the value writer: string values written with and without the
 * credential-shape pattern, interleaved, median of 7 rounds. Three inputs: 40-character strings that
 * repeat (clean strings are remembered), 40-character strings that are all new, short strings.
 *
 *   node bench/redact.mjs        (needs `npm run build`)
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
const [{ ValueWriter }, { defaultLimits, defaultRedactPattern }, { secretValuePattern, environmentSecrets }] = await Promise.all([imp('runtime/value-writer.js'), imp('format/values.js'), imp('format/redact.js')]);

const keys = new RegExp(defaultRedactPattern, 'i');
const buf = new Uint8Array(1 << 20);
const ROUNDS = 100;
const url = (i) => `GET /api/orders/${i}?page=${i % 7}&sort=created_at`;
const inputs = {
  'repeated 40-char strings': () => Array.from({ length: 1000 }, (_, i) => url(i)),
  'new 40-char strings': (() => {
    let n = 0;
    return () => Array.from({ length: 1000 }, () => url(n++));
  })(),
  'short strings': () => Array.from({ length: 1000 }, (_, i) => `item${i}`),
};

function time(w, make) {
  let ns = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const data = make();
    const t = process.hrtime.bigint();
    w.pos = 0;
    for (const s of data) w.value(s);
    ns += Number(process.hrtime.bigint() - t);
  }
  return ns / (ROUNDS * 1000);
}

for (const [name, make] of Object.entries(inputs)) {
  const plain = new ValueWriter(buf, defaultLimits, keys, null);
  const masked = new ValueWriter(buf, defaultLimits, keys, secretValuePattern(environmentSecrets(process.env, keys)));
  const a = [];
  const b = [];
  for (let i = 0; i < 7; i++) {
    a.push(time(plain, make));
    b.push(time(masked, make));
  }
  a.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  console.log(`${name}: ${a[3].toFixed(0)} ns/value without masking, ${b[3].toFixed(0)} with: ${(b[3] / a[3]).toFixed(2)}x`);
}
