/** `cinema query [REC] <subcommand>`: questions over a recording, answered from its event index. */
import { resolveRecording } from '../../recording/locate.js';
import { Recording } from '../../recording/recording.js';
import { EventIndex } from '../../query/index/event-index.js';
import { parse, UsageError } from '../args.js';
import type { Command, Io } from '../command.js';
import { subcommands, type Subcommand } from './query-subcommands.js';
import path from 'node:path';
import { Session } from '../../query/session.js';

export { show } from './query-views.js';

const names = subcommands.map((s) => s.name);
const subUsage = (s: Subcommand) => `cinema query [REC] ${s.name}${s.args} [options]

${s.help}
      --json            print JSON
  -h, --help            show this help`;

export const query: Command = {
  name: 'query',
  summary: `ask a recording questions (${names.join(', ')})`,
  usage: `cinema query [REC…] <query> [options]

Answers questions about a recording (the latest under .cinema/ when REC is not given); timeline
and causes also read several recordings as one (services recorded separately). The first
query builds an index inside the recording (a progress bar shows on a terminal); later ones reuse
it, and it is rebuilt when the recording changed.

Queries:
${subcommands.map((s) => `  ${(s.name + s.args).padEnd(16)} ${s.summary}`).join('\n')}

Run 'cinema query <query> --help' for a query's options.`,
  async run(argv, io) {
    const at = argv.findIndex((a) => names.includes(a));
    const before = at < 0 ? argv : argv.slice(0, at);
    if (at < 0) {
      if (before.includes('--help') || before.includes('-h')) return io.help(this);
      const word = before.find((a) => !a.startsWith('-'));
      const words = before.filter((a) => !a.startsWith('-'));
      throw new UsageError(words.length > 1 ? `unknown query '${words.at(-1)}' (queries: ${names.join(', ')})` : word && !word.includes('/') && !word.includes('.') ? `unknown query '${word}' (queries: ${names.join(', ')})` : `which query? (queries: ${names.join(', ')})`);
    }
    const sub = subcommands.find((s) => s.name === argv[at])!;
    const recArgs = before.filter((a) => a !== '--json');
    if (recArgs.some((a) => a.startsWith('-'))) throw new UsageError(`options go after the query name: cinema query [REC] ${sub.name} [options]`);
    if (recArgs.length > 1 && !sub.runSession) throw new UsageError(`unexpected argument '${recArgs[1]}' ('${sub.name}' reads one recording; timeline and causes take several)`);
    const { values, positionals } = parse([...argv.slice(at + 1), ...(before.includes('--json') ? ['--json'] : [])], { ...sub.options, json: { type: 'boolean' } });
    if (values.help) {
      io.out(subUsage(sub));
      return 0;
    }
    const opts = values as Record<string, string | boolean | string[] | undefined>;
    if (recArgs.length > 1) return runMany(sub, recArgs, positionals, opts, io);
    const rec = Recording.open(resolveRecording(recArgs[0]));
    const index = openWithProgress(rec, io);
    try {
      sub.run(index, positionals, opts, io);
    } finally {
      index.close();
    }
    return 0;
  },
};

/** A query over several recordings read as one. */
function runMany(sub: Subcommand, recArgs: string[], positionals: string[], opts: Parameters<Subcommand['run']>[2], io: Io): number {
  const dirs = recArgs.map((a) => path.resolve(resolveRecording(a)));
  const twice = dirs.find((d, i) => dirs.indexOf(d) !== i);
  if (twice) throw new UsageError(`recording ${twice} given twice`);
  const indexes: EventIndex[] = [];
  try {
    for (const d of dirs) indexes.push(openWithProgress(Recording.open(d), io));
    sub.runSession!(new Session(indexes), positionals, opts, io);
  } finally {
    for (const i of indexes) i.close();
  }
  return 0;
}

/** Opens (building when needed) the index, with a progress bar on stderr when it is a terminal. */
export function openWithProgress(rec: Recording, _io: Io): EventIndex {
  const tty = process.stderr.isTTY === true;
  let last = -1;
  const index = EventIndex.open(rec, {
    progress: tty
      ? (done, total) => {
          const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
          if (pct === last) return;
          last = pct;
          const bar = '#'.repeat(pct >> 2).padEnd(25, '.');
          process.stderr.write(`\rindexing ${bar} ${pct}%`);
        }
      : undefined,
  });
  if (tty && last >= 0) process.stderr.write('\r\x1b[K');
  return index;
}
