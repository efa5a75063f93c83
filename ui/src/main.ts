/** Execution Cinema's web app: wires the timeline, flame chart and panels to the playhead. */
import './style.css';
import { api, useRecording, type CausesResponse, type EventInfo, type MarksResponse, type MomentResponse, type SessionInfo, type SourceResponse, type StateResponse } from './api.js';
import { perf } from './canvas.js';
import { Flame } from './flame.js';
import { Timeline, httpLabel } from './timeline.js';
import { el, fmtUs, show, showArgs } from './values.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface App {
  /** The recording shown (its name in the server's list; links carry it as `rec=`). */
  rec: string;
  session: SessionInfo;
  timeline: Timeline;
  flame: Flame;
  cur: number;
  /** The moment before the last move (what "changed" compares against). */
  prev: number | null;
  moment: MomentResponse | null;
  obj: string | null;
  /** The object was chosen by a click: keep showing it while the playhead moves. */
  pinned: boolean;
  playing: boolean;
  sources: Map<string, Promise<SourceResponse>>;
}

let app: App;
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

// ------------------------------------------------------------------ panels

function renderMoment(m: MomentResponse): void {
  const e = m.event;
  $('where').textContent = `@${e.id} · ${e.kind} ${e.name ?? ''}${e.target ? ` ${e.target}` : ''} · ${fmtUs(e.timeUs - app.session.startUs)} · ${app.session.lanes[e.lane]?.label ?? ''}`;
  const line = $('event-line');
  line.replaceChildren(el('span', { class: `kind k-${e.kind}` }, e.kind), ' ', el('b', {}, e.name ?? ''), e.target ? ` ${e.target}` : '', e.value !== undefined ? el('span', { class: 'val' }, ` ${e.kind === 'call' ? showArgs(e.value, m.frames[0]?.params) : show(e.value)}`) : '');
  const stack = $('stack');
  stack.replaceChildren(
    ...m.frames.map((f, i) => {
      const li = el('li', { class: i === 0 ? 'top' : '', 'data-call': String(f.call) }, el('span', { class: 'fn' }, f.name), el('span', { class: 'args' }, `(${showArgs(f.args, f.params)})`), el('span', { class: 'loc' }, f.file ? ` ${short(f.file)}:${f.line}` : ''));
      if (f.resumed) li.append(el('span', { class: 'tag' }, 'resumed'));
      if (f.async) li.append(el('span', { class: 'tag' }, 'async caller'));
      li.title = `go to the call @${f.call}`;
      li.onclick = () => void go(f.call);
      return li;
    }),
  );
  if (m.frames.length === 0) stack.append(el('li', { class: 'muted' }, '(top level)'));
  $('objects').replaceChildren(
    ...m.objects.map((o) => {
      const b = el('button', { class: o.spec === app.obj ? 'obj on' : 'obj', 'data-spec': o.spec }, `${o.label} #${o.spec.split('/')[2]}`);
      b.onclick = () => {
        app.obj = o.spec;
        app.pinned = true;
        renderMoment(m);
        void renderState();
        saveHash();
      };
      return b;
    }),
  );
  $('state-what').textContent = m.objects.length ? '' : '— no objects captured at this moment';
}

const short = (f: string) => f.split('/').slice(-2).join('/');

async function renderSource(m: MomentResponse): Promise<void> {
  const pre = $('source');
  if (!m.source) {
    pre.replaceChildren(el('span', { class: 'muted' }, 'no source location for this event'));
    $('source-title').textContent = 'Source';
    return;
  }
  const { file, line } = m.source;
  let p = app.sources.get(file);
  if (!p) {
    p = api.source(m.event.id).catch((e: Error) => ({ file, text: null, functionLines: [], error: e.message }) as SourceResponse);
    app.sources.set(file, p);
  }
  const src = await p;
  if (app.moment !== m) return;
  $('source-title').textContent = `Source — ${short(file)}:${line}`;
  if (pre.dataset.file !== file) {
    pre.dataset.file = file;
    const lines = (src.text ?? '(the recording has no copy of this file)').split('\n');
    const fl = new Set(src.functionLines);
    pre.replaceChildren(...lines.map((t, i) => el('div', { class: fl.has(i + 1) ? 'ln fn-line' : 'ln', 'data-line': String(i + 1) }, el('span', { class: 'no' }, String(i + 1).padStart(4)), ' ' + t)));
  }
  pre.querySelector('.ln.cur')?.classList.remove('cur');
  const cur = pre.querySelector<HTMLElement>(`.ln[data-line="${line}"]`);
  if (cur) {
    cur.classList.add('cur');
    const top = cur.offsetTop - pre.clientHeight / 2;
    if (cur.offsetTop < pre.scrollTop + 20 || cur.offsetTop > pre.scrollTop + pre.clientHeight - 40) pre.scrollTop = Math.max(0, top);
  }
}

