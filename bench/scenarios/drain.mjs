// Scenario 3: sustained drain throughput. A recorded program makes tens of millions of calls of
// tiny functions, far faster than a drain can compress, so in lossless mode the producer waits
// on the drain and events / (first call → last chunk on disk) is the drain's sustained rate.
// The same run in flight mode shows what happens when producers never wait.
import path from 'node:path';
import { BENCH, INSTRUMENT_ALL, fmt, median, parseResult, processInfo, removeDir, rotated, run, runProgram, table } from '../lib/common.mjs';

export default {
  name: 'drain',
  title: 'sustained lossless drain throughput (events/s to disk)',
  async run(ctx) {
    const calls = ctx.quick ? 15_000_000 : 50_000_000;
    const rounds = ctx.quick ? 1 : 3;
    const variants = [];
    for (const pattern of ['uniform', 'mixed']) for (const mode of ['lossless', 'flight']) variants.push({ pattern, mode });
    const acc = new Map(variants.map((v) => [`${v.pattern}/${v.mode}`, []]));
    for (let r = 0; r < rounds; r++) {
      for (const v of rotated(variants, r)) {
        const out = await runProgram(ctx, 'workloads/calls.mjs', {
          record: ['--no-values', '--mode', v.mode, ...INSTRUMENT_ALL],
          env: { BENCH_PATTERN: v.pattern, BENCH_CALLS: String(calls) },
        });
        if (out.error) {
          ctx.log(`  drain ${v.pattern}/${v.mode}: ${out.error}`);
          removeDir(out.dir);
          continue;
        }
        const info = processInfo(out.dir);
        removeDir(out.dir);
        const c = info.counters;
        const written = c.events;
        // Warm-up calls happen before the timed span: their events are not counted in the rate.
        const drained = c.events + (c.evicted ?? 0) - 2 * out.result.warmupCalls;
        const produced = drained + c.dropped;
        const spanMs = info.endedAt - out.result.startedAt;
        acc.get(`${v.pattern}/${v.mode}`).push({
          loopMs: out.result.iters[0],
          spanMs,
          written,
          dropped: c.dropped,
          evicted: c.evicted ?? 0,
          bytes: c.bytes,
          drainedPerSec: drained / (spanMs / 1000),
          producedPerSec: produced / (out.result.iters[0] / 1000),
        });
        ctx.log(`  drain ${v.pattern}/${v.mode}: ${fmt(drained / spanMs / 1000, 2)} M events/s drained, dropped ${c.dropped}`);
      }
    }
    const rows = [];
    for (const [key, xs] of acc) {
      if (xs.length === 0) continue;
      const med = (f) => median(xs.map(f));
      rows.push({
        key,
        loopMs: med((x) => x.loopMs),
        spanMs: med((x) => x.spanMs),
        drainedMeps: med((x) => x.drainedPerSec) / 1e6,
        producedMeps: med((x) => x.producedPerSec) / 1e6,
        written: med((x) => x.written),
        dropped: med((x) => x.dropped),
        droppedMax: Math.max(...xs.map((x) => x.dropped)),
        evicted: med((x) => x.evicted),
        bytesPerEvent: med((x) => x.bytes / Math.max(1, x.written)),
      });
    }
    const md = table(
      ['pattern / mode', 'calls loop ms', 'first call → on disk ms', 'drained M events/s', 'producer M events/s', 'events written', 'dropped (max)', 'evicted', 'bytes/event'],
      rows.map((r) => [r.key, fmt(r.loopMs, 0), fmt(r.spanMs, 0), fmt(r.drainedMeps, 1), fmt(r.producedMeps, 1), r.written, `${r.dropped} (${r.droppedMax})`, r.evicted, fmt(r.bytesPerEvent, 3)]),
    );
    // B: the drain's per-chunk work alone, on real chunks (acorn, --no-values), per codec.
    const rec = await runProgram(ctx, 'workloads/acorn.mjs', { record: ['--no-values', ...INSTRUMENT_ALL], env: { BENCH_ITERS: '1', BENCH_WARMUP: '0' } });
    let mdB = '';
    let encode = null;
    if (!rec.error) {
      const r = await run(ctx.node, [path.join(BENCH, 'lib/encode-child.mjs'), rec.dir, ctx.quick ? '2' : '5']);
      encode = parseResult(r.stdout);
      if (encode) {
        mdB = table(
          ['codec', 'ms for the chunks (median)', 'M events/s', 'MB/s (raw in)', 'bytes/event'],
          Object.entries(encode.codecs).map(([k, c]) => {
            const ms = median(c.ms);
            return [k, fmt(ms, 1), fmt(encode.events / ms / 1000, 1), fmt(encode.rawBytes / ms / 1000, 0), fmt(c.bytes / encode.events, 3)];
          }),
        );
        mdB = `**Drain work per chunk, alone** (\`lib/encode-child.mjs\`: countEvents + shuffle + compress + crc32, i.e. FrameEncoder.encode, on ${encode.chunks} full chunks = ${encode.events.toLocaleString('en')} events of a real acorn --no-values recording; one thread, no contention)\n\n${mdB}`;
      }
    }
    removeDir(rec.dir);
    return {
      rows: { runs: rows, encode },
      markdown: `${md}\n\n- ${calls.toLocaleString('en')} calls (${(2 * calls).toLocaleString('en')} call/return events), --no-values, ${rounds} round(s), medians; drained = written + evicted (flight); producer rate = (drained + dropped) / loop time\n- "uniform": one function, same word over and over (compresses to nothing); "mixed": 16 functions in a pseudo-random order\n\n${mdB}`,
    };
  },
};
