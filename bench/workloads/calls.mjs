// Many calls of tiny functions: the producer side of the drain throughput scenario, and the
// end-to-end per-event cost. BENCH_PATTERN: uniform (one function), mixed (16 functions in a
// pseudo-random order: less compressible), perfnow (no calls, one performance.now() per step).
import { rng } from './harness.mjs';

const N = Number(process.env.BENCH_CALLS ?? 50_000_000);
const pattern = process.env.BENCH_PATTERN ?? 'uniform';

function f0(x) { return x + 1; }
function f1(x) { return x + 2; }
function f2(x) { return x + 3; }
function f3(x) { return x + 4; }
function f4(x) { return x ^ 5; }
function f5(x) { return x + 6; }
function f6(x) { return x - 1; }
function f7(x) { return x + 8; }
function f8(x) { return x | 1; }
function f9(x) { return x + 10; }
function fa(x) { return x + 11; }
function fb(x) { return x + 12; }
function fc(x) { return x & 0xffff; }
function fd(x) { return x + 14; }
function fe(x) { return x + 15; }
function ff(x) { return x + 16; }
const fns = [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, fa, fb, fc, fd, fe, ff];

function uniform(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s = f0(s) & 0xfffffff;
  return s;
}
function mixed(n) {
  const rand = rng(1);
  const order = Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 16));
  let s = 0;
  for (let i = 0; i < n; i++) s = fns[order[i & 4095]](s) & 0xfffffff;
  return s;
}
function perfnow(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += performance.now();
  return s > 0 ? n : 0;
}
const work = { uniform, mixed, perfnow }[pattern];
const warmupCalls = Math.min(N, 2_000_000);
work(warmupCalls); // warm-up (let V8 optimise the loop first)
const startedAt = Date.now();
const t0 = performance.now();
const check = work(N);
const loopMs = performance.now() - t0;
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ name: pattern, calls: N, warmupCalls, iters: [loopMs], startedAt, loopEndedAt: Date.now(), check: String(check), maxRSSKiB: process.resourceUsage().maxRSS, processMs: performance.now() })}\n`);
