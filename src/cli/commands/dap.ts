/** `cinema dap [REC]`: the Debug Adapter Protocol server (src/dap), over stdio or TCP on 127.0.0.1. */
import path from 'node:path';
import { resolveRecordingArg } from '../../dap/session-parts.js';
import { serveStdio, serveTcp } from '../../dap/serve.js';
import type { SessionOptions } from '../../dap/session.js';
import { startUiServer } from '../../server/server.js';
import { intOption, parse, UsageError } from '../args.js';
import type { Command } from '../command.js';

export const dap: Command = {
  name: 'dap',
  summary: 'debug a recording in your editor, forwards and backwards (Debug Adapter Protocol)',
  usage: `cinema dap [REC] [--port N]

Runs a Debug Adapter Protocol server that replays a recording as a debuggee: threads, stacks with
arguments, breakpoints (with conditions and log points) and exception breakpoints, step over/in/out,
step back and reverse continue, goto, evaluate over recorded values. Editors start it per session
over stdio (VS Code: editors/vscode; nvim-dap and others: see docs/dap.md).

REC is the recording a launch request that names none replays (default: the latest under
.cinema/ when the session starts). A launch request may instead name "recording", or give
"command" (e.g. ["node", "app.js"]) to record it first.

Options:
  -p, --port N    listen on 127.0.0.1:N instead of stdio, one session per connection
                  (0 picks a free port; the port is printed). Anyone on this machine can connect.
  -h, --help      show this help`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, { port: { type: 'string', short: 'p' } });
    if (v.help) return io.help(this);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const options: SessionOptions = {
      openUi: async (dir) => {
        const ui = await startUiServer(dir, { port: 0 });
        return { url: ui.openUrl, close: () => ui.close() };
      },
    };
    // A recording named here must be readable now, not at the first launch.
    if (positionals[0] !== undefined) options.recording = resolveRecordingArg(path.resolve(positionals[0]), process.cwd());
    if (v.port === undefined) {
      serveStdio(options);
      await new Promise<void>(() => {}); // until the editor closes the session (the session ends the process)
      return 0;
    }
    const server = await serveTcp(options, intOption(v.port, 'port', 0, 0, 65535));
    io.out(`cinema dap: listening on 127.0.0.1:${server.port}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await server.close();
    return 0;
  },
};
