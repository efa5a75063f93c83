// Exceptions through instrumented frames: every 8th item fails validation two frames down and is
// caught by the loop's own catch (ADR 0020: how frames leave on a throw, and what records the value).
import { runWorkload } from './harness.mjs';

const N = Number(process.env.BENCH_ITEMS ?? 200_000);

function check(x) {
  if ((x & 7) === 0) throw new RangeError('bad item ' + x);
  return x * 2;
}
function parse(x) {
  return check(x) + 1;
}
function run() {
  let ok = 0;
  let bad = 0;
  for (let i = 0; i < N; i++) {
    try {
      ok += parse(i);
    } catch (e) {
      bad++;
    }
  }
  return `${ok}/${bad}`;
}
runWorkload('throws', run);
