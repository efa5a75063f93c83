/**
 * Several recordings read as one: services recorded separately (each with its own `cinema
 * record`, perhaps on machines whose clocks disagree) become one event space. Rows of the k-th
 * recording are offset by the rows of those before it, so with one recording ids are unchanged.
 *
 * Causes inside a recording come from its index; causes across recordings come from the link
 * endpoints each index writes (links.json, see src/correlate/tracker.ts): a target left
 * unresolved in its own recording whose key is a source in another. Only HTTP spans (`span:`)
 * are joined that way: they are random per process and so cannot collide, while keys built from
 * pids (IPC, process starts) could name different processes in unrelated recordings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Children } from '../correlate/graph.js';
import { RecordingError } from '../recording/errors.js';
import { LINKS_FILE } from './index/columns.js';
import type { EventIndex } from './index/event-index.js';
import type { IndexedEvent } from './scan.js';

/** Link keys that may join two recordings. */
const CROSS_KEY = /^span:/;

interface LinksJson {
  from: [string, number][];
  to: [number, string][];
}

export interface SessionEvent extends IndexedEvent {
  /** Which recording (position in the list given) the event comes from. */
  recording: number;
}

export class Session {
  /** First global row of each recording, and the total. */
  readonly bases: number[];
  readonly rows: number;
  /** Global row → its cause in another recording. */
  readonly cross = new Map<number, number>();
  #children: Children | null = null;

  constructor(readonly indexes: EventIndex[]) {
    this.bases = [];
    let n = 0;
    for (const idx of indexes) {
      this.bases.push(n);
      n += idx.rows;
    }
    this.rows = n;
    if (indexes.length > 1) this.#link();
  }

  /** The recording and local row of a global row (throws a one-line error when out of range). */
  locate(row: number): { k: number; index: EventIndex; local: number } {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows) throw new RecordingError(`no event #${row} (these recordings have events #0 to #${this.rows - 1})`);
    let k = this.bases.length - 1;
    while (this.bases[k]! > row) k--;
    return { k, index: this.indexes[k]!, local: row - this.bases[k]! };
  }

  cause(row: number): number {
    const x = this.cross.get(row);
    if (x !== undefined) return x;
    const { k, index, local } = this.locate(row);
    const c = index.col.cause.get(local);
    return c < 0 ? -1 : this.bases[k]! + c;
  }

  event(row: number, withValue = true): SessionEvent {
    const { k, index, local } = this.locate(row);
    return { ...index.event(local, withValue), id: row, recording: k };
  }

  /** Children of every row (built once: 8 bytes per event). */
  children(): Children {
    if (this.#children) return this.#children;
    const cause = new Int32Array(this.rows);
    for (let k = 0; k < this.indexes.length; k++) {
      const local = this.indexes[k]!.col.cause.range(0, this.indexes[k]!.rows);
      const base = this.bases[k]!;
      for (let i = 0; i < local.length; i++) cause[base + i] = local[i]! < 0 ? -1 : base + local[i]!;
    }
    for (const [row, c] of this.cross) cause[row] = c;
    this.#children = new Children(cause);
    return this.#children;
  }

  #link(): void {
    const links = this.indexes.map((idx) => readLinks(idx));
    const sources = new Map<string, number>();
    links.forEach((l, k) => {
      for (const [key, row] of l.from) if (CROSS_KEY.test(key) && !sources.has(key)) sources.set(key, this.bases[k]! + row);
    });
    links.forEach((l, k) => {
      const own = new Set(l.from.map(([key]) => key));
      for (const [row, key] of l.to) {
        if (own.has(key) || !CROSS_KEY.test(key)) continue;
        const c = sources.get(key);
        if (c !== undefined) this.cross.set(this.bases[k]! + row, c);
      }
    });
  }
}

function readLinks(index: EventIndex): LinksJson {
  const file = path.join(index.dir, LINKS_FILE);
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as LinksJson;
    if (Array.isArray(j.from) && Array.isArray(j.to)) return j;
  } catch {
    // fall through
  }
  throw new RecordingError(`${file}: missing or damaged (delete the index folder to rebuild it)`);
}
