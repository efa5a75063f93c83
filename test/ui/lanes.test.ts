// The timeline's lanes per async context, HTTP spans and markers, switching recordings in one
// server, deep links as the MCP server writes them, and playback: real recordings made by the
// CLI (one with --causality over three processes talking HTTP), the real server, Debian's chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiLink } from '../../src/mcp/links.js';
import type { AtResponse, LodResponse, MarksResponse, MomentResponse, RecordingsResponse, SessionInfo } from '../../src/server/api.js';
import { api, startUiServer, type UiServer } from '../../src/server/server.js';
import { cinema, fixture, tempDir } from '../helpers.js';
import { CHROMIUM, chromiumArgs } from './chromium.js';

interface Cinema {
  go(id: number): Promise<void>;
  rec: string;
  cur: number;
  moment: MomentResponse | null;
  timeline: { markerAt(id: number, kind?: string): { x: number; y: number } | null; marks: MarksResponse | null };
}
type W = { cinema: Cinema };

describe('lanes, marks, recordings and links in chromium', () => {
  let root: string;
  let s: UiServer;
  let ctx: BrowserContext;
  let page: Page;
  let profile: string;
  const q = <T>(route: string, params: Record<string, string | number> = {}, model = s.model) => api(model, route, new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))) as T;
  const cur = () => page.evaluate(() => (window as unknown as W).cinema.cur);
  const open = async (hash: string) => {
    await page.goto('about:blank');
    await page.goto(`${s.url}${hash}`);
    await page.waitForSelector('body[data-ready="1"][data-marks="1"]', { timeout: 30_000 });
  };
  /** Clicks the timeline at a point of its canvas (scrolled into view: many lanes overflow their box). */
  const clickTimeline = async (p: { x: number; y: number }) => {
    await page.evaluate((y) => (document.getElementById('timeline-wrap')!.scrollTop = Math.max(0, y - 60)), p.y);
    const box = (await page.locator('#timeline').boundingBox())!;
    await page.mouse.click(box.x + p.x, box.y + p.y);
  };

  beforeAll(async () => {
    root = tempDir('cinema-ui-root-');
    const http = cinema(['record', '--causality', '--out', path.join(root, 'http-chain'), '--', 'node', fixture('correlate/http-chain.mjs')]);
    expect(http.code, http.stderr).toBe(0);
    const thrown = cinema(['record', '--out', path.join(root, 'throws'), '--', 'node', fixture('throws.mjs'), 'uncaught']);
    expect(thrown.stderr).toContain('RangeError');
    s = await startUiServer(path.join(root, 'http-chain'), { root });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cinema-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: chromiumArgs, viewport: { width: 1400, height: 1000 }, timeout: 30_000 });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(s.openUrl);
    await page.waitForSelector('body[data-ready="1"][data-marks="1"]', { timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    await s?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('gives each busy async context a lane under its thread, named by the request it served', () => {
    const session = q<SessionInfo>('session');
    const threads = session.lanes.filter((l) => l.kind === 'thread');
    expect(threads).toHaveLength(3);
    const served = session.lanes.find((l) => l.kind === 'async' && l.label.startsWith('GET /a'))!;
    expect(served).toBeDefined();
    expect(threads.map((t) => t.lane)).toContain(served.parent);
    expect(session.lanes[served.parent!]!.pid).toBe(served.pid);
    // Its events are a part of its thread's, counted the same at every zoom (pyramid and row scan).
    expect(served.events).toBeGreaterThan(0);
    expect(served.events).toBeLessThan(session.lanes[served.parent!]!.events);
    const whole = q<LodResponse>('lod', { from: session.startUs, to: session.endUs, px: 100 }).lanes[served.lane]!;
    expect(Math.round(whole.counts.reduce((a, b) => a + b, 0))).toBe(served.events);
    const near = q<LodResponse>('lod', { from: served.startUs - 1, to: served.endUs + 1, px: 50 }).lanes[served.lane]!;
    expect(near.counts.reduce((a, b) => a + b, 0)).toBe(served.events);
    // Scrubbing's brief answer: the event and the call of its frame, as the full moment has them.
    const mid = (served.startUs + served.endUs) / 2;
    const brief = q<AtResponse>('at', { lane: served.parent!, t: mid, brief: 1 });
    const full = q<MomentResponse>('event', { id: brief.id });
    expect(brief.event).toMatchObject({ id: full.event.id, kind: full.event.kind, timeUs: full.event.timeUs, pos: full.event.pos });
    expect(brief.call).toBe(full.frames[0]?.call ?? -1);
    expect(q<AtResponse>('at', { lane: served.parent!, t: mid })).toEqual({ id: brief.id });
  });

  it('pairs each HTTP request with its response as a span, and a click on the span goes to the request', async () => {
    const marks = q<MarksResponse>('marks');
    const session = q<SessionInfo>('session');
    const inA = marks.http.find((h) => h.dir === 'in' && h.url.startsWith('/a'))!;
    expect(inA).toMatchObject({ method: 'GET', status: 200 });
    // Named by its exchange id, as a handler's `request #N` argument names it, in the list too.
    const requestEvent = q<MomentResponse>('event', { id: inA.request }).event as unknown as { value?: { entries?: [string, unknown][] } };
    expect(inA.exchange).toBe(Object.fromEntries(requestEvent.value?.entries ?? []).id);
    await expect.poll(() => page.locator(`.item.http[data-id="${inA.request}"]`).textContent()).toContain(`exchange #${inA.exchange}`);
    expect(inA.url).not.toContain('SECRET');
    expect(inA.endUs).toBeGreaterThan(inA.startUs);
    expect(session.lanes[inA.lane]!.kind).toBe('http');
    expect(q<MomentResponse>('event', { id: inA.request }).event.kind).toBe('http');
    expect(q<MomentResponse>('event', { id: inA.end }).event.kind).toBe('http');
    // A's outgoing requests to B are spans of A's HTTP lane, inside the span of the request A served.
    const outs = marks.http.filter((h) => h.dir === 'out' && h.lane === inA.lane);
    expect(outs.length).toBe(2);
    for (const o of outs) expect(o.startUs >= inA.startUs && o.endUs <= inA.endUs).toBe(true);
    await page.waitForFunction(() => (window as unknown as W).cinema.timeline.marks !== null);
    const at = await page.evaluate((id) => (window as unknown as W).cinema.timeline.markerAt(id), inA.request);
    expect(at).not.toBeNull();
    await clickTimeline(at!);
    await expect.poll(cur).toBe(inA.request);
    await expect.poll(() => page.locator('#event-line').textContent()).toContain('http');
  });

  it('errors and insights are markers that go to their moment, and are listed in the errors tab', async () => {
    await open('#rec=throws');
    // The detectors run in a worker: their markers come a little after the errors'.
    await page.waitForSelector('body[data-insights="1"]', { timeout: 60_000 });
    const other = s.catalog.model('throws');
    const marks = q<MarksResponse>('marks', {}, other);
    expect(marks.errors.length).toBeGreaterThan(0);
    const uncaught = marks.insights.find((f) => f.kind === 'uncaught-error')!;
    expect(uncaught).toBeDefined();
    // Three throws in one clock tick share a spot: the marker there goes to the first of them.
    const err = marks.errors[0]!;
    expect(err.message).toBe('RangeError: bottom');
    const pos = await page.evaluate((id) => (window as unknown as W).cinema.timeline.markerAt(id, 'error'), err.id);
    await clickTimeline(pos!);
    await expect.poll(cur).toBe(err.id);
    // The insight's marker (at its first event) and its entry in the errors tab go there too.
    const ins = await page.evaluate((id) => (window as unknown as W).cinema.timeline.markerAt(id, 'insight'), uncaught.id);
    await clickTimeline(ins!);
    await expect.poll(cur).toBe(uncaught.id);
    expect(uncaught.id).not.toBe(err.id);
    await page.evaluate((id) => (window as unknown as W).cinema.go(id), err.id);
    await expect.poll(cur).toBe(err.id);
    await page.locator(`#tab-errors .insight[data-id="${uncaught.id}"]`).click();
    await expect.poll(cur).toBe(uncaught.id);
  });

  it('switches recordings from the list, and the address carries the recording', async () => {
    const list = await page.evaluate(async () => (await (await fetch('api/recordings')).json()) as RecordingsResponse);
    expect(list.default).toBe('http-chain');
    expect(list.recordings.map((r) => r.name).sort()).toEqual(['http-chain', 'throws']);
    await open('');
    expect(await page.evaluate(() => (window as unknown as W).cinema.rec)).toBe('http-chain');
    const options = await page.locator('#rec-pick option').allTextContents();
    expect(options.sort()).toEqual(['http-chain', 'throws']);
    await page.selectOption('#rec-pick', 'throws');
    await page.waitForFunction(() => (window as unknown as W).cinema?.rec === 'throws' && document.body.dataset.ready === '1', null, { timeout: 30_000 });
    expect(await page.locator('#stack li').first().textContent()).toMatch(/safe|dive|module/);
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('rec=throws');
    // An unknown recording is refused with its name.
    const status = await page.evaluate(async () => {
      const r = await fetch('api/session?rec=nope');
      return [r.status, ((await r.json()) as { error: string }).error];
    });
    expect(status[0]).toBe(404);
    expect(status[1]).toContain("no recording named 'nope'");
    // Names are directory names, never paths.
    const bad = await page.evaluate(async () => (await fetch(`api/session?rec=${encodeURIComponent('../throws')}`)).status);
    expect(bad).toBe(400);
  });

  it('opens the moment an MCP deep link names, in the recording it names', async () => {
    const throws = s.catalog.model('throws');
    const id = q<MarksResponse>('marks', {}, throws).errors[0]!.id;
    const link = uiLink('throws', id, s.port);
    expect(link.startsWith(s.url)).toBe(true);
    await page.goto('about:blank');
    await page.goto(link);
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as W).cinema.rec)).toBe('throws');
    expect(await cur()).toBe(id);
    // A link to the other recording pasted into the open tab switches to it.
    const other = uiLink('http-chain', 5, s.port);
    await page.evaluate((h) => (location.hash = h), new URL(other).hash);
    await page.waitForFunction(() => (window as unknown as W).cinema?.rec === 'http-chain' && (window as unknown as W).cinema.cur === 5 && document.body.dataset.ready === '1', null, { timeout: 30_000 });
  });

  it('plays at the chosen speed and stops', async () => {
    await open('#rec=http-chain&event=0');
    const lane = (await page.evaluate(() => (window as unknown as W).cinema.moment!.event.lane)) as number;
    const start = (await page.evaluate(() => (window as unknown as W).cinema.moment!.event.pos)) as number;
    await page.selectOption('#speed', '600');
    await page.keyboard.press(' ');
    await expect.poll(() => page.evaluate(() => (window as unknown as W).cinema.moment!.event.pos), { timeout: 20_000 }).toBeGreaterThan(start + 40);
    await page.keyboard.press(' ');
    await page.waitForFunction(() => document.body.dataset.playing === '');
    const stopped = await cur();
    expect(await page.evaluate(() => (window as unknown as W).cinema.moment!.event.lane)).toBe(lane);
    await page.waitForTimeout(200);
    expect(await cur()).toBe(stopped);
  });
});
