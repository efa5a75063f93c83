import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Recording } from '../../recording/recording.js';
import { computeStats } from '../../query/stats.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { recordCommand } from '../record-command.js';
import { printStats, shortPath } from './stats.js';

const example = fileURLToPath(new URL('../../../examples/demo/checkout.mjs', import.meta.url));

export const demo: Command = {
  name: 'demo',
  summary: 'record the bundled example shop and show what was captured',
  usage: `cinema demo [--out DIR]

Records examples/demo/checkout.mjs (carts, an async stock check, a worker thread, recursion and
a swallowed error) and prints the recording's stats and what to try next.

Options:
  -o, --out DIR   recording directory (default: .cinema/<time>-checkout)
  -h, --help      show this help`,
  async run(argv, io) {
    const { values: v } = parse(argv, { out: { type: 'string', short: 'o' } }, false);
    if (v.help) return io.help(this);
    io.err(`cinema: recording ${shortPath(example)} …`);
    const result = await recordCommand([process.execPath, example], { ...(v.out ? { out: v.out } : {}), stdio: 'inherit' });
    const rel = path.relative(process.cwd(), result.dir) || '.';
    io.out('');
    printStats(computeStats(Recording.open(result.dir)), io);
    io.out('');
    io.out('Try next:');
    io.out(`  cinema query ${rel} events --kind throw          the error the shop swallowed, with its value`);
    io.out(`  cinema query ${rel} events --function Cart.add   every call of Cart.add with its arguments and result`);
    io.out(`  cinema stats ${rel} --json                       these numbers as JSON`);
    io.out(`  cinema record -- node your-app.js                record your own program`);
    return result.status;
  },
};
