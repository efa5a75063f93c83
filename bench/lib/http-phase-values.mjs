// In-process cost of the two HTTP phase values a server request writes (ValueWriter.fields with
// the capture's fresh header objects), warm, median of 5 rounds; run it against two checkouts
// for a before/after: node bench/lib/http-phase-values.mjs [CHECKOUT (default: this one)] [N]
// (needs `npm run build` in the checkout).
import path from 'node:path';
import { median } from './common.mjs';
const dist = path.join(path.resolve(process.argv[2] ?? new URL('../..', import.meta.url).pathname), 'dist');
const { ValueWriter } = await import(`${dist}/runtime/value-writer.js`);
const { defaultLimits, defaultRedactPattern } = await import(`${dist}/format/values.js`);
const { environmentSecrets, secretValuePattern } = await import(`${dist}/format/redact.js`);
const N = Number(process.argv[3] ?? 200_000);
const keys = new RegExp(defaultRedactPattern, 'i');
const vw = new ValueWriter(new Uint8Array(1 << 20), defaultLimits, keys, secretValuePattern(environmentSecrets(process.env, keys)));
const reqHeaders = () => { const h = {}; h.host = '127.0.0.1:34567'; h.connection = 'keep-alive'; h['user-agent'] = 'autocannon/9.0.0'; h.accept = '*/*'; return h; };
const resHeaders = (i) => { const h = { __proto__: null }; h['x-powered-by'] = 'Express'; h['content-type'] = 'application/json; charset=utf-8'; h['content-length'] = '31'; h.etag = `W/"1f-${(0x1000000 + i).toString(36)}Zq3sd/Kx"`; return h; };
const KQ = ['phase', 'dir', 'id', 'api', 'method', 'url', 'headers', 'traceparent', 'trace', 'span'];
const KS = ['phase', 'dir', 'id', 'api', 'status', 'headers', 'route', 'ms'];
const hex = (i) => (0x10000000 + i).toString(16);
const variants = {
  request: (i) => vw.fields(KQ, ['request', 'in', i, 'http', 'GET', '/', reqHeaders(), undefined, `fd070a64e38138a415f959a0${hex(i)}`, `c2b3cba0${hex(i)}`], (1 << 8) | (1 << 9), 1 << 6),
  response: (i) => vw.fields(KS, ['response', 'in', i, 'http', 200, resHeaders(i), '/', 0.123 + i / 1e6], 0, 1 << 5),
  buildOnly: (i) => [reqHeaders(), resHeaders(i), `fd070a64e38138a415f959a0${hex(i)}`, `c2b3cba0${hex(i)}`],
};
const times = {};
for (let round = 0; round < 6; round++) {
  for (const [name, f] of Object.entries(variants)) {
    const t = performance.now();
    for (let i = 0; i < N; i++) { vw.pos = 0; f(i); }
    if (round > 0) (times[name] ??= []).push(((performance.now() - t) / N) * 1000);
  }
}
console.log(process.version, Object.entries(times).map(([k, v]) => `${k} ${median(v).toFixed(3)} µs`).join(', '));
