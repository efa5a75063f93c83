/**
 * One temporary folder per test run: every test, and every program a test records, makes its
 * temporary files under it (TMPDIR is inherited by the forked workers and their children), and it
 * goes when the run ends, so runs do not pile recordings up in the system's temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cinema-run-'));
  process.env.TMPDIR = root;
  return () => {
    try {
      fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    } catch (e) {
      // A mount a failed test left behind cannot go: say so, never fail the run for it.
      console.warn(`test temp folder ${root} not fully removed: ${(e as Error).message}`);
    }
  };
}
