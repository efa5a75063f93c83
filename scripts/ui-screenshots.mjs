#!/usr/bin/env node
// Screenshots of the web UI's main views for docs/screenshots/: records the demo shop, serves it
// with the real server (dist/) and drives Debian's chromium with playwright-core.
//   node scripts/ui-screenshots.mjs      (after npm run build)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = path.join(ROOT, 'docs/screenshots');
fs.mkdirSync(out, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cinema-shots-'));
const rec = path.join(tmp, 'demo');
execFileSync(process.execPath, [path.join(ROOT, 'bin/cinema.js'), 'demo', '--no-ui', '--out', rec], { stdio: 'ignore' });
// Three processes talking HTTP, recorded with --causality: async-context lanes and HTTP spans.
execFileSync(process.execPath, [path.join(ROOT, 'bin/cinema.js'), 'record', '--causality', '--out', path.join(tmp, 'http-chain'), '--', 'node', path.join(ROOT, 'test/fixtures/correlate/http-chain.mjs')], { stdio: 'ignore' });
const { startUiServer, api } = await import(path.join(ROOT, 'dist/server/server.js'));
const server = await startUiServer(rec, { root: tmp });
const q = (route, params) => api(server.model, route, new URLSearchParams(params));
const ctx = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1440, height: 860 },
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
// Ready, with the timeline's marks and the insights (the detectors run in a worker) in.
const ready = () => page.waitForSelector('body[data-ready="1"][data-insights="1"]', { timeout: 120_000 });
const shot = async (name) => {
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
};
await page.goto(server.openUrl);
await ready();
// The write of cart.total in the second Cart.add, one step after the write before it: state shows the change.
const add = q('search', { q: 'Cart.add' }).functions[0].first;
const second = q('step', { id: q('step', { id: add, how: 'out', back: '0' }).to, how: 'into', back: '0' }).to;
let m = q('event', { id: add });
while (m.event.kind !== 'write' || m.event.target !== 'this.total') m = q('event', { id: m.next });
const firstTotal = m.event.id;
let w = q('event', { id: firstTotal + 1 });
while (w.event.kind !== 'write' || w.event.target !== 'this.total') w = q('event', { id: w.next });
await page.evaluate((id) => window.cinema.go(id), w.prev);
await page.waitForFunction((id) => window.cinema.cur === id, w.prev);
await page.keyboard.press('F11');
await page.waitForFunction((id) => window.cinema.cur === id, w.event.id);
await shot('overview-state');
// Zoomed flame chart on the time axis around the async checkout.
await page.click('input[name=axis][value=time]');
await shot('flame-time-axis');
await page.click('input[name=axis][value=events]');
// Causes of the write.
await page.click('.tabs button[data-tab=causes]');
await shot('causes');
// Errors list, then jump to the swallowed error.
await page.click('.tabs button[data-tab=errors]');
await page.click('#tab-errors .item');
await page.waitForFunction(() => window.cinema.moment?.event.kind === 'throw');
await shot('error-moment');
// Search.
await page.fill('#search', 'apple');
await page.press('#search', 'Enter');
await page.waitForSelector('#tab-results .hit-val');
await shot('search');
await page.keyboard.press('Escape');
await page.keyboard.press('?');
await shot('help');
await page.keyboard.press('Escape');
// The HTTP chain: a lane per busy async context, HTTP exchanges as spans, at A's request to B.
const other = server.catalog.model('http-chain');
const marks = api(other, 'marks', new URLSearchParams());
const toB = marks.http.find((h) => h.dir === 'out' && h.url.includes('/b?'));
await page.goto('about:blank');
await page.goto(`${server.url}#rec=http-chain&event=${toB.request}`);
await ready();
await page.waitForFunction((id) => window.cinema.cur === id, toB.request);
await page.evaluate(() => {
  const t = window.cinema.timeline;
  const a = marks0();
  function marks0() {
    return t.marks.http.find((h) => h.dir === 'in' && h.url.startsWith('/a'));
  }
  const pad = (a.endUs - a.startUs) * 0.15;
  t.range.set(a.startUs - pad, a.endUs + pad);
  t.refresh();
});
await shot('lanes-http');
void second;
await ctx.close();
await server.close();
fs.rmSync(tmp, { recursive: true, force: true });
