/**
 * The Debug Adapter Protocol session: an editor debugs a recording as if it were a live program,
 * forwards and backwards. Requests are answered from a Replay (the query layer); every failure of
 * a request becomes a DAP error response with a one-line message, never a crash of the adapter.
 */
import { Breakpoint, DebugSession, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { checkRow } from '../query/index/event-index.js';
import type { StepKind } from '../query/stepping.js';
import { Breakpoints } from './breakpoints.js';
import { Inspector } from './inspect.js';
import { recordThenReplay } from './record.js';
import { Replay } from './replay.js';
import { diskPath } from '../recording/sources.js';
import { capabilities, exceptionInfo, gotoTargets, resolveRecordingArg, type LaunchArgs } from './session-parts.js';
import { Travel, type Stop } from './travel.js';

export interface SessionOptions {
  /** The recording named on the command line (`cinema dap REC`), used when a launch names none. */
  recording?: string;
  /** Serves the web UI over the recording and returns its URL (given by the CLI, which may use src/server). */
  openUi?: (dir: string) => Promise<{ url: string; close(): Promise<void> }>;
}

/** What a session has once a recording is open (launch or attach), or a clear error before. */
function opened<T>(part: T | null): T {
  if (part === null) throw new Error('no recording is open: send launch or attach first');
  return part;
}

export class CinemaSession extends DebugSession {
  #replay: Replay | null = null;
  #bps: Breakpoints | null = null;
  #look: Inspector | null = null;
  #travel: Travel | null = null;
  #configured!: () => void;
  readonly #configDone = new Promise<void>((resolve) => (this.#configured = resolve));
  #lastThread = 1;
  #ui: { url: string; close(): Promise<void> } | null = null;

  constructor(readonly options: SessionOptions = {}) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  /** Runs a handler; anything it throws becomes an error response with its message. */
  #answer<R extends DebugProtocol.Response>(response: R, fn: () => R['body'] | void): void {
    try {
      const body = fn();
      if (body !== undefined) response.body = body;
      this.sendResponse(response);
    } catch (e) {
      this.#fail(response, e);
    }
  }

  #fail(response: DebugProtocol.Response, e: unknown): void {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    this.sendErrorResponse(response, { id: 1, format: message.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')), showUser: true });
  }

  get #r(): Replay {
    return opened(this.#replay);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = capabilities();
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArgs): void {
    void this.#open(response, args);
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse, args: LaunchArgs): void {
    void this.#open(response, args);
  }

  async #open(response: DebugProtocol.Response, given: LaunchArgs | undefined): Promise<void> {
    const args: LaunchArgs = given && typeof given === 'object' ? given : {};
    try {
      if (this.#replay) throw new Error('a recording is already open in this session');
      const cwd = typeof args.cwd === 'string' ? args.cwd : process.cwd();
      let dir: string;
      if (args.command !== undefined) {
        dir = await recordThenReplay({ command: args.command, cwd, ...(args.recordOptions ? { options: args.recordOptions } : {}), ...(args.env ? { env: args.env } : {}) }, (text, category) => this.sendEvent(new OutputEvent(text, category)));
      } else dir = resolveRecordingArg(args.recording ?? this.options.recording, cwd);
      this.#replay = new Replay(dir);
      this.#bps = new Breakpoints(this.#replay);
      this.#look = new Inspector(this.#replay);
      this.#travel = new Travel(this.#replay, this.#bps, this.#look, (text, category) => this.sendEvent(new OutputEvent(text, category)));
      const r = this.#replay;
      this.sendEvent(new OutputEvent(`Replaying ${r.name}: ${r.index.rows} events in ${r.threads().length} thread(s). Step back and reverse-continue travel backwards.\n`, 'console'));
      this.sendResponse(response);
    } catch (e) {
      return this.#fail(response, e);
    }
    this.sendEvent(new InitializedEvent());
    await this.#configDone;
    try {
      const entry = this.#r.entry();
      if (entry < 0) {
        this.sendEvent(new OutputEvent('The recording has no events.\n', 'console'));
        this.sendEvent(new TerminatedEvent());
      } else if (args.stopOnEntry) this.#stop({ row: entry, reason: 'entry', description: 'start of the recording' });
      else this.#stop(this.#travel!.run(-1, false, entry));
    } catch (e) {
      this.sendEvent(new OutputEvent(`cinema dap: ${(e as Error).message}\n`, 'stderr'));
      this.sendEvent(new TerminatedEvent());
    }
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.#configured();
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    const ui = this.#ui;
    this.#ui = null;
    this.#replay?.close();
    this.#replay = null;
    this.#bps = null;
    this.#look = null;
    this.#travel = null;
    void (ui ? ui.close() : Promise.resolve()).finally(() => this.sendResponse(response));
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  // ------------------------------------------------------------------ breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.#answer(response, () => {
      const file = args.source?.path ?? this.#inspector().fileOf(args.source?.sourceReference);
      if (typeof file !== 'string') throw new Error('setBreakpoints needs a source with a path');
      const wanted = (args.breakpoints ?? args.lines?.map((line) => ({ line })) ?? []).filter((b) => Number.isInteger(b.line));
      const set = this.#bpsOrThrow().setLines(file, wanted);
      return { breakpoints: set.map((b) => Object.assign(new Breakpoint(b.verified, b.line), { id: b.id, source: this.#inspector().source(b.file) }, b.message ? { message: b.message } : {})) };
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.#answer(response, () => {
      const set = this.#bpsOrThrow().setFunctions((args.breakpoints ?? []).filter((b) => typeof b.name === 'string' && b.name !== ''));
      return { breakpoints: set.map((b) => Object.assign(new Breakpoint(b.verified), { id: b.id }, b.message ? { message: b.message } : {})) };
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.#answer(response, () => {
      this.#bpsOrThrow().setExceptions([...(args.filters ?? []), ...(args.filterOptions ?? []).map((o) => o.filterId)]);
    });
  }

  #bpsOrThrow = (): Breakpoints => opened(this.#bps);
  #travelOrThrow = (): Travel => opened(this.#travel);
  #inspector = (): Inspector => opened(this.#look);

  // ------------------------------------------------------------------ moving

  /** Tells the editor every thread stopped at the moment of `row`. */
  #stop({ row, reason, description, hit = [] }: Stop): void {
    const r = this.#r;
    r.moveTo(row);
    this.#inspector().reset();
    this.#lastThread = r.ctxOf(row) + 1;
    const e = new StoppedEvent(reason, this.#lastThread) as DebugProtocol.StoppedEvent;
    e.body.allThreadsStopped = true;
    if (description) e.body.description = description;
    if (hit.length) e.body.hitBreakpointIds = hit.map((b) => b.id);
    this.sendEvent(e);
  }

  #cursorOf(threadId: unknown): number {
    const r = this.#r;
    return r.cursor.get(r.ctxOfThread(threadId))!;
  }

  /** Checks a move request and answers it, then moves (the stopped event follows the response). */
  #move(response: DebugProtocol.Response, fn: () => () => void): void {
    let then: () => void;
    try {
      then = fn();
    } catch (e) {
      return this.#fail(response, e);
    }
    this.sendResponse(response);
    try {
      then();
    } catch (e) {
      this.sendEvent(new OutputEvent(`cinema dap: ${(e as Error).message}\n`, 'stderr'));
    }
  }

  #continue(response: DebugProtocol.Response, threadId: number, back: boolean): void {
    this.#move(response, () => {
      const row = this.#cursorOf(threadId);
      return () => this.#stop(this.#travelOrThrow().run(row, back, row));
    });
  }

  #step(response: DebugProtocol.Response, threadId: number, how: StepKind, back: boolean): void {
    this.#move(response, () => {
      const row = this.#cursorOf(threadId);
      return () => this.#stop(this.#travelOrThrow().step(row, how, back));
    });
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    response.body = { allThreadsContinued: true };
    this.#continue(response, args.threadId, false);
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse, args: DebugProtocol.ReverseContinueArguments): void {
    this.#continue(response, args.threadId, true);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.#step(response, args.threadId, 'over', false);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.#step(response, args.threadId, 'into', false);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.#step(response, args.threadId, 'out', false);
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.#step(response, args.threadId, 'over', true);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    // A replay is always stopped between requests: nothing runs to pause.
    this.sendResponse(response);
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    this.#answer(response, () => {
      if (typeof args.source?.path !== 'string' || !Number.isInteger(args.line)) throw new Error('gotoTargets needs a source path and a line');
      return { targets: gotoTargets(this.#r, diskPath(args.source.path), args.line, this.#r.cursor.get(this.#lastThread - 1) ?? 0) };
    });
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    this.#move(response, () => {
      // A target id is an event id: any event can be gone to, not only those gotoTargets listed.
      const row = checkRow(this.#r.index, args.targetId);
      return () => this.#stop({ row, reason: 'goto', description: `event #${row}` });
    });
  }

  // ------------------------------------------------------------------ inspecting

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: this.#replay ? this.#replay.threads().map((t) => new Thread(t.id, t.name)) : [] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.#answer(response, () => this.#inspector().stackTrace(this.#cursorOf(args.threadId), args));
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.#answer(response, () => this.#inspector().sourceText(args));
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.#answer(response, () => this.#inspector().scopes(args.frameId));
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.#answer(response, () => this.#inspector().variables(args));
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.#answer(response, () => this.#inspector().evaluate(String(args.expression ?? ''), this.#r.cursor.get(this.#lastThread - 1)!, args.frameId));
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.#answer(response, () => exceptionInfo(this.#r, this.#cursorOf(args.threadId), this.#bpsOrThrow()));
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command !== 'cinema/openUi') return this.#fail(response, new Error(`unknown request '${command}'`));
    void (async () => {
      try {
        const r = this.#r;
        if (!this.options.openUi) throw new Error('this adapter cannot serve the web UI');
        const threadId = (args as { threadId?: number } | undefined)?.threadId ?? this.#lastThread;
        const row = this.#cursorOf(threadId);
        this.#ui ??= await this.options.openUi(r.dir);
        response.body = { url: `${this.#ui.url}#e=${row}`, event: row };
        this.sendResponse(response);
      } catch (e) {
        this.#fail(response, e);
      }
    })();
  }
}
