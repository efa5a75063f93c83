/** `cinema mcp`: the MCP server for AI assistants (src/mcp), over stdio or Streamable HTTP. */
import { readFileSync } from 'node:fs';
import { serveHttp, serveStdio } from '../../mcp/server.js';
import { RateLimiter } from '../../server/limits.js';
import { Workspace } from '../../mcp/workspace.js';
import { Recording } from '../../recording/recording.js';
import { intOption, parse, UsageError } from '../args.js';
import type { Command } from '../command.js';

const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const mcp: Command = {
  name: 'mcp',
  summary: 'serve recordings to AI assistants over MCP (stdio, or HTTP on 127.0.0.1)',
  usage: `cinema mcp [--recording DIR] [--http PORT]

Runs a Model Context Protocol server whose tools answer questions about recordings: list
recordings, overview, find events, call tree, stack, state at a moment, value history, causal
chain, slow calls, insights, read source, search values, explain an error. Without --recording it
serves every recording under .cinema/ here.

Over stdio by default (configure your assistant to run 'cinema mcp'). With --http PORT it listens
on http://127.0.0.1:PORT/mcp (Streamable HTTP; PORT 0 picks a free one) and prints the URL and a
token: requests must send 'Authorization: Bearer <token>'.

Options:
  -r, --recording DIR   serve only this recording
      --http PORT       serve over HTTP on 127.0.0.1 instead of stdio
      --token TOKEN     the HTTP token (default: a random one; or CINEMA_MCP_TOKEN)
  -h, --help            show this help`,
  async run(argv, io) {
    const { values: v, positionals } = parse(argv, { recording: { type: 'string', short: 'r' }, http: { type: 'string' }, token: { type: 'string' } });
    if (v.help) return io.help(this);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (name a recording with --recording DIR)`);
    const ws = new Workspace(v.recording ?? null);
    if (v.recording) Recording.open(v.recording); // a missing or damaged recording is an error now, not at the first tool call
    if (v.http === undefined) {
      await serveStdio(ws, version);
      return 0;
    }
    const token = v.token ?? process.env.CINEMA_MCP_TOKEN;
    if (token !== undefined && token.length < 16) throw new UsageError('--token must be at least 16 characters');
    const limiter = new RateLimiter();
    const server = await serveHttp(ws, version, { port: intOption(v.http, 'http', 0, 0, 65535), ...(token ? { token } : {}), admit: (c) => limiter.admit(c) });
    io.out(`cinema mcp: listening on ${server.url}`);
    io.out(`cinema mcp: token ${server.token}  (send Authorization: Bearer <token>)`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
