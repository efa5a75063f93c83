// Workload of bench/plan-cost.mjs: N calls of a one-line function (BENCH_KIND=call) or of one that
// also writes a property (BENCH_KIND=write); prints the loop's time.
const N = Number(process.env.BENCH_CALLS ?? 2_000_000);
const kind = process.env.BENCH_KIND ?? 'call';
const state = { v: 0 };

function call(x) {
  return (x + 1) & 0xffff;
}

function write(x) {
  state.v = (x + 1) & 0xffff;
  return state.v;
}

// The loop lives in a function: its local `s` is not program state (a module-level binding would be).
function loop(f, n) {
  let s = 0;
  for (let i = 0; i < n; i++) s = f(s);
  return s;
}

const f = kind === 'write' ? write : call;
loop(f, 200_000); // warm-up
const t0 = performance.now();
const s = loop(f, N);
const ms = performance.now() - t0;
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ms, n: N, s })}\n`);
