/**
 * The recordings an MCP session may read: one named with --recording, or every recording under a
 * root directory (`.cinema/` of the working directory). Tools name a recording by its directory
 * name; paths outside the root are refused. Indexes are opened once and kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RecordingError } from '../recording/errors.js';
import { files } from '../recording/layout.js';
import { DEFAULT_ROOT } from '../recording/locate.js';
import { Recording } from '../recording/recording.js';
import { EventIndex } from '../query/index/event-index.js';

export interface RecordingEntry {
  name: string;
  dir: string;
  command?: string[];
  startedAt?: number;
  complete?: boolean;
}

export class Workspace {
  readonly #open = new Map<string, EventIndex>();

  constructor(
    /** The one recording of this session, or null: every recording under `root`. */
    readonly fixed: string | null,
    readonly root = path.resolve(DEFAULT_ROOT),
  ) {}

  list(): RecordingEntry[] {
    const dirs: string[] = [];
    if (this.fixed) dirs.push(path.resolve(this.fixed));
    else {
      let names: string[] = [];
      try {
        names = fs.readdirSync(this.root);
      } catch {
        names = [];
      }
      for (const n of names) if (fs.existsSync(path.join(this.root, n, files.manifest))) dirs.push(path.join(this.root, n));
    }
    const out: RecordingEntry[] = dirs.map((dir) => {
      const e: RecordingEntry = { name: path.basename(dir), dir };
      try {
        const m = JSON.parse(fs.readFileSync(path.join(dir, files.manifest), 'utf8')) as { command?: string[]; startedAt?: number; complete?: boolean };
        Object.assign(e, { command: m.command, startedAt: m.startedAt, complete: m.complete });
      } catch {
        // listed anyway; opening it will say what is wrong
      }
      return e;
    });
    return out.sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
  }

  /** The directory of a recording named by a tool (its name, or nothing for the default). */
  resolve(name: string | undefined): RecordingEntry {
    const all = this.list();
    if (all.length === 0) throw new RecordingError(this.fixed ? `no recording at ${this.fixed}` : `no recordings in ${this.root}`);
    if (name === undefined || name === '') return all[0]!;
    const hit = all.find((e) => e.name === name || e.dir === name || path.resolve(name) === e.dir);
    if (!hit) throw new RecordingError(`no recording named '${name}' (see list_recordings)`);
    return hit;
  }

  index(name: string | undefined): { entry: RecordingEntry; index: EventIndex } {
    const entry = this.resolve(name);
    let index = this.#open.get(entry.dir);
    if (index) {
      try {
        // reopen when the recording changed since (still being written)
        const fresh = Recording.open(entry.dir);
        if (fresh.processes.length !== index.rec.processes.length || fresh.complete !== index.rec.complete) {
          index.close();
          index = undefined;
          this.#open.delete(entry.dir);
        }
      } catch {
        // reported by the open below
      }
    }
    if (!index) {
      index = EventIndex.open(Recording.open(entry.dir));
      this.#open.set(entry.dir, index);
    }
    return { entry, index };
  }

  close(): void {
    for (const i of this.#open.values()) i.close();
    this.#open.clear();
  }
}
