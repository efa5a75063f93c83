/** Execution Cinema's web app: wires the timeline, flame chart and panels to the playhead. */
import './style.css';
import { api, useRecording, type EventInfo, type MomentResponse, type SessionInfo } from './api.js';
import { $, app, nav, setApp } from './app.js';
import { perf } from './canvas.js';
import { Flame } from './flame.js';
import { keys, play, type Controls } from './controls.js';
import { activeTab, loadMarks, renderCauses, renderErrors, renderMoment, renderSource, renderState, runSearch, showTab } from './panels.js';
import { Timeline } from './timeline.js';
import { el, fmtUs } from './values.js';




/** Incremented by every move: answers to older moves are dropped. */
let generation = 0;

// ------------------------------------------------------------------ moving the playhead

/** While scrubbing, panels wait until the playhead rests this long (the canvases follow at once). */
const PANEL_DELAY_MS = 120;
let panelTimer = 0;

async function go(id: number, opts: { keepPrev?: boolean; light?: boolean } = {}): Promise<void> {
  if (id < 0 || id === app.cur) return;
  const gen = ++generation;
  const m = await api.moment(id);
  if (gen !== generation) return;
  if (!opts.keepPrev) app.prev = app.moment ? app.cur : null;
  app.cur = id;
  app.moment = m;
  const e = m.event;
  movePlayhead(e, m.frames[0] ? m.frames[0].call : -1);
  clearTimeout(panelTimer);
  if (opts.light) {
    // Playing fast: one moment per frame is cheap to draw, but rebuilding the panels' DOM each
    // time is not (layout). They catch up once the playhead rests.
    $('where').textContent = `@${e.id} · ${e.kind} ${e.name ?? ''}`;
    panelTimer = window.setTimeout(() => app.moment === m && renderPanels(m), PANEL_DELAY_MS);
    return;
  }
  renderPanels(m);
}

/** The timeline's and flame chart's playheads at event `e`, in the frame of call `call`. */
function movePlayhead(e: EventInfo, call: number): void {
  const tl = app.timeline;
  tl.playhead = e.timeUs;
  if (tl.lane !== e.lane) tl.lane = e.lane;
  if (e.timeUs < tl.range.from || e.timeUs > tl.range.to) {
    tl.range.pan(e.timeUs - (tl.range.from + tl.range.span / 2));
    tl.refresh();
  }
  tl.redraw();
  const fl = app.flame;
  if (fl.lane?.lane !== e.lane) fl.show(app.session.lanes[e.lane]!, fl.axis);
  fl.playhead = fl.axis === 'time' ? e.timeUs : e.pos + 0.5;
  fl.current = call;
  fl.follow();
  fl.redraw();
}

function renderPanels(m: MomentResponse): void {
  const e = m.event;
  // Follow the moment (a write shows its target) unless an object was chosen by a click.
  const listed = app.obj !== null && m.objects.some((o) => o.spec === app.obj);
  if (app.obj && !sameThread(app.obj, e.pid, e.thread)) app.pinned = false;
  if (!app.pinned || !app.obj) app.obj = (['write', 'delete', 'mutate'].includes(e.kind) || !listed ? m.objects[0]?.spec : app.obj) ?? (app.pinned ? app.obj : null);
  if (app.pinned && app.obj && !m.objects.some((o) => o.spec === app.obj)) m.objects.push({ spec: app.obj, label: 'watched' });
  renderMoment(m);
  void renderSource(m);
  void renderState();
  if (activeTab() === 'causes') void renderCauses();
  saveHash();
}

const sameThread = (spec: string, pid: number, thread: number) => spec.startsWith(`${pid}/${thread}/`);

async function step(how: 'into' | 'over' | 'out', back: boolean): Promise<boolean> {
  const r = await api.step(app.cur, how, back);
  if (r.to < 0) {
    flash(`nowhere to step ${how}${back ? ' backwards' : ''}`);
    return false;
  }
  await go(r.to);
  return true;
}

let scrubbing: { lane: number; v: number; axis: 'time' | 'events' } | null = null;
let scrubBusy = false;
/**
 * Scrubbing: the last position asked for wins; one request at a time. While the pointer moves only
 * the playheads follow (a brief answer: the event and its frame); the moment, with its stack,
 * source and state, is fetched and shown once the playhead rests.
 */
