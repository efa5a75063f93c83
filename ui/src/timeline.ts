/**
 * The timeline: a lane per process and thread, drawn from the server's level-of-detail buckets;
 * under a thread, its busiest async contexts and its HTTP exchanges (recordings made with
 * --causality); errors and insights as markers. Clicking a marker or an HTTP span goes to its
 * moment; dragging anywhere else scrubs the lane's thread.
 *
 * Frame cost: a redraw is a few hundred rectangles (bars filled one path per colour) and the
 * markers; while scrubbing, the server answers with the event only (see main.ts).
 */
import { api, type HttpSpan, type Lane, type LodResponse, type MarksResponse, type SessionInfo } from './api.js';
import { CanvasView, Fetcher, Range, RectBatch, niceStep } from './canvas.js';
import { ASYNC_COLORS, AXIS, GUTTER, HTTP_ROWS, SHADES, THREAD_COLORS, fit, httpColor, httpLabel, layout, type Row } from './lane-rows.js';
import { fmtUs } from './values.js';

export { GUTTER, httpLabel };


export interface TimelineHost {
  /** Scrub thread lane `lane` to global time `t`. */
  scrub(lane: number, t: number): void;
  /** Go to an event (a marker or an HTTP span was clicked). */
  jump(id: number): void;
  viewChanged(): void;
}

interface Hit {
  kind: 'http' | 'error' | 'insight';
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  id: number;
  title: string;
}


export class Timeline extends CanvasView {
  readonly range: Range;
  lod: LodResponse | null = null;
  marks: MarksResponse | null = null;
  playhead: number | null = null;
  /** The thread lane followed (scrubbing and stepping). */
  lane = 0;
  readonly rows: Row[];
  #hits: Hit[] = [];
  readonly #fetch: Fetcher<LodResponse>;

