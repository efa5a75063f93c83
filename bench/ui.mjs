#!/usr/bin/env node
// Web UI benchmark: a large synthetic recording (bench/gen-recording.mjs, the real format) served by
// the real `cinema ui` server, opened in Debian's chromium (playwright-core), measured in the tab.
//
//   node bench/ui.mjs [--events N] [--threads T] [--frames N] [--json] [--trace] [--app DIR]
//
// Reports: server start (index build when needed + the level-of-detail pyramid), first meaningful
// paint (navigation → timeline and flame chart drawn with data), frame times while panning,
// zooming and scrubbing (p50/p95 of requestAnimationFrame intervals, and of the app's own draw
// work per frame), the tab's JS heap and the renderer processes' RSS. --trace records a DevTools
// performance trace (CDP Tracing) of each interaction and prints where the renderer's main thread
// spent its time (top events by self time), to see what makes a frame late. --app DIR serves
// another build of this package (its dist/ and ui/dist/, e.g. an older commit) for a side-by-side run.
// Needs `npm run build` first and /usr/bin/chromium (apt-get install -y chromium). Not part of
// `npm test`; bench/run.mjs does not run it (it loops over Node versions; this measures a browser).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: o } = parseArgs({ options: { app: { type: 'string' }, trace: { type: 'boolean' }, events: { type: 'string', default: '10000000' }, threads: { type: 'string', default: '1' }, frames: { type: 'string', default: '120' }, json: { type: 'boolean' } } });
const events = Number(o.events);
const FRAMES = Number(o.frames);
const log = (s) => process.stderr.write(`${s}\n`);
const APP = path.resolve(o.app ?? ROOT);
const { startUiServer } = await import(path.join(APP, 'dist/server/server.js'));

const work = path.join(ROOT, 'bench/.work');
const dir = path.join(work, `ui-rec-${events}-${o.threads}`);
if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
  log(`generating ${events.toLocaleString()} events into ${path.relative(ROOT, dir)} …`);
  fs.mkdirSync(work, { recursive: true });
  execFileSync(process.execPath, [path.join(ROOT, 'bench/gen-recording.mjs'), '--events', String(events), '--threads', o.threads, '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const indexed = fs.existsSync(path.join(dir, 'index', 'meta.json'));
let t0 = performance.now();
// The insight detectors' worker would compete for the 2 cores while frames are measured: off.
const server = await startUiServer(dir, { insights: false });
const serverMs = performance.now() - t0;
log(`server up in ${serverMs.toFixed(0)} ms (${indexed ? 'index existed' : 'index built'}; pyramid ${server.model.buildMs.toFixed(0)} ms)`);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cinema-bench-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  viewport: { width: 1600, height: 900 },
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
const pct = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
};

// First meaningful paint: from navigation start until both canvases have drawn server data.
await page.goto(server.openUrl);
await page.waitForFunction(() => window.cinema?.timeline?.lod && window.cinema?.flame?.data && document.body.dataset.ready === '1', null, { polling: 'raf', timeout: 60_000 });
const fmp = await page.evaluate(() => performance.now());
const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.startTime ?? 0);
// The timeline's marks (errors, insights, HTTP) come after the first paint; let them land first.
await page.waitForFunction(() => document.body.dataset.marks === '1' || window.cinema.rec === undefined, null, { timeout: 120_000 });

