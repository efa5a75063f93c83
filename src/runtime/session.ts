/**
 * Recording a process: the main thread starts the clock and the drain, records itself, hands
 * worker threads what they need to record themselves, and makes sure the last chunks reach the
 * disk however the process ends (exit, uncaught error, signal; a SIGKILL loses only the chunk
 * being written).
 */
import path from 'node:path';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { BroadcastChannel, Worker, getEnvironmentData, setEnvironmentData, threadId } from 'node:worker_threads';
import { Ring, Shared } from '../format/layout.js';
import { newRingBuffer } from '../capture/ring-writer.js';
import { bestCodec } from '../recording/codec.js';
import { files, makePrivateDir, processDir, writePrivateFile } from '../recording/layout.js';
import { emptyCounters, type ProcessInfo } from '../recording/manifest.js';
import { channelName, type DrainData, type DrainRequest } from '../capture/drain-protocol.js';
import type { TickerData } from '../capture/ticker-worker.js';
import { codecNames } from '../format/layout.js';
import { redactArgv, secretValuePattern } from '../format/redact.js';
import type { RuntimeConfig } from './config.js';
import { startThread, type RecordedThread } from './thread.js';
import { startCausality } from './causality.js';
import { LEVEL_SITES } from './levels.js';
import { startControl } from './control.js';
import { P } from './primordials.js';
import { DUMP_KEY } from './test-hooks/marks.js';

const ENV_KEY = 'execution-cinema';
/** Environment data a parent thread sets just before starting a worker: the worker's ring. */
const RING_KEY = 'execution-cinema:ring';
const registerUrl = new URL('./register.js', import.meta.url).href;
const DRAIN_START_WAIT_MS = 1000;
const FINISH_WAIT_MS = 15_000;
/** How long terminate() waits for a worker to publish its last chunk. */
const TERMINATE_FLUSH_MS = 100;
const flushChannel = (pid: number, thread: number) => `execution-cinema:flush:${pid}:${thread}`;

interface ThreadEnv {
  config: RuntimeConfig;
  shared: SharedArrayBuffer;
  /** The run-time level of every site (runtime/levels.ts), shared by all threads. */
  levels: SharedArrayBuffer;
  procDir: string;
  /** performance.timeOrigin of the main thread: every thread's event times count from it. */
  origin: number;
}

