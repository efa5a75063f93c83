/** The `cinema` command: dispatches to one module per command, turns failures into one line. */
import { readFileSync } from 'node:fs';
import { RecordingError } from '../recording/errors.js';
import { UsageError } from './args.js';
import type { Command, Io } from './command.js';
import { demo } from './commands/demo.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { ls, rm } from './commands/ls.js';
import { instrument } from './commands/instrument.js';
import { record } from './commands/record.js';
import { query } from './commands/query.js';
import { stats } from './commands/stats.js';
import { insights } from './commands/insights.js';
import { mcp } from './commands/mcp.js';
import { ui } from './commands/ui.js';
import { dap } from './commands/dap.js';
import { plan } from './commands/plan.js';
import { control } from './commands/control.js';
import { CommandNotFound } from './record-command.js';
import { PlanError } from '../format/plan-schema.js';

const commands: Command[] = [record, stats, query, insights, exportCommand, importCommand, ls, rm, instrument, demo, ui, mcp, dap, plan, control];

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `cinema ${version} — record Node.js programs and travel through the run

Usage: cinema <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'cinema <command> --help' for a command's options. Start with: npx cinema demo`;
}

const io: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  help(cmd) {
    process.stdout.write(cmd.usage + '\n');
    return 0;
  },
};

/** `cinema … | head` closes our stdout early: that is the reader's choice, not an error. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe(process.stdout);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const cmd = commands.find((c) => c.name === rest[0]);
    io.out(cmd ? cmd.usage : overview());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`cinema: unknown command '${name}' (commands: ${commands.map((c) => c.name).join(', ')}; see cinema --help)`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cinema ${cmd.name}: ${e.message} (see cinema ${cmd.name} --help)`);
      return 2;
    }
    if (e instanceof RecordingError) {
      io.err(`cinema ${cmd.name}: ${e.message}`);
      return 1;
    }
    if (e instanceof PlanError) {
      io.err(`cinema ${cmd.name}: ${e.message}`);
      return 2;
    }
    if (e instanceof CommandNotFound) {
      io.err(`cinema ${cmd.name}: ${e.message}`);
      return 127;
    }
    io.err(`cinema ${cmd.name}: ${(e as Error).message ?? String(e)}`);
    return 1;
  }
}
