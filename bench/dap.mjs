#!/usr/bin/env node
// DAP server latency: a real `cinema dap` over stdio driven by the DAP test client, on a real
// recording of test/fixtures/many-calls.mjs (3 events per call, ending with an uncaught throw).
//
//   node bench/dap.mjs [--calls N] [--runs N]      (default 2 M calls = 6 M events, 5 runs)
//
// Each figure is the median over the runs of the time from a request to the `stopped` event
// it causes (or to the launch response). Prints a markdown table.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'cinema.js');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'many-calls.mjs');
const { values: o } = parseArgs({ options: { calls: { type: 'string', default: '2000000' }, runs: { type: 'string', default: '5' } } });
const rec = path.join(ROOT, 'bench', '.work', `dap-${o.calls}`);
if (!fs.existsSync(path.join(rec, 'manifest.json'))) {
  try {
    execFileSync(process.execPath, [BIN, 'record', '--out', rec, '--', 'node', FIXTURE, o.calls, 'throw'], { stdio: 'ignore' });
  } catch {
    // the program ends by throwing, on purpose
  }
}

class Client extends DebugClient {
  constructor() {
    super('node', BIN, 'cinema');
    this.defaultTimeout = 600_000;
  }
  open() {
    this.child = spawn(process.execPath, [BIN, 'dap', rec], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.connect(this.child.stdout, this.child.stdin);
  }
  async timed(fn) {
    const stopped = this.waitForEvent('stopped');
    const t = performance.now();
    await fn();
    await stopped;
    return performance.now() - t;
  }
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = { launch: [], 'continue, no breakpoint hit (whole recording)': [], 'continue to an uncaught exception (end)': [], 'reverse continue to a breakpoint at the start': [], 'step over': [], 'step back': [], 'stack trace + scopes + variables': [] };
let events = 0;
for (let run = 0; run < Number(o.runs); run++) {
  const dc = new Client();
  dc.open();
  await dc.initializeRequest();
  const t0 = performance.now();
  const stopped = dc.waitForEvent('stopped');
  const init = dc.waitForEvent('initialized');
  dc.on('output', (e) => (events ||= Number(/(\d+) events/.exec(e.body.output)?.[1] ?? 0)));
  await dc.launchRequest({ stopOnEntry: true });
  rows.launch.push(performance.now() - t0);
  await init;
  await dc.configurationDoneRequest();
  await stopped;
  rows['continue, no breakpoint hit (whole recording)'].push(await dc.timed(() => dc.continueRequest({ threadId: 1 })));
  await dc.setExceptionBreakpointsRequest({ filters: ['uncaught'] });
  rows['reverse continue to a breakpoint at the start'].push(await dc.timed(async () => {
    await dc.setBreakpointsRequest({ source: { path: FIXTURE }, breakpoints: [{ line: 2, condition: 'i === 0' }] });
    await dc.reverseContinueRequest({ threadId: 1 });
  }));
  const t = performance.now();
  const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
  for (const s of (await dc.scopesRequest({ frameId: frame.id })).body.scopes) if (s.variablesReference) await dc.variablesRequest({ variablesReference: s.variablesReference });
  rows['stack trace + scopes + variables'].push(performance.now() - t);
  await dc.setBreakpointsRequest({ source: { path: FIXTURE }, breakpoints: [] });
  rows['continue to an uncaught exception (end)'].push(await dc.timed(() => dc.continueRequest({ threadId: 1 })));
  rows['step back'].push(await dc.timed(() => dc.stepBackRequest({ threadId: 1 })));
  rows['step over'].push(await dc.timed(() => dc.nextRequest({ threadId: 1 })));
  await dc.disconnectRequest();
  dc.child.kill();
}
console.log(`\ncinema dap on ${events.toLocaleString('en')} events (${o.calls} calls), Node ${process.version}, median of ${o.runs} runs\n`);
console.log('| request | median |\n|---|---|');
for (const [k, v] of Object.entries(rows)) console.log(`| ${k} | ${median(v).toFixed(0)} ms |`);