export function startProcess(config: RuntimeConfig): void {
  const procDir = processDir(config.recording, process.pid);
  makePrivateDir(procDir);
  const sharedSab = new SharedArrayBuffer(Shared.INTS * 4);
  const shared = new Int32Array(sharedSab);
  shared[Shared.NEXT_SITE] = 1; // site 0: events the runtime itself observes (uncaught errors)
  shared[Shared.CLOCK] = Math.floor(performance.now() * 1000);
  shared[Shared.SAMPLE_ON] = 1;
  shared[Shared.RINGS] = 1;

  const info: ProcessInfo = {
    pid: process.pid,
    ppid: process.ppid,
    parentPid: null,
    // Secrets on the command line (--password=…, a token as an argument) never reach process.json.
    argv: redactArgv(process.argv, new RegExp(config.redact, 'i'), secretValuePattern()),
    node: process.version,
    mode: config.mode,
    codec: codecNames[bestCodec]!,
    timeOrigin: performance.timeOrigin,
    startedAt: Date.now(),
    endedAt: null,
    threads: [0],
    complete: false,
    exitCode: null,
    endReason: null,
    counters: emptyCounters(),
    skippedFiles: 0,
  };
  writePrivateFile(path.join(procDir, files.process), JSON.stringify(info, null, 2));

  const internal = { execArgv: [] as string[], stdout: false, stderr: false };
  const ticker = new Worker(new URL('../capture/ticker-worker.js', import.meta.url), {
    ...internal,
    workerData: { shared: sharedSab, origin: performance.timeOrigin, tickMs: config.tickMs, idleTickMs: config.idleTickMs, sample: config.mode === 'sampled' ? config.sample : null } satisfies TickerData,
  });
  const drain = new Worker(new URL('../capture/drain-worker.js', import.meta.url), {
    ...internal,
    workerData: {
      pid: process.pid,
      shared: sharedSab,
      procDir,
      maxBytes: config.maxBytes,
      processFile: path.join(procDir, files.process),
      info,
      mode: config.mode,
      codec: bestCodec,
      flightBytes: config.flightBytes,
      pollMs: 50,
    } satisfies DrainData,
  });
  // No wait for the ticker's first tick: until it ticks, producers read the time themselves.
  ticker.unref();
  // But wait for the drain (a worker takes tens of ms to start, far more on a loaded machine):
  // until it runs, nothing reaches the disk, and a process killed early would leave nothing.
  // Bounded, so a slow start cannot hang the program.
  Atomics.wait(shared, Shared.DRAIN_READY, 0, DRAIN_START_WAIT_MS);
  drain.unref();
  const send = (msg: DrainRequest) => drain.postMessage(msg);

  const levelsSab = new SharedArrayBuffer(LEVEL_SITES);
  const origin = performance.timeOrigin;
  setEnvironmentData(ENV_KEY, { config, shared: sharedSab, levels: levelsSab, procDir, origin } satisfies ThreadEnv);
  const thread = startThread(config, sharedSab, levelsSab, procDir, 0, origin);
  send({ type: 'ring', sab: thread.ring.sab, geometry: config.geometry });
  recordWorkers(
    config,
    (sab) => {
      Atomics.add(shared, Shared.RINGS, 1);
      send({ type: 'ring', sab, geometry: config.geometry });
    },
    (sab) => send({ type: 'salvage', sab }),
  );
  const idle = idleFlush(thread, config);

  let finished = false;
  const finish = (reason: string, exitCode: number | null): void => {
    if (finished) return;
    finished = true;
    thread.probes.flush();
    thread.ring.close();
    const before = Atomics.load(shared, Shared.DRAIN_DONE);
    send({ type: 'finish', reason, exitCode });
    // Blocking here is what lets the drain write the last chunks before the process goes away.
    Atomics.wait(shared, Shared.DRAIN_DONE, before, FINISH_WAIT_MS);
    Atomics.store(shared, Shared.STOP, 1);
    Atomics.notify(shared, Shared.STOP);
  };

  process.on('exit', (code) => finish('exit', code));
  finishBeforeAbort(() => finish('abort', null));
  process.on('uncaughtExceptionMonitor', (err) => {
    thread.probes.error(0, err);
    thread.probes.flush();
    if (config.mode === 'flight') send({ type: 'flush' });
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(sig) > 1) {
        // The program handles this signal itself: just make what we have durable.
        thread.probes.flush();
        send({ type: 'flush' });
        return;
      }
      finish(`signal ${sig}`, null);
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
  if (config.mode === 'flight') {
    const dump = (): void => {
      thread.probes.flush();
      send({ type: 'flush' });
    };
    process.on('SIGUSR2', dump);
    // The same request without a signal, for the test runner hooks (a signal can also make Node write a diagnostic report).
    P.defineProperty(globalThis, P.Symbol_for(DUMP_KEY), { value: dump, configurable: true, enumerable: false, writable: false });
  }
  const control = startControl(new Uint8Array(levelsSab), procDir, thread.probes, config);
  // Last: the recorder's own listeners and timers above are not the program's causality.
  const causality = startCausality(thread.probes, config);
  causality.skip(idle);
  causality.skip(control);
}

/** A worker thread of the recorded program: record it into the process's drain. */
export function startWorkerThread(): void {
  const env = getEnvironmentData(ENV_KEY) as ThreadEnv | undefined;
  if (!env) return;
  const given = getEnvironmentData(RING_KEY) as SharedArrayBuffer | undefined;
  const thread = startThread(env.config, env.shared, env.levels, env.procDir, threadId, env.origin, given);
  // Workers of workers: their rings reach the drain over a channel (this thread has no port to it).
  const channel = new BroadcastChannel(channelName(process.pid));
  channel.unref();
  const announce = (sab: SharedArrayBuffer) => {
    // Counted before it is sent, so a finishing drain knows to wait for it.
    Atomics.add(new Int32Array(env.shared), Shared.RINGS, 1);
    channel.postMessage({ type: 'ring', sab, geometry: env.config.geometry } satisfies DrainRequest);
  };
  if (!given) announce(thread.ring.sab);
  recordWorkers(env.config, announce, (sab) => channel.postMessage({ type: 'salvage', sab } satisfies DrainRequest));
  const idle = idleFlush(thread, env.config);
  // A parent about to terminate() this worker asks it to publish its partial chunk first.
  const control = new BroadcastChannel(flushChannel(process.pid, threadId));
  control.unref();
  control.onmessage = (e) => {
    if ((e as MessageEvent).data !== 'flush') return;
    thread.probes.flush();
    control.postMessage('flushed');
  };
  process.on('uncaughtExceptionMonitor', (err) => {
    thread.probes.error(0, err);
    thread.probes.flush();
  });
  // The ring's memory is shared: the drain reads what we publish even after this thread is gone.
  process.on('exit', () => {
    thread.probes.flush();
    thread.ring.close();
  });
  startCausality(thread.probes, env.config).skip(idle);
}

/**
 * Worker threads do not run NODE_OPTIONS preloads: pass ours to every worker the program starts,
 * with a ring made and registered here, before the worker runs, so none of its events can be
 * missed by a drain that finishes early.
 */
function recordWorkers(config: RuntimeConfig, register: (sab: SharedArrayBuffer) => void, salvage: (sab: SharedArrayBuffer) => void): void {
  const require = createRequire(import.meta.url);
  const wt = require('node:worker_threads') as { Worker: typeof Worker };
  const Original = wt.Worker;
  const withPreload = (options: { execArgv?: string[] } | undefined) => ({
    ...options,
    execArgv: [...(options?.execArgv ?? process.execArgv), `--import=${registerUrl}`],
  });
  const Recorded = class Worker extends Original {
    constructor(filename: string | URL, options?: ConstructorParameters<typeof Original>[1]) {
      const sab = newRingBuffer(config.geometry);
      register(sab);
      setEnvironmentData(RING_KEY, sab);
      super(filename, withPreload(options));
      setEnvironmentData(RING_KEY, undefined);
      Atomics.store(new Int32Array(sab, 0, Ring.CONTROL_INTS), Ring.THREAD_ID, this.threadId);
      // terminate() skips the worker's exit handlers: the drain saves what its ring holds.
      this.once('exit', () => salvage(sab));
    }

    /** Lets an idle worker publish its last chunk before it goes (a busy one is not waited for long). */
    override terminate(): Promise<number> {
      const channel = new BroadcastChannel(flushChannel(process.pid, this.threadId));
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, TERMINATE_FLUSH_MS);
        channel.onmessage = (e) => {
          if ((e as MessageEvent).data === 'flushed') {
            clearTimeout(timer);
            resolve();
          }
        };
        channel.postMessage('flush');
      }).then(() => {
        channel.close();
        return super.terminate();
      });
    }
  };
  wt.Worker = Recorded;
  syncBuiltinESMExports();
}

/**
 * process.abort() ends the process without exit handlers: write the recording first. The
 * replacement keeps the original's name and length; native aborts (a failed assertion in an
 * addon) still lose the chunk being filled, as a SIGKILL does.
 */
function finishBeforeAbort(finish: () => void): void {
  const original = process.abort;
  const abort = {
    abort(): never {
      finish();
      return original.call(process);
    },
  }.abort;
  Object.defineProperty(abort, 'length', { value: original.length });
  process.abort = abort;
}

/** Publishes a partial chunk when the program idles, so a kill loses at most this much time. */
function idleFlush(thread: RecordedThread, config: RuntimeConfig): NodeJS.Timeout {
  return setInterval(() => thread.probes.flush(), config.idleFlushMs).unref();
}