async function renderState(): Promise<void> {
  const box = $('state');
  if (!app.obj) {
    box.replaceChildren();
    return;
  }
  const at = app.cur;
  let s: StateResponse;
  try {
    s = await api.state(app.obj, at, app.prev ?? undefined);
  } catch (e) {
    box.replaceChildren(el('div', { class: 'muted' }, (e as Error).message));
    return;
  }
  if (app.cur !== at) return;
  if (!s.seen || !s.state || typeof s.state !== 'object' || s.state === null) {
    box.replaceChildren(el('div', { class: 'muted' }, `object ${s.spec} not seen yet at this moment`));
    return;
  }
  const v = s.state;
  const entries: [string, unknown][] = v.type === 'object' ? v.entries : v.type === 'array' ? v.items.map((x, i) => [String(i), x]) : v.type === 'map' ? v.entries.map(([k, x]) => [show(k), x]) : [];
  const changed = new Map(s.changed.map((c) => [c.key, c]));
  const title = v.type === 'object' ? v.class : v.type;
  const rows = entries.map(([k, x]) => {
    const c = changed.get(k);
    const row = el('div', { class: c ? 'kv changed' : 'kv', 'data-key': k }, el('span', { class: 'k' }, k), el('span', { class: 'v' }, show(x as never)));
    if (c) row.append(el('span', { class: 'was' }, c.added ? 'new' : `was ${show(c.before)}`));
    const w = s.writers[k];
    if (w !== undefined) {
      const b = el('button', { class: 'who', title: `go to the write that gave ${k} this value (@${w})` }, 'who wrote this?');
      b.onclick = () => void go(w);
      row.append(b);
    }
    return row;
  });
  for (const c of s.changed) if (c.deleted) rows.push(el('div', { class: 'kv changed' }, el('span', { class: 'k' }, c.key), el('span', { class: 'v muted' }, 'deleted'), el('span', { class: 'was' }, `was ${show(c.before)}`)));
  box.replaceChildren(el('div', { class: 'state-title' }, `${title} #${s.spec.split('/')[2]}${s.partial ? ' (partial snapshot)' : ''}`, el('span', { class: 'muted' }, s.changed.length ? `  ${s.changed.length} changed since the last step` : '')), ...rows);
}

function activeTab(): string {
  return document.querySelector<HTMLElement>('.tabs button.on')?.dataset.tab ?? 'errors';
}

function showTab(name: string): void {
  for (const b of document.querySelectorAll<HTMLElement>('.tabs button')) b.classList.toggle('on', b.dataset.tab === name);
  for (const t of document.querySelectorAll<HTMLElement>('.tab')) t.classList.toggle('on', t.id === `tab-${name}`);
  if (name === 'causes') void renderCauses();
}

async function renderErrors(): Promise<void> {
  const { errors } = await api.errors();
  const box = $('tab-errors');
  if (errors.length === 0) return box.replaceChildren(el('div', { class: 'muted' }, 'No exceptions in this recording.'));
  box.replaceChildren(
    ...errors.map((e) => {
      const d = el('div', { class: 'item err', 'data-id': String(e.id) }, el('div', {}, el('b', {}, e.message)), el('div', { class: 'muted' }, `${e.end}${e.caughtBy ? ` by ${e.caughtBy}` : ''} · thrown in ${e.where ?? '?'} · ${fmtUs(e.timeUs - app.session.startUs)} · @${e.id}`));
      d.onclick = () => void go(e.id);
      return d;
    }),
  );
}