function scrub(lane: number, v: number, axis: 'time' | 'events'): void {
  scrubbing = { lane, v, axis };
  if (scrubBusy) return;
  scrubBusy = true;
  const next = async () => {
    while (scrubbing) {
      const s = scrubbing;
      scrubbing = null;
      const r = s.axis === 'time' ? await api.atTime(s.lane, s.v, true) : await api.atPos(s.lane, s.v, true);
      if (r.id < 0 || !r.event) continue;
      const id = r.id;
      movePlayhead(r.event, r.call ?? -1);
      $('where').textContent = `@${id} · ${r.event.kind} ${r.event.name ?? ''}`;
      clearTimeout(panelTimer);
      panelTimer = window.setTimeout(() => void go(id), PANEL_DELAY_MS);
    }
    scrubBusy = false;
  };
  next().catch((e) => {
    scrubBusy = false;
    console.warn(e);
  });
}

// ------------------------------------------------------------------ deep links

let hashTimer = 0;
function saveHash(): void {
  clearTimeout(hashTimer);
  hashTimer = window.setTimeout(() => {
    const r = (n: number) => Math.round(n * 100) / 100;
    const p = new URLSearchParams();
    // `rec` and `event` as the MCP server's links write them (src/mcp/links.ts).
    p.set('rec', app.rec);
    p.set('event', String(app.cur));
    p.set('tl', `${r(app.timeline.range.from)},${r(app.timeline.range.to)}`);
    p.set('ax', app.flame.axis);
    p.set('fl', `${r(app.flame.range.from)},${r(app.flame.range.to)}`);
    if (app.obj) p.set('o', app.obj);
    history.replaceState(null, '', `#${p}`);
  }, 150);
}

function readHash(): URLSearchParams {
  return new URLSearchParams(location.hash.slice(1));
}

const pair = (s: string | null): [number, number] | null => {
  const m = s?.split(',').map(Number);
  return m && m.length === 2 && m.every(Number.isFinite) && m[1]! > m[0]! ? [m[0]!, m[1]!] : null;
};

// ------------------------------------------------------------------ start

let flashTimer = 0;
function flash(msg: string): void {
  const w = $('where');
  w.dataset.msg = msg;
  w.classList.add('flash');
  clearTimeout(flashTimer);
  flashTimer = window.setTimeout(() => w.classList.remove('flash'), 1200);
}

async function pickRecording(): Promise<string> {
  const hash = readHash();
  const list = await api.recordings();
  const rec = hash.get('rec') || list.default;
  const pick = $<HTMLSelectElement>('rec-pick');
  const names = list.recordings.map((r) => r.name);
  if (!names.includes(rec)) names.unshift(rec);
  pick.replaceChildren(
    ...names.map((n) => {
      const r = list.recordings.find((x) => x.name === n);
      const o = el('option', { value: n, title: r ? r.command.join(' ') : '' }, r ? `${n}${r.complete ? '' : ' (incomplete)'}` : n);
      o.selected = n === rec;
      return o;
    }),
  );
  pick.hidden = names.length < 2;
  pick.onchange = () => switchTo(pick.value);
  return rec;
}

/** Another recording: a fresh page on its link (views and caches belong to one recording). */
function switchTo(rec: string, event?: string): void {
  clearTimeout(hashTimer);
  const p = new URLSearchParams({ rec });
  if (event !== undefined) p.set('event', event);
  location.hash = `#${p}`;
  location.reload();
}

