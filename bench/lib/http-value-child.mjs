// In-process cost of one server-request HTTP value: the object snapshot the capture used to write
// (ValueWriter.value of a fresh object) vs the fields writer it uses now (ValueWriter.fields),
// interleaved, warmed, median of 5 rounds. Usage: node bench/lib/http-value-child.mjs [N]
// (Needs `npm run build`.)
import { ValueWriter } from '../../dist/runtime/value-writer.js';
import { defaultLimits, defaultRedactPattern } from '../../dist/format/values.js';
import { environmentSecrets, secretValuePattern } from '../../dist/format/redact.js';

const N = Number(process.argv[2] ?? 300_000);
const keys = new RegExp(defaultRedactPattern, 'i');
const vw = new ValueWriter(new Uint8Array(1 << 20), defaultLimits, keys, secretValuePattern(environmentSecrets(process.env, keys)));
const headers = () => ({ host: '127.0.0.1:34567', connection: 'keep-alive', 'user-agent': 'autocannon/9.0.0', accept: '*/*' });
const K = ['phase', 'dir', 'id', 'api', 'method', 'url', 'headers', 'traceparent', 'trace', 'span'];
const hex = (i) => (0x10000000 + i).toString(16);
const variants = {
  object: (i) => vw.value({ phase: 'request', dir: 'in', id: i, api: 'http', method: 'GET', url: '/', headers: headers(), traceparent: undefined, trace: `fd070a64e38138a415f959a0${hex(i)}`, span: `c2b3cba0${hex(i)}` }),
  fields: (i) => vw.fields(K, ['request', 'in', i, 'http', 'GET', '/', headers(), undefined, `fd070a64e38138a415f959a0${hex(i)}`, `c2b3cba0${hex(i)}`], (1 << 8) | (1 << 9)),
};
const times = { object: [], fields: [] };
for (let round = 0; round < 6; round++) {
  for (const [name, f] of Object.entries(variants)) {
    const t = performance.now();
    for (let i = 0; i < N; i++) {
      vw.pos = 0;
      f(i);
    }
    if (round > 0) times[name].push(((performance.now() - t) / N) * 1000);
  }
}
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
console.log(`${process.version}: object ${median(times.object).toFixed(2)} µs, fields ${median(times.fields).toFixed(2)} µs per server-request value`);
