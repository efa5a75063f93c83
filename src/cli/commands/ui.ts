/** `cinema ui [REC]`: serves the web app over a recording and prints the URL to open. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_ROOT, resolveRecording } from '../../recording/locate.js';
import { isLoopback, startUiServer, type UiServer } from '../../server/server.js';
import { intOption, parse } from '../args.js';
import type { Command, Io } from '../command.js';

const DEFAULT_PORT = Number(process.env.CINEMA_UI_PORT) || 7373;

export const ui: Command = {
  name: 'ui',
  summary: 'watch, scrub and step through a recording in the browser',
  usage: `cinema ui [REC...] [--root DIR] [--port N] [--host H] [--no-open]

Serves the Execution Cinema web app over a recording (the first REC, or the latest under .cinema/
when none is given) and prints the URL to open; it carries this session's token, without which
the server answers nothing. The page can switch to the other RECs and to every recording under
--root (default .cinema/ here), named as the MCP server's links name them. Runs until Ctrl-C.

Options:
      --root DIR  also offer every recording in DIR (default: .cinema/ of this folder)
  -p, --port N    port to listen on (default 7373, or CINEMA_UI_PORT; a free one when taken)
      --host H    address to bind (default 127.0.0.1; anything else is reachable by others)
      --no-open   do not try to open a browser
  -h, --help      show this help`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, { port: { type: 'string', short: 'p' }, host: { type: 'string' }, root: { type: 'string' }, 'no-open': { type: 'boolean' } });
    if (v.help) return io.help(this);
    const root = v.root ?? path.join(process.cwd(), DEFAULT_ROOT);
    const server = await serveUi(resolveRecording(positionals[0]), io, { port: intOption(v.port, 'port', 0, 0, 65535), ...(v.host ? { host: v.host } : {}), open: v['no-open'] !== true, recordings: positionals.slice(1), root });
    await untilInterrupted(server);
    return 0;
  },
};

/** Starts the server, prints where it is, and opens a browser when asked and possible. */
export async function serveUi(dir: string, io: Io, options: { port?: number; host?: string; open?: boolean; recordings?: string[]; root?: string } = {}): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) io.err(`cinema ui: warning: listening on ${host}: anyone who can reach it and has the URL's token can read this recording`);
  let server: UiServer;
  try {
    // 7373 by default, the port the MCP server's deep links name (src/mcp/links.ts); any free one when it is taken.
    server = await startUiServer(dir, { host, port: options.port || DEFAULT_PORT, recordings: options.recordings, root: options.root });
  } catch (e) {
    if (options.port || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    server = await startUiServer(dir, { host, port: 0, recordings: options.recordings, root: options.root });
  }
  io.out(`Execution Cinema: ${server.openUrl}`);
  io.err('(Ctrl-C to stop)');
  if (options.open && process.stdout.isTTY && !process.env.CI) openBrowser(server.openUrl);
  return server;
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener: the URL is printed
  }
}

/** Resolves when SIGINT/SIGTERM arrives, after closing the server. */
export function untilInterrupted(server: UiServer): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
