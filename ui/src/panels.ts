/** The panels: the moment (stack, objects), source, state, the errors/insights, search and causes tabs. */
import { api, type CausesResponse, type MarksResponse, type MomentResponse, type SourceResponse, type StateResponse } from './api.js';
import { $, app, nav, short } from './app.js';
import { httpLabel } from './timeline.js';
import { el, fmtUs, show, showArgs } from './values.js';

export function renderMoment(m: MomentResponse): void {
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
      li.onclick = () => void nav.go(f.call);
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
        nav.saveHash();
      };
      return b;
    }),
  );
  $('state-what').textContent = m.objects.length ? '' : '— no objects captured at this moment';
}

export async function renderSource(m: MomentResponse): Promise<void> {
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

export async function renderState(): Promise<void> {
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
      b.onclick = () => void nav.go(w);
      row.append(b);
    }
    return row;
  });
  for (const c of s.changed) if (c.deleted) rows.push(el('div', { class: 'kv changed' }, el('span', { class: 'k' }, c.key), el('span', { class: 'v muted' }, 'deleted'), el('span', { class: 'was' }, `was ${show(c.before)}`)));
  box.replaceChildren(el('div', { class: 'state-title' }, `${title} #${s.spec.split('/')[2]}${s.partial ? ' (partial snapshot)' : ''}`, el('span', { class: 'muted' }, s.changed.length ? `  ${s.changed.length} changed since the last step` : '')), ...rows);
}

export function activeTab(): string {
  return document.querySelector<HTMLElement>('.tabs button.on')?.dataset.tab ?? 'errors';
}

export function showTab(name: string): void {
  for (const b of document.querySelectorAll<HTMLElement>('.tabs button')) b.classList.toggle('on', b.dataset.tab === name);
  for (const t of document.querySelectorAll<HTMLElement>('.tab')) t.classList.toggle('on', t.id === `tab-${name}`);
  if (name === 'causes') void renderCauses();
}

export async function renderErrors(): Promise<void> {
  const { errors } = await api.errors();
  const box = $('tab-errors');
  if (errors.length === 0) return box.replaceChildren(el('div', { class: 'muted' }, 'No exceptions in this recording.'));
  box.replaceChildren(
    ...errors.map((e) => {
      const d = el('div', { class: 'item err', 'data-id': String(e.id) }, el('div', {}, el('b', {}, e.message)), el('div', { class: 'muted' }, `${e.end}${e.caughtBy ? ` by ${e.caughtBy}` : ''} · thrown in ${e.where ?? (e.kind === 'catch' ? `unrecorded code or ${e.caughtBy ?? 'the catching frame'}` : '?')} · ${fmtUs(e.timeUs - app.session.startUs)} · @${e.id}`));
      d.onclick = () => void nav.go(e.id);
      return d;
    }),
  );
}

export async function runSearch(q: string): Promise<void> {
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
      d.onclick = () => void nav.go(f.first);
      items.push(d);
    }
    items.push(el('h3', {}, `Values (${r.values.length})`));
    for (const v of r.values) {
      const d = el('div', { class: 'item hit-val', 'data-id': String(v.id) }, el('span', {}, `${v.event.kind} ${v.event.name ?? ''} `), el('code', {}, `${v.path} = ${show(v.match)}`), el('span', { class: 'muted' }, `  @${v.id}`));
      d.onclick = () => void nav.go(v.id);
      items.push(d);
    }
    box.replaceChildren(...items);
  } catch (e) {
    box.replaceChildren(el('div', { class: 'muted' }, (e as Error).message));
  }
}

const edgeColor: Record<string, string> = { call: '#6aa7ff', resume: '#c792ea', event: '#8a8f98', 'async-init': '#f7b267', message: '#7bd88f', http: '#ff6b9a', process: '#ffd23f' };

export async function renderCauses(): Promise<void> {
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
    g.addEventListener('click', () => void nav.go(n.id));
    svg.append(g);
  }
  const legend = el('div', { class: 'legend' }, ...[...new Set(r.edges.map((e) => e.kind))].map((k) => el('span', { style: `color:${edgeColor[k] ?? '#aaa'}` }, `— ${k} `)));
  box.replaceChildren(el('div', { class: 'muted' }, 'Causes above, effects below. Click a node to go there.'), legend, svg);
}

/** HTTP spans, errors and insights on the timeline, and insights in the errors tab; asked again while the detectors run. */
export async function loadMarks(): Promise<void> {
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
    d.onclick = () => void nav.go(f.id);
    items.push(d);
  }
  if (marks.http.length) items.push(el('h3', {}, `HTTP (${marks.http.length})`));
  for (const s of marks.http.slice(0, 200)) {
    const d = el('div', { class: 'item http', 'data-id': String(s.request) }, el('code', {}, httpLabel(s)), el('span', { class: 'muted' }, `  ${s.exchange !== undefined ? `exchange #${s.exchange} · ` : ''}${fmtUs(s.endUs - s.startUs)} · @${s.request}`));
    d.onclick = () => void nav.go(s.request);
    items.push(d);
  }
  for (const n of marks.notes) items.push(el('div', { class: 'muted' }, n));
  box.replaceChildren(...items);
  document.body.dataset.marks = '1';
  if (marks.pending) window.setTimeout(() => void loadMarks(), 1500);
  else document.body.dataset.insights = '1';
}