async function runSearch(q: string): Promise<void> {
  showTab('results');
  const box = $('tab-results');
  if (!q.trim()) return box.replaceChildren();
  box.replaceChildren(el('div', { class: 'muted' }, 'searching…'));
  try {
    const r = await api.search(q);
    const items: HTMLElement[] = [];
    items.push(el('h3', {}, `Functions (${r.functions.length})`));
    for (const f of r.functions) {
      const d = el('div', { class: 'item hit-fn', 'data-id': String(f.first) }, el('b', {}, f.name), el('span', { class: 'muted' }, `  ${short(f.file)}:${f.line} · first call @${f.first}`));
      d.onclick = () => void go(f.first);
      items.push(d);
    }
    items.push(el('h3', {}, `Values (${r.values.length})`));
    for (const v of r.values) {
      const d = el('div', { class: 'item hit-val', 'data-id': String(v.id) }, el('span', {}, `${v.event.kind} ${v.event.name ?? ''} `), el('code', {}, `${v.path} = ${show(v.match)}`), el('span', { class: 'muted' }, `  @${v.id}`));
      d.onclick = () => void go(v.id);
      items.push(d);
    }
    box.replaceChildren(...items);
  } catch (e) {
    box.replaceChildren(el('div', { class: 'muted' }, (e as Error).message));
  }
}

const edgeColor: Record<string, string> = { call: '#6aa7ff', resume: '#c792ea', event: '#8a8f98', 'async-init': '#f7b267', message: '#7bd88f', http: '#ff6b9a', process: '#ffd23f' };

async function renderCauses(): Promise<void> {
  const at = app.cur;
  const r: CausesResponse = await api.causes(at);
  if (app.cur !== at) return;
  const box = $('tab-causes');
  // Cause above effect: order by time, then id; one row per node, one column per thread.
  const nodes = [...r.nodes].sort((a, b) => a.timeUs - b.timeUs || a.id - b.id);
  const threads = [...new Set(nodes.map((n) => `${n.pid}/${n.thread}`))];
  const pos = new Map(nodes.map((n, i) => [n.id, { x: 40 + threads.indexOf(`${n.pid}/${n.thread}`) * 30, y: 18 + i * 34 }]));
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const h = nodes.length * 34 + 10;
  svg.setAttribute('viewBox', `0 0 380 ${h}`);
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', String(h));
  for (const e of r.edges) {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const p = document.createElementNS(ns, 'path');
    const bend = 18 + Math.abs(b.y - a.y) / 6;
    p.setAttribute('d', `M${a.x},${a.y} C${a.x - bend},${a.y} ${b.x - bend},${b.y} ${b.x},${b.y}`);
    p.setAttribute('stroke', edgeColor[e.kind] ?? '#aaa');
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke-width', '1.5');
    p.setAttribute('marker-end', 'url(#arrow)');
    const t = document.createElementNS(ns, 'title');
    t.textContent = e.kind;
    p.append(t);
    svg.append(p);
  }
  const defs = document.createElementNS(ns, 'defs');
  defs.innerHTML = '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#aaa"/></marker>';
  svg.prepend(defs);
  for (const n of nodes) {
    const { x, y } = pos.get(n.id)!;
    const g = document.createElementNS(ns, 'g');
    g.setAttribute('class', n.id === r.focus ? 'node focus' : 'node');
    g.setAttribute('data-id', String(n.id));
    const c = document.createElementNS(ns, 'circle');
    c.setAttribute('cx', String(x));
    c.setAttribute('cy', String(y));
    c.setAttribute('r', n.id === r.focus ? '6' : '4.5');
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', String(x + 12));
    t.setAttribute('y', String(y + 4));
    t.textContent = `${n.label}  @${n.id}`;
    g.append(c, t);
    g.addEventListener('click', () => void go(n.id));
    svg.append(g);
  }
  const legend = el('div', { class: 'legend' }, ...[...new Set(r.edges.map((e) => e.kind))].map((k) => el('span', { style: `color:${edgeColor[k] ?? '#aaa'}` }, `— ${k} `)));
  box.replaceChildren(el('div', { class: 'muted' }, 'Causes above, effects below. Click a node to go there.'), legend, svg);
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

/** Playback: events of the playhead's thread at the chosen rate; above one per frame it skips ahead by position. */
async function play(): Promise<void> {
  app.playing = !app.playing;
  $('b-play').textContent = app.playing ? '❚❚' : '▶';
  document.body.dataset.playing = app.playing ? '1' : '';
  let last = performance.now();
  let due = 0;
  const stop = () => {
    app.playing = false;
    $('b-play').textContent = '▶';
    document.body.dataset.playing = '';
  };
  while (app.playing) {
    await new Promise(requestAnimationFrame);
    const now = performance.now();
    const rate = Number($<HTMLSelectElement>('speed').value);
    // At most a quarter second's worth after a stall (a slow answer), so playback never lurches.
    due = Math.min(due + ((now - last) / 1000) * rate, Math.max(2, rate / 4));
    last = now;
    if (due < 1) continue;
    const n = Math.floor(due);
    due -= n;
    const m = app.moment;
    if (n === 1 || !m) {
      if (!(await step('into', false))) stop();
      continue;
    }
    const lane = app.session.lanes[m.event.lane]!;
    if (m.event.pos >= lane.events - 1) {
      flash('end of this thread');
      stop();
      continue;
    }
    const r = await api.atPos(m.event.lane, m.event.pos + n);
    if (app.playing) await go(r.id, { light: rate > 60 });
  }
  if (app.moment) renderPanels(app.moment);
}

function keys(): void {
  window.addEventListener('keydown', (e) => {
    const inInput = (e.target as HTMLElement).tagName === 'INPUT';
    if (e.key === 'Escape') {
      $('help').hidden = true;
      if (inInput) (e.target as HTMLElement).blur();
      return;
    }
    if (inInput) return;
    const back = e.altKey;
    let done = true;
    if (e.key === 'F11' && e.shiftKey) void step('out', back);
    else if (e.key === 'F11') void step('into', back);
    else if (e.key === 'F10') void step('over', back);
    else if (e.key === 'ArrowRight') void step(e.shiftKey ? 'over' : 'into', false);
    else if (e.key === 'ArrowLeft') void step(e.shiftKey ? 'over' : 'into', true);
    else if (e.key === ' ') void play();
    else if (e.key === '/') $('search').focus();
    else if (e.key === '?') $('help').hidden = !$('help').hidden;
    else if (e.key === 'Home') scrub(app.timeline.lane, 0, 'events');
    else if (e.key === 'End') scrub(app.timeline.lane, Number.MAX_SAFE_INTEGER, 'events');
    else if (e.key === '0') {
      app.timeline.range.reset();
      app.timeline.refresh();
      app.flame.range.reset();
      app.flame.refresh();
      saveHash();
    } else done = false;
    if (done) e.preventDefault();
  });
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
  app = { rec, session, timeline, flame, cur: -1, prev: null, moment: null, obj: hash.get('o'), pinned: hash.has('o'), playing: false, sources: new Map() };
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
  $('b-play').onclick = () => void play();
  $('b-help').onclick = () => ($('help').hidden = !$('help').hidden);
  $('help').onclick = (ev) => {
    if (ev.target === $('help')) $('help').hidden = true;
  };
  $<HTMLInputElement>('search').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') void runSearch((ev.target as HTMLInputElement).value);
  });
  for (const b of document.querySelectorAll<HTMLElement>('.tabs button')) b.onclick = () => showTab(b.dataset.tab!);
  keys();
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

