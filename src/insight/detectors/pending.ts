/**
 * Async work that never completed: in a complete recording (the program ended normally and
 * every event reached the disk), an async function that suspended at an await and was never
 * resumed was waiting for a promise that never settled. Only the innermost waiting frame of each
 * chain is reported (its async callers wait on it), grouped by the await it is stuck at.
 */
import { Kind } from '../../format/events.js';
import { locationOf, type Ctx } from '../context.js';
import { displayPath } from '../../recording/sources.js';
import { callPos, scanAwaits } from '../thread-view.js';
import type { Finding, Location } from '../types.js';

export function neverSettled(ctx: Ctx): Finding[] {
  const { index } = ctx;
  const rec = index.rec;
  if (!rec.complete || rec.processes.some((p) => p.info.mode !== 'lossless' || p.info.counters.dropped > 0)) return [];
  const out: Finding[] = [];
  for (const v of ctx.views) {
    if (v.truncated) continue;
    // Calls that never ended, with their last suspension, and whether they resumed after it.
    const stuck = new Map<number, { suspend: number; callee: number }>();
    scanAwaits(v, {
      suspend: (i, owner, callee) => void (v.link[owner] === -1 && stuck.set(owner, { suspend: i, callee })),
      resume: (_, owner) => void stuck.delete(owner),
    });
    // A frame that ended anyway: linked to its exit, or (a rejection passing through an awaiting
    // frame is recorded as a throw without a resume, which the index cannot link) an unlinked exit
    // of the same function after it suspended.
    const unlinked = new Map<number, number[]>();
    for (let i = 0; i < v.rows.length; i++) {
      if ((v.kind[i] === Kind.THROW || v.kind[i] === Kind.RETURN) && v.link[i] === -1) unlinked.set(v.site[i]!, [...(unlinked.get(v.site[i]!) ?? []), i]);
    }
    for (const [call, s] of [...stuck]) {
      const exits = unlinked.get(v.site[call]!);
      const at = exits?.findIndex((e) => e > s.suspend) ?? -1;
      if (v.link[call] !== -1) stuck.delete(call);
      else if (at >= 0) {
        exits!.splice(at, 1);
        stuck.delete(call);
      }
    }
    // Keep frames that only wait on plain promises, not on another stuck frame.
    const waitedOn = new Set<number>();
    for (const call of stuck.keys()) {
      const caller = callPos(v, v.local(v.parent[call]!));
      if (caller >= 0 && stuck.has(caller)) waitedOn.add(caller);
    }
    const bySite = new Map<number, number[]>();
    for (const [call, s] of stuck) {
      const info = ctx.index.site(v.proc, v.site[call]!);
      if (!info?.async || info.generator || waitedOn.has(call)) continue;
      const list = bySite.get(v.site[s.suspend]!) ?? [];
      list.push(call);
      bySite.set(v.site[s.suspend]!, list);
    }
    for (const [site, calls] of bySite) {
      const first = calls[0]!;
      const s = stuck.get(first)!;
      const awaitInfo = index.site(v.proc, site);
      const fnInfo = index.site(v.proc, v.site[first]!);
      const calleeInfo = s.callee >= 0 ? index.site(v.proc, v.site[s.callee]!) : undefined;
      const callers: string[] = [];
      for (let c = callPos(v, v.local(v.parent[first]!)); c >= 0 && callers.length < 5; c = callPos(v, v.local(v.parent[c]!))) callers.push(index.site(v.proc, v.site[c]!)?.name ?? '?');
      const locations: Location[] = [...locationOf(awaitInfo, 'the await that never resumed'), ...locationOf(calleeInfo, `${calleeInfo?.name ?? ''} returned the promise that never settled`), ...locationOf(fnInfo, `function ${fnInfo?.name ?? ''}`)];
      out.push({
        id: `never-settled:@${v.rows[first]!}`,
        kind: 'never-settled',
        severity: 'high',
        title: `${fnInfo?.name ?? 'An async function'} waited forever at ${awaitInfo ? `${displayPath(awaitInfo.file)}:${awaitInfo.line}` : 'an await'}${calls.length > 1 ? ` (${calls.length} calls)` : ''}: the promise never settled`,
        explanation:
          `${calls.length > 1 ? `${calls.length} calls of ${fnInfo?.name}` : fnInfo?.name ?? 'An async function'} suspended at the await on line ${awaitInfo?.line ?? '?'} and never resumed, although the program ran to its end: ` +
          `the promise it awaited${calleeInfo ? ` (returned by ${calleeInfo.name}, ${displayPath(calleeInfo.file)}:${calleeInfo.line})` : ''} was neither resolved nor rejected. ` +
          `${callers.length ? `Its callers (${callers.join(' ← ')}) never finished either. ` : ''}` +
          `Look for a path that neither resolves nor rejects (an early return in a callback, an error ignored, an event that never fires), or add a timeout.`,
        events: [v.rows[s.suspend]!, v.rows[first]!, ...(s.callee >= 0 ? [v.rows[s.callee]!] : [])],
        locations,
      });
    }
  }
  return out;
}