  constructor(
    canvas: HTMLCanvasElement,
    readonly session: SessionInfo,
    readonly host: TimelineHost,
  ) {
    const rows = layout(session.lanes);
    canvas.style.height = `${(rows.at(-1)?.y ?? AXIS) + (rows.at(-1)?.h ?? 0) + 6}px`;
    super(canvas);
    this.rows = rows;
    this.range = new Range(session.startUs, session.endUs, session.startUs, session.endUs);
    this.range.reset();
    this.#fetch = new Fetcher(
      () => api.lod(this.range.from, this.range.to, Math.max(1, Math.min(4096, Math.floor(this.width - GUTTER)))),
      (r) => {
        this.lod = r;
        this.redraw();
      },
    );
    this.#wire();
    this.refresh();
  }

  refresh(): void {
    this.#fetch?.request();
    this.redraw();
  }

  protected override onResize(): void {
    if (this.range) this.refresh();
  }

  x(t: number): number {
    return GUTTER + ((t - this.range.from) / this.range.span) * (this.width - GUTTER);
  }

  t(x: number): number {
    return this.range.from + ((x - GUTTER) / (this.width - GUTTER)) * this.range.span;
  }

  protected drawOverlay(c: CanvasRenderingContext2D): void {
    if (this.playhead !== null) {
      const x = this.x(this.playhead);
      if (x >= GUTTER && x <= this.width) {
        c.fillStyle = '#ffd23f';
        c.fillRect(x - 1, 0, 2, this.height);
        c.beginPath();
        c.moveTo(x - 6, 0);
        c.lineTo(x + 6, 0);
        c.lineTo(x, 8);
        c.fill();
      }
    }
  }

  protected drawBase(c: CanvasRenderingContext2D): void {
    const w = this.width;
    this.#hits = [];
    c.fillStyle = '#15171c';
    c.fillRect(0, 0, w, this.height);
    c.font = '11px system-ui, sans-serif';
    c.textBaseline = 'middle';
    const step = niceStep(this.range.span, w - GUTTER);
    const origin = this.session.startUs;
    for (let t = Math.ceil((this.range.from - origin) / step) * step + origin; t <= this.range.to; t += step) {
      const x = this.x(t);
      c.fillStyle = '#2a2e36';
      c.fillRect(x, AXIS, 1, this.height - AXIS);
      c.fillStyle = '#8a8f98';
      c.fillText(fmtUs(t - origin), x + 3, AXIS / 2);
    }
    const rowOf = new Map(this.rows.map((r) => [r.lane.lane, r]));
    for (const r of this.rows) this.#drawRow(c, r);
    if (this.marks) {
      for (const s of this.marks.http) this.#drawHttp(c, s, rowOf.get(s.lane));
      for (const e of this.marks.errors) this.#marker(c, rowOf.get(e.lane), e.timeUs, e.id, e.message, '#ff5c5c', 'error');
      for (const f of this.marks.insights) this.#marker(c, rowOf.get(f.lane), f.timeUs, f.id, `${f.severity} · ${f.title}`, f.severity === 'high' ? '#ff9f1c' : '#f7d56a', 'insight');
    }
    c.fillStyle = '#3a3f4a';
    c.fillRect(GUTTER - 1, AXIS, 1, this.height - AXIS);
  }

  #drawRow(c: CanvasRenderingContext2D, { lane, y, h }: Row): void {
    const w = this.width;
    const selected = lane.lane === this.lane || lane.parent === this.lane;
    if (selected) {
      c.fillStyle = lane.kind === 'thread' ? '#1f2530' : '#1a1f28';
      c.fillRect(0, y, w, h);
    }
    if (lane.kind === 'thread') {
      c.fillStyle = selected ? '#e8eaed' : '#aab0b9';
      c.fillText(lane.label, 8, y + h / 2 - 5);
      c.fillStyle = '#6b717c';
      c.fillText(`${lane.events.toLocaleString()} events`, 8, y + h / 2 + 8);
    } else {
      c.fillStyle = lane.kind === 'http' ? '#9fd3b4' : '#b9a7e0';
      c.fillText(fit(c, `↳ ${lane.label}`, GUTTER - 20), 14, y + h / 2);
    }
    const data = this.lod?.lanes[lane.lane];
    if (!data || !this.lod || lane.kind === 'http') return;
    const bw = (this.lod.to - this.lod.from) / this.lod.px;
    let maxCount = 1;
    for (const n of data.counts) if (n > maxCount) maxCount = n;
    const logMax = Math.log1p(maxCount);
    const maxDepth = Math.max(1, lane.maxDepth);
    const palette = lane.kind === 'async' ? ASYNC_COLORS : THREAD_COLORS;
    const batch = new RectBatch();
    for (let b = 0; b < data.counts.length; b++) {
      const n = data.counts[b]!;
      if (n === 0) continue;
      const x0 = Math.max(GUTTER, this.x(this.lod.from + b * bw));
      const x1 = Math.max(x0 + 1, this.x(this.lod.from + (b + 1) * bw));
      if (x1 < GUTTER || x0 > w) continue;
      const bh = Math.max(2, (Math.log1p(n) / logMax) * (h - 8));
      // Deeper stacks are warmer: one of SHADES colours, so a lane is a handful of fills.
      const d = Math.round(Math.min(1, data.depth[b]! / maxDepth) * (SHADES - 1));
      batch.add(palette[d]!, x0, y + h - 3 - bh, x1 - x0, bh);
    }
    batch.fill(c);
    // Buckets with a throw (caught ones too), until the markers of the errors list arrive.
    if (this.marks) return;
    c.fillStyle = '#ff5c5c';
    for (const b of data.errors) {
      const x = this.x(this.lod.from + (b + 0.5) * bw);
      if (x >= GUTTER) c.fillRect(x - 1, y + 2, 2, 6);
    }
  }

  #drawHttp(c: CanvasRenderingContext2D, s: HttpSpan, row: Row | undefined): void {
    if (!row) return;
    const x0 = Math.max(GUTTER, this.x(s.startUs));
    const x1 = Math.min(this.width, Math.max(this.x(s.endUs), this.x(s.startUs) + 3));
    if (x1 < GUTTER || x0 > this.width) return;
    // Sub-rows by request number, so overlapping exchanges stay apart.
    const rh = (row.h - 4) / HTTP_ROWS;
    const y = row.y + 2 + (s.request % HTTP_ROWS) * rh;
    c.fillStyle = httpColor(s);
    c.fillRect(x0, y, Math.max(2, x1 - x0), rh - 1);
    const label = httpLabel(s);
    if (x1 - x0 > 40) {
      c.save();
      c.beginPath();
      c.rect(x0, y, x1 - x0 - 2, rh);
      c.clip();
      c.fillStyle = '#0d0f12';
      c.font = '10px system-ui, sans-serif';
      c.fillText(label, x0 + 3, y + rh / 2);
      c.restore();
    }
    this.#hits.push({ kind: 'http', x0: x0 - 2, x1: x1 + 2, y0: y, y1: y + rh, id: s.request, title: `${label} · ${fmtUs(s.endUs - s.startUs)} · @${s.request}` });
  }

  /** An error (▼ at the top of its lane) or an insight (◆ at the bottom). */
  #marker(c: CanvasRenderingContext2D, row: Row | undefined, t: number, id: number, title: string, color: string, kind: 'error' | 'insight'): void {
    if (!row) return;
    const x = this.x(t);
    if (x < GUTTER || x > this.width) return;
    const y = kind === 'error' ? row.y + 2 : row.y + row.h - 11;
    c.fillStyle = color;
    c.beginPath();
    if (kind === 'error') {
      c.moveTo(x - 5, y);
      c.lineTo(x + 5, y);
      c.lineTo(x, y + 8);
    } else {
      c.moveTo(x, y);
      c.lineTo(x + 5, y + 5);
      c.lineTo(x, y + 10);
      c.lineTo(x - 5, y + 5);
    }
    c.fill();
    this.#hits.push({ kind, x0: x - 6, x1: x + 6, y0: y - 2, y1: y + 11, id, title: `${title} · @${id}` });
  }

  /**
   * The marker or HTTP span at a point: markers before spans, and of markers drawn on one spot
   * (events of one clock tick) the earliest, its title counting the others.
   */
  hitAt(x: number, y: number): Hit | null {
    const all = this.#hits.filter((h) => x >= h.x0 && x <= h.x1 && y >= h.y0 && y <= h.y1);
    const marks = all.filter((h) => h.kind !== 'http');
    const pool = marks.length ? marks : all;
    if (pool.length === 0) return null;
    const first = pool.reduce((a, b) => (b.id < a.id ? b : a));
    return pool.length === 1 ? first : { ...first, title: `${first.title}  (+${pool.length - 1} more here: zoom in)` };
  }

  /** Screen position of the mark of event `id` (tests, and a future keyboard walk over markers). */
  markerAt(id: number, kind?: Hit['kind']): { x: number; y: number } | null {
    const h = this.#hits.find((m) => m.id === id && (kind === undefined || m.kind === kind));
    return h ? { x: (h.x0 + h.x1) / 2, y: (h.y0 + h.y1) / 2 } : null;
  }

  rowAt(y: number): Row | undefined {
    return this.rows.find((r) => y >= r.y && y < r.y + r.h);
  }

  #wire(): void {
    const cv = this.canvas;
    let drag: { mode: 'scrub' | 'pan'; x: number } | null = null;
    const threadOf = (l: Lane) => l.parent ?? l.lane;
    const at = (e: MouseEvent) => {
      const r = cv.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top] as const;
    };
    cv.addEventListener('pointerdown', (e) => {
      const [x, y] = at(e);
      cv.setPointerCapture(e.pointerId);
      if (e.shiftKey || e.button === 1) return void (drag = { mode: 'pan', x });
      const hit = this.hitAt(x, y);
      if (hit) return this.host.jump(hit.id);
      drag = { mode: 'scrub', x };
      const row = this.rowAt(y);
      if (row) this.lane = threadOf(row.lane);
      if (x >= GUTTER) this.host.scrub(this.lane, this.t(x));
      else this.redraw();
    });
    cv.addEventListener('pointermove', (e) => {
      const [x, y] = at(e);
      if (!drag) {
        const hit = this.hitAt(x, y);
        cv.title = hit?.title ?? '';
        cv.style.cursor = hit ? 'pointer' : '';
        return;
      }
      if (drag.mode === 'pan') {
        this.range.pan(((drag.x - x) / (this.width - GUTTER)) * this.range.span);
        drag.x = x;
        this.refresh();
        this.host.viewChanged();
      } else if (x >= GUTTER) this.host.scrub(this.lane, this.t(x));
    });
    const end = () => (drag = null);
    cv.addEventListener('pointerup', end);
    cv.addEventListener('pointercancel', end);
    cv.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const [x] = at(e);
        if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) this.range.pan((e.deltaX / (this.width - GUTTER)) * this.range.span);
        else this.range.zoom(Math.exp(e.deltaY * 0.002), this.t(Math.max(GUTTER, x)));
        this.refresh();
        this.host.viewChanged();
      },
      { passive: false },
    );
  }
}
