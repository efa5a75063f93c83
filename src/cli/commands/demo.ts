import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Recording } from '../../recording/recording.js';
import { computeStats } from '../../query/stats.js';
import { intOption, parse } from '../args.js';
import type { Command } from '../command.js';
import { recordCommand } from '../record-command.js';
import { displayPath } from '../../recording/sources.js';
import { printStats } from './stats.js';
import { serveUi, untilInterrupted } from './ui.js';

const example = fileURLToPath(new URL('../../../examples/demo/checkout.mjs', import.meta.url));

export const demo: Command = {
  name: 'demo',
  summary: 'record the bundled example shop and open it in the web UI',
  usage: `cinema demo [--out DIR] [--no-ui] [--port N] [--no-open]

Records examples/demo/checkout.mjs (carts, an async stock check, a worker thread, recursion and
a swallowed error), prints the recording's stats and what to try next, then serves the web UI
over the recording and prints its URL (as cinema ui does) until Ctrl-C.

Options:
  -o, --out DIR   recording directory (default: .cinema/<time>-checkout)
      --no-ui     only print the stats and what to try next
  -p, --port N    port of the web UI (default: a free one)
      --no-open   do not try to open a browser
  -h, --help      show this help`,
  async run(argv, io) {
    const { values: v } = parse(argv, { out: { type: 'string', short: 'o' }, 'no-ui': { type: 'boolean' }, port: { type: 'string', short: 'p' }, 'no-open': { type: 'boolean' } }, false);
    if (v.help) return io.help(this);
    io.err(`cinema: recording ${displayPath(example)} …`);
    const result = await recordCommand([process.execPath, example], { ...(v.out ? { out: v.out } : {}), stdio: 'inherit' });
    const rel = path.relative(process.cwd(), result.dir) || '.';
    io.out('');
    printStats(computeStats(Recording.open(result.dir)), io);
    io.out('');
    io.out('Try next:');
    const next: [string, string][] = [
      [`cinema insights ${rel}`, 'what went wrong, and where'],
      [`cinema query ${rel} errors`, 'the error the shop swallowed: where it was thrown, its value, who caught it'],
      [`cinema query ${rel} events --function Cart.add`, 'every call of Cart.add with its arguments and result'],
      ['cinema record -- node your-app.js', 'record your own program'],
    ];
    const width = Math.max(...next.map(([c]) => c.length));
    for (const [c, what] of next) io.out(`  ${c.padEnd(width)}   ${what}`);
    if (v['no-ui'] === true) return result.status;
    io.out('');
    const server = await serveUi(result.dir, io, { port: intOption(v.port, 'port', 0, 0, 65535), open: v['no-open'] !== true });
    await untilInterrupted(server);
    return result.status;
  },
};
