import { parentPort, workerData } from 'node:worker_threads';

function points(total) {
  return Math.floor(total * 10);
}

parentPort.postMessage(points(workerData));
