/**
 * Writes a recording from events that were not captured by the runtime (imported traces), with
 * the real segment writer: a manifest, one process directory per process, a site table and one
 * segment file of checksummed frames. The reader, the index, the UI and MCP cannot tell it apart
 * from a recorded one, except by its command and the `imported` node version.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HAS_VALUE, Kind, word } from '../format/events.js';
import { Codec, codecNames, type CodecCode } from '../format/layout.js';
import type { Site } from '../format/sites.js';
import { files, makePrivateDir, processDir, writePrivateFile } from '../recording/layout.js';
import { emptyCounters, newManifest, type ProcessInfo } from '../recording/manifest.js';
import { FrameEncoder, SegmentFile } from '../recording/segment-writer.js';
import { ValueEncoder, type Encodable } from './value-encoder.js';

const CHUNK_WORDS = 16 * 1024;
const CHUNK_VALUE_BYTES = 192 * 1024;
const TWO32 = 0x1_0000_0000;
/** No value record for this event (undefined is a value: it is recorded as one). */
export const NO_VALUE = Symbol('no value');

/** One thread's event stream, cut into chunks as it grows. */
class ThreadStream {
  #words: number[] = [];
  #values: Uint8Array[] = [];
  #valueBytes = 0;
  #chunkSeq = 0;
  #position = 0;
  #chunkTime = -1;
  #time = 0;
  events = 0;

  constructor(
    readonly id: number,
    readonly proc: ProcessBuilder,
  ) {}

  /**
   * Appends one event at `timeUs` (µs since the process's time origin). Time never goes back in
   * a thread's stream (the reader unwraps clock words forward), so an earlier time is clamped.
   */
  event(kind: number, site: number, timeUs: number, value: Encodable | typeof NO_VALUE = NO_VALUE): void {
    const t = Math.max(this.#time, Math.round(timeUs));
    if (this.#words.length + 3 > CHUNK_WORDS || this.#valueBytes > CHUNK_VALUE_BYTES) this.flush();
    if (this.#chunkTime < 0) this.#chunkTime = t;
    else if (t !== this.#time) this.#words.push(word(Kind.TIME, 0), t % TWO32);
    this.#time = t;
    this.#words.push(word(kind | (value === NO_VALUE ? 0 : HAS_VALUE), site));
    if (value !== NO_VALUE) {
      const rec = this.proc.values.record(value);
      this.#values.push(rec);
      this.#valueBytes += rec.length;
    }
    this.events++;
  }

  flush(): void {
    if (this.#words.length === 0) return;
    const words = new Uint8Array(new Uint32Array(this.#words.map((w) => w >>> 0)).buffer);
    const values = Buffer.concat(this.#values);
    const meta = { thread: this.id, chunkSeq: this.#chunkSeq++, words: this.#words.length, position: this.#position, time: this.#chunkTime, valueBytes: values.length };
    this.proc.append(this.proc.encoder.encode(meta, words, values));
    this.#position += this.#words.length;
    this.#words = [];
    this.#values = [];
    this.#valueBytes = 0;
    this.#chunkTime = -1;
  }
}

export interface ProcessOptions {
  pid: number;
  parentPid?: number | null;
  argv: string[];
  /** Wall-clock ms (epoch) that event times count from. */
  timeOrigin: number;
  /** Wall-clock ms of the process's last event. */
  endedAt: number;
  /** What the process ran on (shown where a recorded process shows its Node version). */
  runtime: string;
  /** The site table's file name. */
  file: string;
}

export class ProcessBuilder {
  readonly values = new ValueEncoder();
  readonly encoder: FrameEncoder;
  readonly #dir: string;
  readonly #segment: SegmentFile;
  readonly #sites: Site[] = [];
  readonly #siteIds = new Map<string, number>();
  readonly #threads = new Map<number, ThreadStream>();
  #chunks = 0;

  constructor(
    recording: string,
    readonly options: ProcessOptions,
    readonly codec: CodecCode,
  ) {
    this.#dir = processDir(recording, options.pid);
    makePrivateDir(this.#dir);
    this.encoder = new FrameEncoder(codec);
    this.#segment = new SegmentFile(path.join(this.#dir, files.segment));
  }

  /** The site id of a function named `name` (one site per distinct name and key). Ids start at 1: 0 is the runtime's. */
  site(name: string, params: string[] = [], key = name): number {
    const known = this.#siteIds.get(key);
    if (known !== undefined) return known;
    this.#sites.push({ kind: 'function', name, line: this.#sites.length + 1, column: 0, params });
    const id = this.#sites.length;
    this.#siteIds.set(key, id);
    return id;
  }

  thread(id: number): ThreadStream {
    let t = this.#threads.get(id);
    if (!t) this.#threads.set(id, (t = new ThreadStream(id, this)));
    return t;
  }

  append(frame: Uint8Array): void {
    this.#segment.append(frame);
    this.#chunks++;
  }

  finish(): ProcessInfo {
    for (const t of this.#threads.values()) t.flush();
    this.#segment.close();
    const o = this.options;
    const line = { file: o.file, hash: '', sites: this.#sites, base: 1, pid: o.pid, thread: 0 };
    writePrivateFile(path.join(this.#dir, files.sites), JSON.stringify(line) + '\n');
    const counters = { ...emptyCounters(), chunks: this.#chunks, bytes: fs.statSync(path.join(this.#dir, files.segment)).size };
    for (const t of this.#threads.values()) counters.events += t.events;
    const info: ProcessInfo = {
      pid: o.pid,
      ppid: 0,
      parentPid: o.parentPid ?? null,
      argv: o.argv,
      node: o.runtime,
      mode: 'lossless',
      codec: codecNames[this.codec]!,
      timeOrigin: o.timeOrigin,
      startedAt: o.timeOrigin,
      endedAt: o.endedAt,
      threads: [...this.#threads.keys()].sort((a, b) => a - b),
      complete: true,
      exitCode: 0,
      endReason: 'exit',
      counters,
      skippedFiles: 0,
    };
    writePrivateFile(path.join(this.#dir, files.process), JSON.stringify(info, null, 2));
    return info;
  }
}

/** A recording being written: add processes, then `finish`. */
export class RecordingBuilder {
  readonly #procs: ProcessBuilder[] = [];

  constructor(
    readonly dir: string,
    readonly command: string[],
    readonly codec: CodecCode = Codec.DEFLATE,
  ) {
    if (fs.existsSync(path.join(dir, files.manifest))) throw new Error(`${dir} already holds a recording; choose another --out`);
    makePrivateDir(dir);
  }

  get processes(): number {
    return this.#procs.length;
  }

  process(options: ProcessOptions): ProcessBuilder {
    const p = new ProcessBuilder(this.dir, options, this.codec);
    this.#procs.push(p);
    return p;
  }

  finish(): void {
    const infos = this.#procs.map((p) => p.finish()).sort((a, b) => a.startedAt - b.startedAt);
    const manifest = newManifest(this.command, 'lossless', crypto.randomUUID());
    manifest.startedAt = infos.length ? Math.min(...infos.map((i) => i.startedAt)) : Date.now();
    manifest.endedAt = infos.length ? Math.max(manifest.startedAt, ...infos.map((i) => i.endedAt ?? i.startedAt)) : manifest.startedAt;
    manifest.exitCode = 0;
    manifest.complete = true;
    manifest.processes = infos.map((i) => i.pid);
    writePrivateFile(path.join(this.dir, files.manifest), JSON.stringify(manifest, null, 2));
  }
}
