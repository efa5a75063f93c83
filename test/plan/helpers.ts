import fs from 'node:fs';
import path from 'node:path';
import { root, tempDir } from '../helpers.js';
import { Recording } from '../../src/recording/recording.js';
import { listEvents } from '../../src/query/events.js';

export const planFixture = (name: string) => path.join(root, 'test', 'plan', 'fixtures', name);
export const shop = planFixture('shop');

export interface EventJson {
  kind: string;
  name: string;
  time: number;
  value?: { type: string; items?: unknown[] } | unknown;
}

/** Events of a recording read back from disk (the library's reader). */
export function events(dir: string): EventJson[] {
  return listEvents(Recording.open(dir), { limit: 1_000_000 }) as EventJson[];
}

/** Writes `doc` (text or JSON) to a plan file in a fresh folder. */
export function planFile(doc: unknown): string {
  const file = path.join(tempDir('cinema-plan-'), 'plan.json');
  fs.writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}
