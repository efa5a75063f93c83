/**
 * Runs the insight detectors over one recording off the server's thread (they scan whole threads:
 * seconds to minutes on a large recording, during which the server must keep answering).
 * workerData: { dir, maxRowsPerThread }; posts the report's findings, detector errors and cuts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runInsights } from '../insight/index.js';
import { EventIndex } from '../query/index/event-index.js';
import { Recording } from '../recording/recording.js';

const { dir, maxRowsPerThread } = workerData as { dir: string; maxRowsPerThread: number };
try {
  const index = EventIndex.open(Recording.open(dir));
  const r = runInsights(index, { maxRowsPerThread });
  parentPort!.postMessage({ findings: r.findings, errors: r.errors, truncatedThreads: r.truncatedThreads });
  index.close();
} catch (e) {
  parentPort!.postMessage({ failed: (e as Error).message });
}
