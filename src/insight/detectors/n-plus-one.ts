/**
 * N+1: one frame awaits the same call site over and over, one item at a time, where one batched
 * call (or a Promise.all) would do.
 *
 * Per frame (a call, across its resumptions), suspensions are grouped by await site. A site that
 * suspended at least N times, each time after calling the same instrumented function with
 * different arguments, is the pattern; when the awaited function is not instrumented (a driver in
 * node_modules, fetch), the source must show the await inside a loop, with an argument that
 * depends on the loop's variable (so polling loops such as `while (…) await sleep(100)` are left alone).
 */
import { locationOf, ms, type Ctx } from '../context.js';
import { displayPath } from '../../recording/sources.js';
import { functionAt, ownNodes, sourceFile, walk, type Node } from '../source.js';
import { scanAwaits } from '../thread-view.js';
import type { Finding } from '../types.js';

interface Group {
  suspends: number[];
  /** Callee (site) called by the frame just before each suspension, with its arguments. */
  callees: Map<number, { rows: number[]; args: Set<string> }>;
  waitedUs: number;
}

export function nPlusOne(ctx: Ctx): Finding[] {
  const min = ctx.options.nPlusOneMin ?? 5;
  const { index } = ctx;
  const out: Finding[] = [];
  for (const v of ctx.views) {
    // frame call position → await site → group
    const frames = new Map<number, Map<number, Group>>();
    const pending = new Map<number, { group: Group; at: number }>();
    scanAwaits(v, {
      suspend(i, owner, c) {
        let sites = frames.get(owner);
        if (!sites) frames.set(owner, (sites = new Map()));
        let g = sites.get(v.site[i]!);
        if (!g) sites.set(v.site[i]!, (g = { suspends: [], callees: new Map(), waitedUs: 0 }));
        g.suspends.push(i);
        pending.set(owner, { group: g, at: i });
        if (c >= 0) {
          let e = g.callees.get(v.site[c]!);
          if (!e) g.callees.set(v.site[c]!, (e = { rows: [], args: new Set() }));
          e.rows.push(v.rows[c]!);
          if (e.args.size < 64) e.args.add(JSON.stringify(index.value(v.rows[c]!) ?? null));
        }
      },
      resume(i, owner) {
        const p = pending.get(owner);
        if (p) {
          p.group.waitedUs += v.time[i]! - v.time[p.at]!;
          pending.delete(owner);
        }
      },
    });
    for (const [owner, sites] of frames) {
      for (const [awaitSite, g] of sites) {
        if (g.suspends.length < min) continue;
        const awaitInfo = index.site(v.proc, awaitSite);
        const frameInfo = index.site(v.proc, v.site[owner]!);
        if (!awaitInfo) continue;
        let callee: { site: number; rows: number[] } | null = null;
        for (const [site, e] of g.callees) if (e.rows.length >= min && e.args.size >= Math.min(min, e.rows.length) * 0.6 && (!callee || e.rows.length > callee.rows.length)) callee = { site, rows: e.rows };
        if (!callee && !awaitInLoopPerItem(ctx, awaitInfo.file, awaitInfo.line, awaitInfo.column)) continue;
        const calleeInfo = callee ? index.site(v.proc, callee.site) : undefined;
        const what = calleeInfo ? calleeInfo.name : 'the awaited call';
        const n = callee ? callee.rows.length : g.suspends.length;
        out.push({
          id: `n-plus-one:@${v.rows[owner]!}`,
          kind: 'n-plus-one',
          severity: n >= 20 ? 'high' : 'medium',
          title: `${frameInfo?.name ?? 'A function'} awaits ${what} ${n} times in a row, once per item (N+1) at ${displayPath(awaitInfo.file)}:${awaitInfo.line}`,
          explanation:
            `In one call of ${frameInfo?.name ?? 'a function'}${frameInfo ? ` (${displayPath(frameInfo.file)}:${frameInfo.line})` : ''}, the await at line ${awaitInfo.line} ran ${g.suspends.length} times, ` +
            `each waiting for ${calleeInfo ? `${calleeInfo.name} with a different argument` : 'a call that depends on the loop item'}, one after the other (${ms(g.waitedUs)} spent waiting in total). ` +
            `Fetch all items with one batched call, or start the calls together and await them with Promise.all.`,
          events: [v.rows[owner]!, ...(callee ? callee.rows.slice(0, 10) : g.suspends.slice(0, 10).map((s) => v.rows[s]!))],
          locations: [...locationOf(awaitInfo, 'the await in the loop'), ...locationOf(calleeInfo, `function ${calleeInfo?.name ?? ''}`)],
        });
      }
    }
  }
  return out;
}

const LOOPS = new Set(['ForOfStatement', 'ForInStatement', 'ForStatement', 'WhileStatement', 'DoWhileStatement']);

/** The await at (line, column) sits in a loop and its argument uses a variable the loop declares. */
function awaitInLoopPerItem(ctx: Ctx, file: string, line: number, column: number): boolean {
  const sf = sourceFile(ctx.index.rec.dir, file);
  if (!sf) return false;
  const fn = functionAt(sf, line, column);
  if (!fn) return false;
  const at = sf.offset(line, column);
  const found = ownNodes(fn, (n) => n.type === 'AwaitExpression' && n.start <= at && at < n.end);
  const hit = found.sort((a, b) => b.node.start - a.node.start)[0];
  if (!hit) return false;
  const loopVars = new Set<string>();
  for (const p of hit.parents) {
    if (!LOOPS.has(p.type)) continue;
    const head = (p.type === 'ForStatement' ? p.init : p.type === 'ForOfStatement' || p.type === 'ForInStatement' ? p.left : null) as Node | null;
    if (head) walk(head, (n) => void (n.type === 'Identifier' && loopVars.add(n.name as string)));
  }
  if (loopVars.size === 0) return false;
  let uses = false;
  walk(hit.node.argument as Node, (n) => {
    if (n.type === 'Identifier' && loopVars.has(n.name as string)) uses = true;
  });
  return uses;
}
