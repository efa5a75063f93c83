/**
 * Lost updates: a read-modify-write of one property split by an await, while other work wrote the
 * same property in between.
 *
 * From the recording: frame F writes obj.k after resuming from an await; the write before it to
 * the same obj.k (value history) was made by another frame while F was suspended there. From the
 * source of F: obj.k was read before that await and not read again between the await and the
 * write, so F wrote a value computed from what it read before the other write (`const b =
 * acct.balance; await …; acct.balance = b - x`, or `acct.balance += await …`). The other
 * frame's update is lost.
 */
import { lastWrite, type ObjectRef } from '../../query/state.js';
import { brief, listItems, type Ctx } from '../context.js';
import { objectId } from '../../recording/value-reader.js';
import { displayPath } from '../../recording/sources.js';
import { functionAt, normalizeTarget, ownNodes, sourceFile, type Node, type SourceFile } from '../source.js';
import { callPos, scanAwaits } from '../thread-view.js';
import type { Finding } from '../types.js';

export function lostUpdates(ctx: Ctx): Finding[] {
  const { index } = ctx;
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const v of ctx.views) {
    const lastSuspend = new Map<number, number>();
    scanAwaits(v, {
      suspend: (i, owner) => void lastSuspend.set(owner, i),
      writeAfterAwait(i, owner) {
        const s = lastSuspend.get(owner);
        if (s === undefined) return;
        const items = listItems(index.value(v.rows[i]!));
        if (items.length !== 3 || typeof items[1] !== 'string') return;
        const id = objectId(items[0]);
        if (id <= 0) return;
        const key = items[1];
        const ref: ObjectRef = { ctx: v.ctx, pid: v.pid, thread: v.thread, id };
        const prev = lastWrite(index, ref, key, v.rows[i]! - 1);
        if (prev < 0 || prev <= v.rows[s]!) return;
        const pl = v.local(prev);
        if (pl < 0 || callPos(v, v.local(v.parent[pl]!)) === owner) return;
        // The other write happened while this frame was suspended at `s`: did it read obj.k before?
        const wInfo = index.site(v.proc, v.site[i]!);
        const aInfo = index.site(v.proc, v.site[s]!);
        const fInfo = index.site(v.proc, v.site[owner]!);
        if (!wInfo?.target || !aInfo || !fInfo) return;
        const sf = sourceFile(index.rec.dir, fInfo.file);
        if (!sf) return;
        const read = staleRead(sf, fInfo.line, fInfo.column, wInfo.target, sf.offset(aInfo.line, aInfo.column), sf.offset(wInfo.line, wInfo.column));
        if (read === null) return;
        const dedupe = `${v.ctx}:${v.site[i]}:${id}:${key}`;
        if (reported.has(dedupe)) return;
        reported.add(dedupe);
        const otherInfo = index.site(v.proc, v.site[pl]!);
        const otherFrame = index.site(v.proc, v.site[callPos(v, v.local(v.parent[pl]!))] ?? 0);
        const prevValue = listItems(index.value(prev))[2];
        out.push({
          id: `lost-update:@${v.rows[i]!}`,
          kind: 'lost-update',
          severity: 'high',
          title: `Lost update of ${wInfo.target} at ${displayPath(wInfo.file)}:${wInfo.line}: read before an await, written after it, while other work changed it`,
          explanation:
            `${fInfo.name} read ${wInfo.target} at line ${read}, waited at line ${aInfo.line}, and then wrote ${wInfo.target} = ${brief(items[2])} at line ${wInfo.line}. ` +
            `While it waited, ${otherFrame?.name ?? 'other code'} wrote ${wInfo.target} = ${brief(prevValue)}${otherInfo ? ` (line ${otherInfo.line})` : ''}, so the value written here was computed from a stale read and that update was lost. ` +
            `Re-read the value after the await, update it in one step, or serialise the updates (a lock or a queue per object).`,
          events: [v.rows[i]!, prev, v.rows[s]!, v.rows[owner]!],
          locations: [
            { file: wInfo.file, line: wInfo.line, column: wInfo.column, what: `write of ${wInfo.target} from a stale read` },
            { file: fInfo.file, line: read, what: `read of ${wInfo.target}` },
            { file: aInfo.file, line: aInfo.line, column: aInfo.column, what: 'the await in between' },
          ],
        });
      },
    });
  }
  return out;
}

/**
 * Line of the read of `target` that the write at `writeAt` is based on, when it comes before the
 * await at `awaitAt` and nothing reads `target` again between the await and the write; else null.
 */
export function staleRead(sf: SourceFile, fnLine: number, fnColumn: number, target: string, awaitAt: number, writeAt: number): number | null {
  const fn = functionAt(sf, fnLine, fnColumn);
  if (!fn) return null;
  const want = normalizeTarget(target);
  const dot = want.lastIndexOf('.');
  const objText = dot > 0 ? want.slice(0, dot) : '';
  const key = want.slice(dot + 1);
  const reads: number[] = [];
  // Where the write expression ends (the assignment containing the write site).
  let writeEnd = writeAt;
  for (const { node } of ownNodes(fn, (n) => n.type === 'AssignmentExpression' && n.start <= writeAt && writeAt < n.end)) writeEnd = Math.max(writeEnd, node.end);
  for (const { node, parents } of ownNodes(fn, (n) => n.type === 'MemberExpression' || n.type === 'VariableDeclarator')) {
    if (node.type === 'MemberExpression') {
      if (normalizeTarget(sf.textOf(node)) !== want) continue;
      const p = parents.at(-1);
      if (p && p.type === 'AssignmentExpression' && p.left === node && p.operator === '=') continue;
      if (p && p.type === 'MemberExpression' && p.object !== node) continue;
      reads.push(node.start);
    } else {
      const id = node.id as Node;
      const init = node.init as Node | null;
      if (!init || id.type !== 'ObjectPattern' || normalizeTarget(sf.textOf(init).replace(/^await\s+/, '')) !== objText) continue;
      if ((id.properties as Node[]).some((p) => p.type === 'Property' && !p.computed && ((p.key as Node).name === key || (p.key as Node).value === key))) reads.push(node.start);
    }
  }
  const before = reads.filter((r) => r < awaitAt);
  const after = reads.filter((r) => r > awaitAt && r <= writeEnd);
  if (before.length === 0 || after.length > 0) return null;
  return sf.lineOf(Math.max(...before));
}
