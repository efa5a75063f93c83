/**
 * A recording opened for a debugger: threads (one per execution context), a cursor per thread,
 * where an event is in the source (the line a debugger shows for it), and the stack there.
 * Everything is read through the query layer, like the web UI and the MCP server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kind } from '../format/events.js';
import { Recording, type SiteInfo } from '../recording/recording.js';
import { diskPath, readSource } from '../recording/sources.js';
import { EventIndex } from '../query/index/event-index.js';
import { thrownValue } from '../query/errors.js';
import { stackAt, type Frame } from '../query/stack.js';
import { momentIn } from '../query/state.js';

export interface Place {
  file: string;
  line: number;
  column: number;
}

export class Replay {
  readonly index: EventIndex;
  /** The event each thread (by context number) is stopped at. */
  readonly cursor = new Map<number, number>();
  readonly #ctxOf = new Map<string, number>();
  readonly #sameOnDisk = new Map<string, boolean>();

  constructor(readonly dir: string) {
    this.index = EventIndex.open(Recording.open(dir));
    this.index.meta.contexts.forEach(([proc, thread], ctx) => this.#ctxOf.set(`${proc}/${thread}`, ctx));
    for (let ctx = 0; ctx < this.index.meta.contexts.length; ctx++) {
      const first = this.firstRow(ctx);
      if (first >= 0) this.cursor.set(ctx, first);
    }
  }

  get name(): string {
    return path.basename(this.dir);
  }

  /** Contexts with events: DAP threads (thread id = context + 1). */
  threads(): { id: number; name: string }[] {
    return [...this.cursor.keys()].map((ctx) => {
      const [proc, thread] = this.index.meta.contexts[ctx]!;
      return { id: ctx + 1, name: `${this.index.pidOf(proc)} ${thread === 0 ? 'main' : `worker ${thread}`}` };
    });
  }

  ctxOf(row: number): number {
    const c = this.index.chunkOf(row);
    return this.#ctxOf.get(`${c.proc}/${c.thread}`) ?? -1;
  }

  /** The context of a DAP thread id, checked. */
  ctxOfThread(threadId: unknown): number {
    const ctx = typeof threadId === 'number' ? threadId - 1 : -1;
    if (!this.cursor.has(ctx)) throw new Error(`no thread ${String(threadId)} (threads: ${this.threads().map((t) => t.id).join(', ')})`);
    return ctx;
  }

  firstRow(ctx: number): number {
    const [proc, thread] = this.index.meta.contexts[ctx]!;
    const c = this.index.chunks.find((k) => k.proc === proc && k.thread === thread && k.rows > 0);
    return c ? c.firstRow : -1;
  }

  lastRow(ctx: number): number {
    const [proc, thread] = this.index.meta.contexts[ctx]!;
    const c = this.index.chunks.findLast((k) => k.proc === proc && k.thread === thread && k.rows > 0);
    return c ? c.firstRow + c.rows - 1 : -1;
  }

  /** The first event of the recording's first context: where a session starts. */
  entry(): number {
    const first = [...this.cursor.keys()][0];
    return first === undefined ? -1 : this.firstRow(first);
  }

  /** Stops every thread at the moment of `row`: its own thread there, the others at their last event before it. */
  moveTo(row: number): void {
    const own = this.ctxOf(row);
    for (const ctx of this.cursor.keys()) {
      if (ctx === own) this.cursor.set(ctx, row);
      else {
        const r = momentIn(this.index, ctx, row);
        this.cursor.set(ctx, r >= 0 ? r : this.firstRow(ctx));
      }
    }
  }

  site(row: number): SiteInfo | undefined {
    return this.index.site(this.index.chunkOf(row).proc, this.index.col.site.get(row));
  }

  /**
   * The line a debugger shows for an event: a call at its function's first line, a return at its
   * last, a throw where the error's stack says it was thrown (within the function), anything else
   * at its own site.
   */
  place(row: number): Place | undefined {
    const s = this.site(row);
    if (!s) return undefined;
    const k = this.index.kind(row);
    const at = (line: number, column = 0): Place => ({ file: s.file, line, column });
    if (s.kind !== 'function') return at(s.line, s.column);
    if (k === Kind.RETURN) return at(s.endLine ?? s.line);
    if (k === Kind.THROW) return at(this.#throwLine(row, s) ?? s.line);
    return at(s.line, s.column);
  }

  /** The line of the function's own frame in a thrown error's stack trace. */
  #throwLine(row: number, s: SiteInfo): number | undefined {
    const v = thrownValue(this.index, row);
    if (!v || typeof v !== 'object' || v.type !== 'error') return undefined;
    for (const m of v.stack.matchAll(/\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/gm)) {
      const file = diskPath(m[1]!);
      const line = Number(m[2]);
      if (file === s.file && line >= s.line && line <= (s.endLine ?? s.line)) return line;
    }
    return undefined;
  }

  frames(row: number): Frame[] {
    return stackAt(this.index, row).frames;
  }

  /** What an editor should open for a recorded file: the file itself when it is unchanged, else the recording's copy. */
  source(file: string): { path?: string; text: string | null } {
    const text = readSource(this.dir, file);
    let same = this.#sameOnDisk.get(file);
    if (same === undefined) {
      try {
        same = text === null || fs.readFileSync(diskPath(file), 'utf8') === text;
      } catch {
        same = false;
      }
      this.#sameOnDisk.set(file, same);
    }
    return same ? { path: diskPath(file), text } : { text };
  }

  close(): void {
    this.index.close();
  }
}

