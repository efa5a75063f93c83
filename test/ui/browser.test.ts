// The web UI in Debian's chromium (playwright-core, never a downloaded browser) against the real
// server and a real recording: open, scrub, step both ways, state at the playhead, jump to the
// write of a value, search, token refusal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LastWriteResponse, MomentResponse, SearchResponse, StepResponse } from '../../src/server/api.js';
import { api, startUiServer, type UiServer } from '../../src/server/server.js';
import { fixture, record } from '../helpers.js';
import { CHROMIUM, chromiumArgs } from './chromium.js';


interface Cinema {
  cur: number;
  moment: MomentResponse | null;
}

describe('the web UI in chromium', () => {
  let s: UiServer;
  let ctx: BrowserContext;
  let page: Page;
  let profile: string;
  let w30: number;
  let w50: number;
  const q = <T>(route: string, params: Record<string, string | number> = {}) => api(s.model, route, new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))) as T;
  const cur = () => page.evaluate(() => (window as unknown as { cinema: Cinema }).cinema.cur);
  const waitCur = (id: number) => page.waitForFunction((id) => (window as unknown as { cinema: Cinema }).cinema.cur === id && document.querySelector('#stack li') !== null, id);
  const press = async (key: string, expected: number) => {
    await page.keyboard.press(key);
    await waitCur(expected);
  };
  /** A fresh load of a deep link (leaving the page first, so its pending address update cannot race the load). */
  const open = async (hash: string) => {
    await page.goto('about:blank');
    await page.goto(`${s.url}${hash}`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });
  };
  const step = (id: number, how: string, back: boolean) => q<StepResponse>('step', { id, how, back: back ? 1 : 0 }).to;

  beforeAll(async () => {
    const r = record(['node', fixture('cart.mjs')]);
    expect(r.code).toBe(0);
    s = await startUiServer(r.dir);
    const add = q<SearchResponse>('search', { q: 'Cart.constructor' }).functions[0]!.first;
    let m = q<MomentResponse>('event', { id: add });
    while (m.event.kind !== 'write') m = q<MomentResponse>('event', { id: m.next });
    const spec = m.objects.find((o) => o.label === 'this')!.spec;
    const h = q<LastWriteResponse>('lastwrite', { obj: spec, key: 'total', at: s.model.index.rows - 1 }).history;
    w30 = h.find((w) => w.value === 30)!.id;
    w50 = h.find((w) => w.value === 50)!.id;
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cinema-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: chromiumArgs, viewport: { width: 1400, height: 900 }, timeout: 30_000 });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(s.openUrl);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });
  });

  afterAll(async () => {
    await ctx?.close();
    await s?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it('opens on the first event with the token traded for a cookie, and without it the API refuses', async () => {
    expect(page.url()).not.toContain('token=');
    expect(await cur()).toBeGreaterThanOrEqual(0);
    expect(await page.locator('#stack li').first().textContent()).toContain('Cart.constructor');
    const status = await page.evaluate(async () => (await fetch('api/session', { credentials: 'omit' })).status);
    expect(status).toBe(401);
  });

  it('steps into, over and out with the DevTools keys, forwards and backwards', async () => {
    await open(`#e=${w50}`);
    await waitCur(w50);
    const m = q<MomentResponse>('event', { id: w50 });
    await press('F11', m.next);
    await press('Alt+F11', w50);
    await press('ArrowLeft', m.prev);
    await press('ArrowRight', w50);
    const out = step(w50, 'out', false);
    await press('Shift+F11', out);
    expect(await page.locator('#event-line').textContent()).toContain('return');
    const backOut = step(out, 'out', true);
    await press('Alt+Shift+F11', backOut);
    expect(await page.locator('#stack li.top').textContent()).toContain('Cart.add(name = "pen", price = 20)');
    const handle = q<MomentResponse>('event', { id: backOut }).frames[1]!.call;
    await page.locator('#stack li').nth(1).click();
    await waitCur(handle);
    const over = step(handle, 'over', false);
    await press('F10', over);
    await press('Alt+F10', handle);
    // Buttons do the same.
    await page.click('#b-over');
    await waitCur(over);
  });

  it('shows the source with the current line highlighted', async () => {
    await page.evaluate((id) => (window as unknown as { cinema: { go(id: number): Promise<void> } }).cinema.go(id), w50);
    await waitCur(w50);
    const line = q<MomentResponse>('event', { id: w50 }).event.line!;
    await page.waitForSelector(`#source .ln.cur[data-line="${line}"]`);
    expect(await page.locator('#source .ln.cur').textContent()).toContain('this.total += price');
  });

  it('state at the playhead: the cart with total 50, what changed since the last step, and who wrote it', async () => {
    await press('Alt+F11', step(w50, 'into', true));
    await press('F11', w50);
    const total = page.locator('#state .kv[data-key="total"]');
    await expect.poll(() => total.textContent()).toContain('50');
    expect(await total.getAttribute('class')).toContain('changed');
    expect(await total.locator('.was').textContent()).toBe('was 30');
    // From the end of the run, "who wrote this?" on total jumps to the discount's write (36).
    const end = s.model.index.rows - 1;
    await page.evaluate((id) => (window as unknown as { cinema: { go(id: number): Promise<void> } }).cinema.go(id), w30);
    await waitCur(w30);
    await page.locator('#state .kv[data-key="total"] .who').click();
    await waitCur(w30);
    await page.evaluate((id) => (window as unknown as { cinema: { go(id: number): Promise<void> } }).cinema.go(id), step(w50, 'out', false));
    await page.waitForSelector('#state .kv[data-key="total"] .who');
    await expect.poll(() => page.locator('#state .kv[data-key="total"] .v').textContent()).toBe('50');
    await page.locator('#state .kv[data-key="total"] .who').click();
    await waitCur(w50);
    expect(end).toBeGreaterThan(w50);
  });

  it('scrubs by dragging on the timeline and by clicking the flame chart', async () => {
    const box = (await page.locator('#timeline').boundingBox())!;
    const y = box.y + 20 + 15;
    await page.mouse.move(box.x + 160, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 2, y, { steps: 5 });
    await page.mouse.up();
    // The playhead follows the drag past the end of the run: the lane's last event.
    await expect.poll(cur).toBe(s.model.rowAtPosition(0, s.model.lanes[0]!.info.events - 1));
    // Flame chart (event axis): a click on empty space moves the playhead to that event number.
    const fb = (await page.locator('#flame').boundingBox())!;
    await page.mouse.click(fb.x + 3, fb.y + 8);
    await expect.poll(cur).toBeLessThan(3);
  });

  it('searches functions and values and jumps to the hit', async () => {
    await page.fill('#search', 'Cart.add');
    await page.press('#search', 'Enter');
    await page.click('#tab-results .hit-fn');
    const first = q<SearchResponse>('search', { q: 'Cart.add' }).functions[0]!.first;
    await waitCur(first);
    expect(await page.locator('#stack li.top').textContent()).toContain('Cart.add(name = "book", price = 30)');
    await page.fill('#search', 'pen');
    await page.press('#search', 'Enter');
    const hit = page.locator('#tab-results .hit-val', { hasText: 'args[0].item' });
    const id = Number(await hit.getAttribute('data-id'));
    await hit.click();
    await waitCur(id);
    expect(await page.locator('#stack li.top').textContent()).toContain('handleRequest');
  });

  it('deep links restore the moment and the object', async () => {
    const m = q<MomentResponse>('event', { id: w50 });
    const spec = m.objects[0]!.spec;
    await open(`#e=${w50}&o=${encodeURIComponent(spec)}&ax=time`);
    await waitCur(w50);
    expect(await page.locator('#objects .obj.on').getAttribute('data-spec')).toBe(spec);
    expect(await page.locator('input[name=axis][value=time]').isChecked()).toBe(true);
  });

  it('causes view links the write to Cart.add and its caller, and jumps on click', async () => {
    await page.click('.tabs button[data-tab=causes]');
    await page.waitForSelector('#tab-causes .node.focus');
    const labels = await page.locator('#tab-causes .node text').allTextContents();
    expect(labels.some((l) => l.startsWith('handleRequest'))).toBe(true);
    await page.locator('#tab-causes .node', { hasText: 'handleRequest' }).click();
    await expect.poll(async () => (await page.evaluate(() => (window as unknown as { cinema: Cinema }).cinema.moment!.event.name))).toBe('handleRequest');
  });

  it('the help overlay lists the keys', async () => {
    await page.keyboard.press('?');
    await expect.poll(() => page.locator('#help').isVisible()).toBe(true);
    expect(await page.locator('#help').textContent()).toContain('step over backwards');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#help').isVisible()).toBe(false);
  });
});
