/**
 * The recordings one `cinema ui` server can show: the one it was started on, any others named,
 * and every recording under a root folder (`.cinema/` of the working directory by default, the
 * folder the MCP server reads too). A recording is named by its directory name, as the MCP
 * server's deep links name it. Each is opened (its index built when needed) the first time it is
 * asked for, and kept open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EventIndex } from '../query/index/event-index.js';
import { files } from '../recording/layout.js';
import type { Manifest } from '../recording/manifest.js';
import { Recording } from '../recording/recording.js';
import type { RecordingsResponse } from './api.js';
import { UiError, UiModel } from './model.js';

/** Recordings listed from a root folder at most (the newest first). */
const MAX_LISTED = 500;

export class Catalog {
  readonly #open = new Map<string, UiModel>();
  readonly #dirs = new Map<string, string>();
  readonly defaultName: string;

  constructor(
    defaultDir: string,
    readonly others: string[] = [],
    readonly root?: string,
  ) {
    this.defaultName = this.#add(defaultDir);
    for (const d of others) this.#add(d);
  }

  #add(dir: string): string {
    const abs = path.resolve(dir);
    let name = path.basename(abs);
    for (let i = 2; this.#dirs.has(name) && this.#dirs.get(name) !== abs; i++) name = `${path.basename(abs)}-${i}`;
    this.#dirs.set(name, abs);
    return name;
  }

  /** Named dirs, then the root's recordings (re-read on every call: new recordings appear). */
  #scan(): void {
    if (!this.root) return;
    let names: string[];
    try {
      names = fs.readdirSync(this.root);
    } catch {
      return;
    }
    const known = new Set(this.#dirs.values());
    const found = names
      .map((n) => path.resolve(this.root!, n))
      .filter((d) => !known.has(d) && fs.existsSync(path.join(d, files.manifest)))
      .map((d) => ({ d, t: fs.statSync(path.join(d, files.manifest)).mtimeMs }))
      .sort((a, b) => b.t - a.t)
      .slice(0, MAX_LISTED);
    for (const { d } of found) this.#add(d);
  }

  list(): RecordingsResponse {
    this.#scan();
    const recordings: RecordingsResponse['recordings'] = [];
    for (const [name, dir] of this.#dirs) {
      try {
        const m = JSON.parse(fs.readFileSync(path.join(dir, files.manifest), 'utf8')) as Partial<Manifest>;
        recordings.push({ name, command: Array.isArray(m.command) ? m.command.map(String) : [], startedAt: Number(m.startedAt) || 0, complete: m.complete === true });
      } catch {
        // unreadable or half-written: left out of the list (opening it by name says why)
      }
    }
    recordings.sort((a, b) => b.startedAt - a.startedAt);
    return { default: this.defaultName, recordings };
  }

  /** The model of recording `name` (the default one when null), opened on first use. */
  model(name: string | null): UiModel {
    const key = name ?? this.defaultName;
    const hit = this.#open.get(key);
    if (hit) return hit;
    if (!this.#dirs.has(key)) this.#scan();
    const dir = this.#dirs.get(key);
    if (!dir) throw new UiError(`no recording named '${key}' here (GET /api/recordings lists them)`, 404);
    const rec = Recording.open(dir);
    const m = new UiModel(rec, EventIndex.open(rec));
    this.#open.set(key, m);
    return m;
  }

  close(): void {
    for (const m of this.#open.values()) m.index.close();
    this.#open.clear();
  }
}