const cdpTrace = o.trace ? await ctx.newCDPSession(page) : null;
/** Records a DevTools trace around `run` and prints the renderer main thread's top events by self time. */
async function traced(name, run) {
  if (!cdpTrace) return run();
  const events = [];
  cdpTrace.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const done = new Promise((r) => cdpTrace.once('Tracing.tracingComplete', r));
  await cdpTrace.send('Tracing.start', { categories: 'devtools.timeline,v8.execute,blink,cc,gpu', transferMode: 'ReportEvents' });
  const out = await run();
  await cdpTrace.send('Tracing.end');
  await done;
  cdpTrace.removeAllListeners('Tracing.dataCollected');
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const self = new Map();
  const on = events.filter((e) => e.ph === 'X' && main && e.pid === main.pid && e.tid === main.tid && e.dur).sort((a, b) => a.ts - b.ts);
  // Self time: a complete event's duration minus its direct children's.
  const stack = [];
  let busy = 0;
  for (const e of on) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    if (!stack.length) busy += e.dur;
    if (stack.length) self.set(stack.at(-1).name, (self.get(stack.at(-1).name) ?? 0) - e.dur);
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur);
    stack.push(e);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} ms`);
  // Main-thread busy time per frame: less sensitive than rAF intervals to other processes on the machine.
  log(`  trace ${name}: main thread busy ${(busy / 1000 / (out.gaps?.length || 1)).toFixed(2)} ms/frame; ${top.join(', ')}`);
  return out;
}

/** Runs `action(i)` once per animation frame for n frames; returns rAF intervals and draw times. */
async function frames(name, fn, n = FRAMES) {
  const r = await traced(name, () => page.evaluate(
    async ({ src, n }) => {
      const action = new Function('i', 'c', src);
      const c = window.cinema;
      c.perf.draws.length = 0;
      const gaps = [];
      let last = performance.now();
      for (let i = 0; i < n; i++) {
        action(i, c);
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
      // Let pending fetches land and draw.
      await new Promise((r) => setTimeout(r, 300));
      return { gaps, draws: [...c.perf.draws] };
    },
    { src: fn, n },
  ));
  // rAF intervals cannot go below the display's period (16.7 ms at 60 Hz): a frame was missed when an
  // interval is 1.5 periods or more, which is what a user sees as a stutter.
  const period = pct(r.gaps, 50);
  const dropped = r.gaps.filter((g) => g >= 1.5 * period).length / (r.gaps.length || 1);
  const row = { name, frameP50: period, frameP95: pct(r.gaps, 95), frameMax: Math.max(...r.gaps), drawP95: pct(r.draws, 95), draws: r.draws.length, dropped };
  log(`${name}: frame p50 ${row.frameP50.toFixed(1)} ms, p95 ${row.frameP95.toFixed(1)} ms, max ${row.frameMax.toFixed(1)} ms, missed ${(dropped * 100).toFixed(1)} %; draw p95 ${row.drawP95.toFixed(2)} ms over ${row.draws} draws`);
  return row;
}

const wheel = (sel, dy, dx = 0) => `const cv = document.querySelector('${sel}'); const r = cv.getBoundingClientRect(); cv.dispatchEvent(new WheelEvent('wheel', { deltaY: ${dy}, deltaX: ${dx}, clientX: r.left + r.width * 0.6, clientY: r.top + 30, bubbles: true, cancelable: true }));`;
const rows = [];
rows.push(await frames('timeline zoom in', wheel('#timeline', -60)));
rows.push(await frames('timeline pan', wheel('#timeline', 0, 40)));
rows.push(await frames('timeline zoom out', wheel('#timeline', 90)));
rows.push(await frames('flame zoom in', wheel('#flame', -60)));
rows.push(await frames('flame pan', wheel('#flame', 0, 40)));
rows.push(
  await frames(
    'scrub (drag on timeline)',
    `const cv = document.querySelector('#timeline'); const r = cv.getBoundingClientRect();
     const x = r.left + 160 + ((i * 37) % (r.width - 170)); const y = r.top + 35;
     if (i === 0) cv.dispatchEvent(new PointerEvent('pointerdown', { clientX: x, clientY: y, pointerId: 1, bubbles: true, button: 0 }));
     cv.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, pointerId: 1, bubbles: true }));
     if (i === ${FRAMES - 1}) cv.dispatchEvent(new PointerEvent('pointerup', { clientX: x, clientY: y, pointerId: 1, bubbles: true }));`,
  ),
);
// Scrub latency: how long until the playhead's moment (stack, source, state) is shown for a new position.
const latency = await page.evaluate(async () => {
  const c = window.cinema;
  const out = [];
  for (let i = 0; i < 20; i++) {
    const before = c.cur;
    const t = performance.now();
    await c.go(Math.floor(Math.random() * 1e6) + 1);
    if (c.cur !== before) out.push(performance.now() - t);
  }
  return out;
});
const cdp = await ctx.newCDPSession(page);
await cdp.send('Performance.enable');
const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
// Renderer RSS: the renderer processes descending from this run's browser (found by its profile dir).
let rendererRss = 0;
try {
  const procs = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' }).split('\n').filter(Boolean).map((l) => {
    const [pid, ppid, rss, ...args] = l.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), rss: Number(rss) * 1024, args: args.join(' ') };
  });
  const ours = new Set(procs.filter((p) => p.args.includes(profile) && !p.args.includes('--type=')).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!ours.has(p.pid) && ours.has(p.ppid)) (ours.add(p.pid), (grew = true));
  }
  for (const p of procs) if (ours.has(p.pid) && p.args.includes('--type=renderer')) rendererRss += p.rss;
} catch {}
await ctx.close();
await server.close();
fs.rmSync(profile, { recursive: true, force: true });

const result = {
  events: server.model.index.rows,
  serverStartMs: Math.round(serverMs),
  indexBuilt: !indexed,
  pyramidMs: Math.round(server.model.buildMs),
  firstMeaningfulPaintMs: Math.round(fmp - nav),
  frames: rows,
  moveLatencyP50Ms: pct(latency, 50),
  moveLatencyP95Ms: pct(latency, 95),
  jsHeapMB: Math.round((metrics.JSHeapUsedSize ?? 0) / 2 ** 20),
  rendererRssMB: Math.round(rendererRss / 2 ** 20),
};
if (o.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`| events | server start | first meaningful paint | JS heap | renderer RSS | move latency p50 / p95 |`);
  console.log(`|---|---|---|---|---|---|`);
  console.log(`| ${result.events.toLocaleString('en')} | ${result.serverStartMs} ms (${result.indexBuilt ? 'index built' : 'index reused'}; pyramid ${result.pyramidMs} ms) | ${result.firstMeaningfulPaintMs} ms | ${result.jsHeapMB} MB | ${result.rendererRssMB} MB | ${result.moveLatencyP50Ms?.toFixed(1)} / ${result.moveLatencyP95Ms?.toFixed(1)} ms |`);
  console.log('');
  console.log(`| interaction (${FRAMES} frames) | frame p50 | frame p95 | frame max | frames missed | draw p95 |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const r of rows) console.log(`| ${r.name} | ${r.frameP50.toFixed(1)} ms | ${r.frameP95.toFixed(1)} ms | ${r.frameMax.toFixed(1)} ms | ${(r.dropped * 100).toFixed(1)} % | ${r.drawP95.toFixed(2)} ms |`);
}
