// Shared by the workload programs: warm up, time N iterations inside the process, print one
// result line the bench runner parses. The same file runs plain and recorded, so the only
// difference between variants is the recorder.
const ITERS = Number(process.env.BENCH_ITERS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);

export function runWorkload(name, work) {
  let check;
  for (let i = 0; i < WARMUP; i++) check = work();
  const iters = [];
  for (let i = 0; i < ITERS; i++) {
    const t0 = performance.now();
    check = work();
    iters.push(performance.now() - t0);
  }
  const result = {
    name,
    iters,
    check: String(check),
    maxRSSKiB: process.resourceUsage().maxRSS,
    processMs: performance.now(),
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

/** Deterministic PRNG (mulberry32), so every run and every variant sees the same data. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
