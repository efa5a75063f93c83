// Worst case: naive recursive fib, a call that does almost nothing but call.
import { runWorkload } from './harness.mjs';

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
const N = Number(process.env.BENCH_FIB ?? 30);
runWorkload('fib', () => fib(N));
