import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { levelNames, type LevelName } from '../../format/levels.js';
import { processDir } from '../../recording/layout.js';
import { CONTROL_ACK_FILE, CONTROL_FILE, registryFile, type ControlAck, type ControlRequest } from '../../runtime/control.js';
import { parse, UsageError } from '../args.js';
import type { Command } from '../command.js';

const WAIT_MS = 5000;

export const control: Command = {
  name: 'control',
  summary: 'turn recording of a running process up or down without a restart',
  usage: `cinema control <pid> --level LEVEL [options]

Sets the level of functions in a process that is being recorded: off, boundary (entry and
exit), calls (with values) or full (values and state writes). The change applies to code
already loaded and to matching code loaded later, is marked in the recording (a mark event), and
is acknowledged here. A function can be turned up only as far as it was compiled: everything,
unless the plan says compile: plan.

Options:
  -l, --level LEVEL      off, boundary, calls or full (required)
  -i, --include GLOB     only functions in these files (repeatable; relative to the program's
                         working directory, or absolute)
  -f, --function NAME    only functions with this name or glob (repeatable: Cart.add, Cart.*)
      --recording DIR    the recording the process writes (default: found by pid)
      --json             print the acknowledgement as JSON
  -h, --help             show this help

Examples:
  cinema control 4242 --level full --include 'src/cart/**'
  cinema control 4242 --level off --function parseRow`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, {
      level: { type: 'string', short: 'l' },
      include: { type: 'string', short: 'i', multiple: true },
      function: { type: 'string', short: 'f', multiple: true },
      recording: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (v.help) return io.help(this);
    if (positionals.length !== 1 || !/^\d+$/.test(positionals[0]!)) throw new UsageError('give one process id: cinema control <pid> --level LEVEL');
    const pid = Number(positionals[0]);
    if (v.level === undefined) throw new UsageError(`--level is required (${levelNames.join(', ')})`);
    if (!(levelNames as readonly string[]).includes(v.level)) throw new UsageError(`--level must be one of ${levelNames.join(', ')}, not '${v.level}'`);
    const procDir = v.recording ? processDir(path.resolve(v.recording), pid) : registered(pid);
    if (!fs.existsSync(path.join(procDir, 'process.json'))) throw new Error(`process ${pid} is not in ${path.dirname(path.dirname(procDir))}`);
    if (!alive(pid)) throw new Error(`process ${pid} is not running`);
    const req: ControlRequest = { id: crypto.randomUUID(), level: v.level as LevelName, ...(v.include ? { include: v.include } : {}), ...(v.function ? { function: v.function } : {}) };
    fs.appendFileSync(path.join(procDir, CONTROL_FILE), JSON.stringify(req) + '\n', { mode: 0o600 });
    const ack = await waitForAck(path.join(procDir, CONTROL_ACK_FILE), req.id, pid);
    if (ack.error) throw new Error(`process ${pid} refused: ${ack.error}`);
    if (v.json) io.out(JSON.stringify({ pid, ...req, functions: ack.functions }));
    else if (ack.functions === 0) io.out(`process ${pid}: no loaded function matches; matching code it loads later starts at ${req.level}`);
    else io.out(`process ${pid}: ${ack.functions} function${ack.functions === 1 ? '' : 's'} now at ${req.level}`);
    return 0;
  },
};

function registered(pid: number): string {
  let text: string;
  try {
    text = fs.readFileSync(registryFile(pid), 'utf8');
  } catch {
    throw new Error(`process ${pid} is not being recorded by this user (or give --recording DIR)`);
  }
  return (JSON.parse(text) as { procDir: string }).procDir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForAck(file: string, id: string, pid: number): Promise<ControlAck> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    for (const line of text.split('\n')) {
      if (!line.includes(id)) continue;
      try {
        return JSON.parse(line) as ControlAck;
      } catch {
        // being written
      }
    }
    if (!alive(pid)) throw new Error(`process ${pid} ended before applying the change`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`process ${pid} did not apply the change within ${WAIT_MS / 1000} s (is its event loop blocked?)`);
}
