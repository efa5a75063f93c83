/** A DAP client (the test support library's) driving a real `cinema dap` process, and helpers to ask it where it is. */
import type { ChildProcess } from 'node:child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { cinemaBin, spawn } from '../helpers.js';

export class Client extends DebugClient {
  child: ChildProcess | null = null;

  constructor() {
    super('node', cinemaBin, 'cinema');
    // Generous: the machine running the tests may be busy; a stop that never comes still fails.
    this.defaultTimeout = 120_000;
  }

  /** Starts `cinema dap ARGS` over stdio. */
  spawnAdapter(args: string[], cwd?: string): this {
    const child = spawn(process.execPath, [cinemaBin, 'dap', ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
    this.child = child;
    this.connect(child.stdout!, child.stdin!);
    return this;
  }

  async close(): Promise<void> {
    await this.disconnectRequest().catch(() => undefined);
    this.child?.kill();
    this.stopAdapter();
  }

  /** initialize, launch, breakpoints and exception filters, configurationDone; resolves with the first stop. */
  async begin(launch: Record<string, unknown>, setup: { file?: string; lines?: { line: number; condition?: string; logMessage?: string }[]; functions?: { name: string; condition?: string }[]; exceptions?: string[] } = {}): Promise<DebugProtocol.StoppedEvent> {
    await this.initializeRequest();
    const stopped = this.waitForEvent('stopped');
    stopped.catch(() => undefined); // reported by the await below, or moot when setup failed
    await Promise.all([
      this.waitForEvent('initialized').then(async () => {
        if (setup.file) await this.setBreakpointsRequest({ source: { path: setup.file }, breakpoints: setup.lines ?? [] });
        if (setup.functions) await this.setFunctionBreakpointsRequest({ breakpoints: setup.functions });
        await this.setExceptionBreakpointsRequest({ filters: setup.exceptions ?? [] });
        await this.configurationDoneRequest();
      }),
      this.launchRequest(launch),
    ]);
    return (await stopped) as DebugProtocol.StoppedEvent;
  }

  /** Sends a move request and waits for the stop it causes. */
  async move(request: 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue', threadId = 1): Promise<DebugProtocol.StoppedEvent> {
    const stopped = this.waitForEvent('stopped');
    stopped.catch(() => undefined);
    await this.send(request, { threadId });
    return (await stopped) as DebugProtocol.StoppedEvent;
  }

  async top(threadId = 1): Promise<{ name: string; line: number; path?: string; id: number }> {
    const st = await this.stackTraceRequest({ threadId });
    const f = st.body.stackFrames[0]!;
    return { name: f.name, line: f.line, id: f.id, ...(f.source?.path ? { path: f.source.path } : {}) };
  }

  /** Every variable of every scope of the top frame, as `name → value text`. */
  async vars(threadId = 1): Promise<Record<string, string>> {
    const { id } = await this.top(threadId);
    const out: Record<string, string> = {};
    for (const s of (await this.scopesRequest({ frameId: id })).body.scopes) {
      if (!s.variablesReference) continue;
      for (const v of (await this.variablesRequest({ variablesReference: s.variablesReference })).body.variables) out[v.name] = v.value;
    }
    return out;
  }

  async eval(expression: string, threadId = 1): Promise<DebugProtocol.EvaluateResponse['body']> {
    const { id } = await this.top(threadId);
    return (await this.evaluateRequest({ expression, frameId: id, context: 'watch' })).body;
  }
}
