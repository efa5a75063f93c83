/**
 * Entry point preloaded into recorded processes (`--import`): starts recording when
 * `cinema record` (or the library) asked for it, and never breaks the program if it cannot.
 */
import { isMainThread } from 'node:worker_threads';
import { readConfig } from './config.js';
import { startProcess, startWorkerThread } from './session.js';

const config = readConfig();
if (config) {
  try {
    if (isMainThread) startProcess(config);
    else startWorkerThread();
  } catch (e) {
    process.stderr.write(`execution-cinema: recording disabled in process ${process.pid}: ${(e as Error).message}\n`);
  }
}
