/**
 * Time: calls that are outliers for their own site, and synchronous stretches that block the
 * event loop.
 *
 * Outliers use robust statistics per site (median and MAD over every call of the function), so
 * a function that is always slow or whose durations are spread widely is not reported; only
 * calls far outside the usual range are. For each outlier the largest share of its time (an
 * await or a callee) is named.
 *
 * A top-level activation (a call with nothing under it on the stack, or the resumption of an
 * async frame) runs without giving the event loop a turn until it returns or suspends. Longer
 * than the threshold, it blocked the loop; the function responsible is found by descending into
 * the callee that took most of the time, while it took most of it.
 */
import { Kind } from '../../format/events.js';
import { callsBySite, percentile } from '../../query/slowest.js';
import { locationOf, ms, type Ctx } from '../context.js';
import { displayPath } from '../../recording/sources.js';
import { callPos, type ThreadView } from '../thread-view.js';
import type { Finding, Location } from '../types.js';

const MIN_CALLS = 8;
/**
 * Absolute floor: differences below this can be scheduling noise. On a loaded 2-core machine a
 * call awaiting a 2 ms timer was measured at 139 ms once (the process got no CPU), so the floor
 * is set well above such stalls.
 */
const MIN_EXCESS_US = 200_000;

export function slowCalls(ctx: Ctx): Finding[] {
  const { index } = ctx;
  const groups = callsBySite(index);
  // Recursive functions: an outer call contains the inner ones, so its duration is not comparable.
  const recursive = new Set<number>();
  for (const v of ctx.views) {
    for (let i = 0; i < v.rows.length; i++) {
      if (v.kind[i] !== Kind.CALL) continue;
      const caller = callPos(v, v.local(v.parent[i]!));
      if (caller >= 0 && v.site[caller] === v.site[i]) recursive.add(v.proc * 0x100_0000 + v.site[i]!);
    }
  }
  const out: Finding[] = [];
  for (const [key, g] of groups) {
    if (g.durs.length < MIN_CALLS || recursive.has(key)) continue;
    const sorted = Float64Array.from(g.durs).sort();
    const med = percentile(sorted, 50);
    const dev = Float64Array.from(sorted, (d) => Math.abs(d - med)).sort();
    const sigma = 1.4826 * percentile(dev, 50);
    const limit = med + Math.max(8 * sigma, 4 * med, MIN_EXCESS_US);
    const outliers = g.rows.map((r, i) => [r, g.durs[i]!] as const).filter(([, d]) => d > limit);
    if (outliers.length === 0 || outliers.length > Math.max(1, g.durs.length * 0.1)) continue;
    outliers.sort((a, b) => b[1] - a[1]);
    const proc = Math.floor(key / 0x100_0000);
    const info = index.site(proc, key % 0x100_0000);
    const name = info?.name ?? 'a function';
    const [worst, worstDur] = outliers[0]!;
    const v = ctx.views.find((x) => x.proc === proc && x.thread === index.chunkOf(worst).thread);
    const hot = v ? hotspot(ctx, v, v.local(worst)) : null;
    const locations: Location[] = [...locationOf(info, `function ${name}`)];
    if (hot) locations.push(hot.location);
    const ratio = worstDur / Math.max(med, 1);
    out.push({
      id: `slow-call:@${worst}`,
      kind: 'slow-call',
      severity: worstDur > 1_000_000 || ratio > 50 ? 'high' : 'medium',
      title: `${name} took ${ms(worstDur)} in ${outliers.length === 1 ? 'one call' : `${outliers.length} calls`}; it usually takes ${ms(med)}`,
      explanation:
        `${name}${info ? ` (${displayPath(info.file)}:${info.line})` : ''} ran ${g.durs.length} times with a median of ${ms(med)}, ` +
        `but ${outliers.length === 1 ? 'one call' : `${outliers.length} calls`} took ${outliers.map(([, d]) => ms(d)).slice(0, 3).join(', ')} — far outside its usual range. ` +
        (hot ? `Most of the slowest call's time went to ${hot.what} (${ms(hot.us)}, ${displayPath(hot.location.file)}:${hot.location.line}). ` : '') +
        `Compare its arguments with those of a typical call to see what makes it slow.`,
      events: outliers.slice(0, 5).map(([r]) => r),
      locations,
    });
  }
  out.sort((a, b) => a.events[0]! - b.events[0]!);
  return out;
}

