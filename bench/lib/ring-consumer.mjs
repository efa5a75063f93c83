// A consumer thread for in-process probe benchmarks: takes every published chunk at once
// (TAIL = HEAD), sleeping on the doorbell, so the ring never fills and no drain cost is counted.
import { Worker } from 'node:worker_threads';

export function startConsumer(ringSab, sharedSab, { Ring, Shared }) {
  return new Worker(
    `const { workerData: { ring, shared } } = require('node:worker_threads');
     const ctrl = new Int32Array(ring, 0, ${Ring.CONTROL_INTS});
     const cells = new Int32Array(shared);
     for (;;) {
       const bell = Atomics.load(cells, ${Shared.DOORBELL});
       const head = Atomics.load(ctrl, ${Ring.HEAD});
       if (Atomics.load(ctrl, ${Ring.TAIL}) !== head) { Atomics.store(ctrl, ${Ring.TAIL}, head); Atomics.notify(ctrl, ${Ring.TAIL}); }
       if (Atomics.load(cells, ${Shared.STOP}) === 1) break;
       Atomics.wait(cells, ${Shared.DOORBELL}, bell, 20);
     }`,
    { eval: true, workerData: { ring: ringSab, shared: sharedSab } },
  );
}