async function start(): Promise<void> {
  let session: SessionInfo;
  let rec: string;
  try {
    rec = await pickRecording();
    useRecording(rec);
    session = await api.session();
  } catch (e) {
    document.body.replaceChildren(el('p', { class: 'fatal' }, `Cannot load the recording: ${(e as Error).message}`));
    return;
  }
  $('rec-name').textContent = `${$<HTMLSelectElement>('rec-pick').hidden ? `${session.recording.name} · ` : ''}${session.events.toLocaleString()} events · ${fmtUs(session.endUs - session.startUs)}${session.recording.complete ? '' : ' · incomplete'}`;
  const hash = readHash();
  const timeline = new Timeline($<HTMLCanvasElement>('timeline'), session, {
    scrub: (lane, t) => scrub(lane, t, 'time'),
    jump: (id) => void go(id),
    viewChanged: saveHash,
  });
  const flame = new Flame($<HTMLCanvasElement>('flame'), {
    pick: (row) => void go(row),
    scrubPos: (lane, v, axis) => scrub(lane, v, axis),
    viewChanged: saveHash,
  });
  flame.startUs = session.startUs;
  setApp({ rec, session, timeline, flame, cur: -1, prev: null, moment: null, obj: hash.get('o'), pinned: hash.has('o'), playing: false, sources: new Map() });
  const tl = pair(hash.get('tl'));
  if (tl) {
    timeline.range.set(tl[0], tl[1]);
    timeline.refresh();
  }
  const axis = hash.get('ax') === 'time' ? 'time' : 'events';
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name=axis]')) {
    r.checked = r.value === axis;
    r.onchange = () => {
      flame.show(app.session.lanes[flame.lane.lane]!, r.value as 'time' | 'events');
      if (app.moment) flame.playhead = flame.axis === 'time' ? app.moment.event.timeUs : app.moment.event.pos + 0.5;
      saveHash();
    };
  }
  // Start on the lane with the most events, at its first event (or where the link says).
  const main = [...session.lanes].sort((a, b) => b.events - a.events)[0];
  // `event` (what the MCP server's links say, and ours); `e` from older links.
  const e = Number(hash.get('event') ?? hash.get('e'));
  let first = Number.isInteger(e) && e >= 0 && e < session.events ? e : -1;
  if (first < 0 && main) first = (await api.atPos(main.lane, 0)).id;
  const fl = pair(hash.get('fl'));
  if (first >= 0) {
    const m = await api.moment(first);
    flame.show(session.lanes[m.event.lane]!, axis, fl?.[0], fl?.[1]);
    timeline.lane = m.event.lane;
    await go(first);
  }
  $('flame-lane').textContent = flame.lane?.label ?? '';
  const buttons: [string, 'into' | 'over' | 'out', boolean][] = [
    ['b-into', 'into', false],
    ['b-over', 'over', false],
    ['b-out', 'out', false],
    ['b-back-into', 'into', true],
    ['b-back-over', 'over', true],
    ['b-back-out', 'out', true],
  ];
  for (const [id, how, back] of buttons) $(id).onclick = () => void step(how, back);
  $('b-play').onclick = () => void play(controls);
  $('b-help').onclick = () => ($('help').hidden = !$('help').hidden);
  $('help').onclick = (ev) => {
    if (ev.target === $('help')) $('help').hidden = true;
  };
  $<HTMLInputElement>('search').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') void runSearch((ev.target as HTMLInputElement).value);
  });
  for (const b of document.querySelectorAll<HTMLElement>('.tabs button')) b.onclick = () => showTab(b.dataset.tab!);
  keys(controls);
  followLinks();
  await renderErrors();
  document.body.dataset.ready = '1';
  void loadMarks();
}

/** A link pasted into this tab: another recording reloads; another moment of this one moves there. */
function followLinks(): void {
  window.addEventListener('hashchange', () => {
    const h = readHash();
    const rec = h.get('rec');
    const ev = h.get('event') ?? h.get('e');
    if (rec && rec !== app.rec) return switchTo(rec, ev ?? undefined);
    const id = Number(ev);
    if (ev !== null && Number.isInteger(id) && id >= 0 && id < app.session.events) void go(id);
  });
}

nav.go = (id) => go(id);
nav.saveHash = saveHash;
const controls: Controls = { go, step, scrub, flash, renderPanels, saveHash };

// For tests and the benchmark: the app's state and draw timings.
(window as unknown as { cinema: unknown }).cinema = {
  get rec() {
    return app?.rec;
  },
  get cur() {
    return app?.cur;
  },
  get moment() {
    return app?.moment;
  },
  get prev() {
    return app?.prev;
  },
  go: (id: number) => go(id),
  step,
  perf,
  get timeline() {
    return app?.timeline;
  },
  get flame() {
    return app?.flame;
  },
};

void start();