/** Where the time of a call went: its longest await, or its slowest direct callee. */
function hotspot(ctx: Ctx, v: ThreadView, call: number): { what: string; us: number; location: Location } | null {
  if (call < 0) return null;
  const exit = v.local(v.link[call]!);
  if (exit < 0) return null;
  const callRow = v.rows[call]!;
  let best: { what: string; us: number; location: Location } | null = null;
  const consider = (what: string, us: number, pos: number) => {
    const info = ctx.index.site(v.proc, v.site[pos]!);
    if (!info || (best && best.us >= us)) return;
    best = { what, us, location: { file: info.file, line: info.line, column: info.column, what } };
  };
  let suspendedAt = -1;
  for (let i = call + 1; i < exit; i++) {
    const k = v.kind[i]!;
    const owner = callPos(v, v.local(v.parent[i]!));
    if (k === Kind.SUSPEND && owner === call) suspendedAt = i;
    else if (k === Kind.RESUME && v.link[i] === callRow && suspendedAt >= 0) {
      consider(`the await at line ${ctx.index.site(v.proc, v.site[suspendedAt]!)?.line ?? '?'}`, v.time[i]! - v.time[suspendedAt]!, suspendedAt);
      suspendedAt = -1;
    } else if (k === Kind.CALL && owner === call) {
      const e = v.local(v.link[i]!);
      if (e > 0) consider(`a call of ${ctx.index.site(v.proc, v.site[i]!)?.name ?? 'a function'}`, v.time[e]! - v.time[i]!, i);
    }
  }
  return best;
}

export function blocking(ctx: Ctx): Finding[] {
  const threshold = (ctx.options.blockingMs ?? 50) * 1000;
  const out: Finding[] = [];
  for (const v of ctx.views) {
    const ends = v.activationEnd();
    for (let i = 0; i < v.rows.length; i++) {
      const k = v.kind[i]!;
      if ((k !== Kind.CALL && k !== Kind.RESUME) || v.parent[i] !== -1) continue;
      const end = ends[i]!;
      if (end < 0) continue;
      const span = v.time[end]! - v.time[i]!;
      if (span < threshold) continue;
      // Descend into the callee that took most of the time.
      const chain: number[] = [callPos(v, i)];
      let a = i;
      let aEnd = end;
      for (let depth = 0; depth < 200; depth++) {
        let heavy = -1;
        let heavySpan = 0;
        for (let j = a + 1; j < aEnd; j++) {
          if (v.kind[j] !== Kind.CALL || v.local(v.parent[j]!) !== a) continue;
          const je = ends[j]!;
          const s = (je >= 0 ? v.time[je]! : v.time[aEnd]!) - v.time[j]!;
          if (s > heavySpan) {
            heavySpan = s;
            heavy = j;
          }
        }
        if (heavy < 0 || heavySpan < 0.6 * (v.time[aEnd]! - v.time[a]!)) break;
        chain.push(heavy);
        a = heavy;
        aEnd = ends[heavy]! >= 0 ? ends[heavy]! : aEnd;
      }
      const culprit = chain.at(-1)!;
      const info = ctx.index.site(v.proc, v.site[culprit]!);
      const rootInfo = ctx.index.site(v.proc, v.site[i]!);
      const names = chain.map((c) => ctx.index.site(v.proc, v.site[c]!)?.name ?? '?');
      const ownUs = (ends[culprit]! >= 0 ? v.time[ends[culprit]!]! : v.time[end]!) - v.time[culprit]!;
      out.push({
        id: `event-loop-blocked:@${v.rows[i]!}`,
        kind: 'event-loop-blocked',
        severity: span > 500_000 ? 'high' : 'medium',
        title: `The event loop was blocked for ${ms(span)} by ${info?.name ?? 'synchronous code'}${info ? ` (${displayPath(info.file)}:${info.line})` : ''}`,
        explanation:
          `${k === Kind.RESUME ? `After ${rootInfo?.name ?? 'an async function'} resumed, it` : `${rootInfo?.name ?? 'A call'}`} ran for ${ms(span)} without returning to the event loop: no timer, I/O callback or request could run meanwhile. ` +
          `${names.length > 1 ? `The time was spent in ${names.join(' → ')}; ` : ''}${info?.name ?? 'the function'} alone took ${ms(ownUs)}. ` +
          `Make it asynchronous (split the work, use a worker thread) or make it cheaper.`,
        events: [v.rows[culprit]!, v.rows[i]!, v.rows[end]!],
        locations: [...locationOf(info, `function ${info?.name ?? ''}`), ...(culprit !== callPos(v, i) ? locationOf(rootInfo, 'where the stretch started') : [])],
      });
    }
  }
  return out;
}