/** HTTP spans, errors and insights on the timeline, and insights in the errors tab; asked again while the detectors run. */
async function loadMarks(): Promise<void> {
  let marks: MarksResponse;
  try {
    marks = await api.marks();
  } catch (e) {
    console.warn(e);
    return;
  }
  app.timeline.marks = marks;
  app.timeline.redraw();
  let box = document.getElementById('marks-list');
  if (!box) {
    box = el('div', { id: 'marks-list' });
    $('tab-errors').append(box);
  }
  const items: HTMLElement[] = [];
  if (marks.pending) items.push(el('div', { class: 'muted' }, 'Insights: the detectors are running…'));
  if (marks.insights.length) items.push(el('h3', {}, `Insights (${marks.insights.length})`));
  for (const f of marks.insights) {
    const d = el('div', { class: `item insight sev-${f.severity}`, 'data-id': String(f.id) }, el('div', {}, el('b', {}, f.title)), el('div', { class: 'muted' }, `${f.kind} · ${f.severity} · ${fmtUs(f.timeUs - app.session.startUs)} · @${f.id}`));
    d.onclick = () => void go(f.id);
    items.push(d);
  }
  if (marks.http.length) items.push(el('h3', {}, `HTTP (${marks.http.length})`));
  for (const s of marks.http.slice(0, 200)) {
    const d = el('div', { class: 'item http', 'data-id': String(s.request) }, el('code', {}, httpLabel(s)), el('span', { class: 'muted' }, `  ${fmtUs(s.endUs - s.startUs)} · @${s.request}`));
    d.onclick = () => void go(s.request);
    items.push(d);
  }
  for (const n of marks.notes) items.push(el('div', { class: 'muted' }, n));
  box.replaceChildren(...items);
  document.body.dataset.marks = '1';
  if (marks.pending) window.setTimeout(() => void loadMarks(), 1500);
  else document.body.dataset.insights = '1';
}

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
