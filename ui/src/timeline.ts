/** The timeline: a lane per process and thread, drawn from the server's level-of-detail buckets. */
import { api, type LodResponse, type SessionInfo } from './api.js';
import { CanvasView, Fetcher, Range, niceStep } from './canvas.js';
import { fmtUs } from './values.js';

const AXIS = 20;
const LANE = 30;
export const GUTTER = 150;

export interface TimelineHost {
  scrub(lane: number, t: number): void;
  viewChanged(): void;
}

export class Timeline extends CanvasView {
  readonly range: Range;
  lod: LodResponse | null = null;
  playhead: number | null = null;
  lane = 0;
  readonly #fetch: Fetcher<LodResponse>;

  constructor(
    canvas: HTMLCanvasElement,
    readonly session: SessionInfo,
    readonly host: TimelineHost,
  ) {
    canvas.style.height = `${AXIS + LANE * session.lanes.length + 6}px`;
    super(canvas);
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

  protected draw(): void {
    const c = this.ctx;
    const w = this.width;
    c.fillStyle = '#15171c';
    c.fillRect(0, 0, w, this.height);
    // Time axis.
    const step = niceStep(this.range.span, w - GUTTER);
    c.fillStyle = '#8a8f98';
    c.font = '11px system-ui, sans-serif';
    c.textBaseline = 'middle';
    const origin = this.session.startUs;
    for (let t = Math.ceil((this.range.from - origin) / step) * step + origin; t <= this.range.to; t += step) {
      const x = this.x(t);
      c.fillStyle = '#2a2e36';
      c.fillRect(x, AXIS, 1, this.height - AXIS);
      c.fillStyle = '#8a8f98';
      c.fillText(fmtUs(t - origin), x + 3, AXIS / 2);
    }
    this.session.lanes.forEach((lane, i) => {
      const y = AXIS + i * LANE;
      if (i === this.lane) {
        c.fillStyle = '#1f2530';
        c.fillRect(0, y, w, LANE);
      }
      c.fillStyle = i === this.lane ? '#e8eaed' : '#aab0b9';
      c.fillText(`${lane.label}`, 8, y + LANE / 2 - 5);
      c.fillStyle = '#6b717c';
      c.fillText(`${lane.events.toLocaleString()} events`, 8, y + LANE / 2 + 8);
      const data = this.lod?.lanes[i];
      if (!data || !this.lod) return;
      const bw = (this.lod.to - this.lod.from) / this.lod.px;
      let maxCount = 1;
      for (const n of data.counts) if (n > maxCount) maxCount = n;
      const logMax = Math.log1p(maxCount);
      for (let b = 0; b < data.counts.length; b++) {
        const n = data.counts[b]!;
        if (n === 0) continue;
        const x0 = this.x(this.lod.from + b * bw);
        const x1 = Math.max(x0 + 1, this.x(this.lod.from + (b + 1) * bw));
        if (x1 < GUTTER || x0 > w) continue;
        const h = Math.max(2, (Math.log1p(n) / logMax) * (LANE - 8));
        const d = Math.min(1, data.depth[b]! / Math.max(1, lane.maxDepth));
        c.fillStyle = `hsl(${210 - d * 170} 60% ${45 + d * 10}%)`;
        c.fillRect(Math.max(GUTTER, x0), y + LANE - 3 - h, x1 - Math.max(GUTTER, x0), h);
      }
      c.fillStyle = '#ff5c5c';
      for (const b of data.errors) {
        const x = this.x(this.lod.from + (b + 0.5) * bw);
        if (x < GUTTER) continue;
        c.beginPath();
        c.moveTo(x - 4, y + 2);
        c.lineTo(x + 4, y + 2);
        c.lineTo(x, y + 9);
        c.fill();
      }
    });
    c.fillStyle = '#3a3f4a';
    c.fillRect(GUTTER - 1, AXIS, 1, this.height - AXIS);
    if (this.playhead !== null) {
      const x = this.x(this.playhead);
      if (x >= GUTTER && x <= w) {
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

  #wire(): void {
    const cv = this.canvas;
    let drag: { mode: 'scrub' | 'pan'; x: number } | null = null;
    const laneAt = (y: number) => Math.max(0, Math.min(this.session.lanes.length - 1, Math.floor((y - AXIS) / LANE)));
    cv.addEventListener('pointerdown', (e) => {
      const r = cv.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      cv.setPointerCapture(e.pointerId);
      if (e.shiftKey || e.button === 1) drag = { mode: 'pan', x };
      else {
        drag = { mode: 'scrub', x };
        if (y >= AXIS) this.lane = laneAt(y);
        if (x >= GUTTER) this.host.scrub(this.lane, this.t(x));
        else this.redraw();
      }
    });
    cv.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const x = e.clientX - cv.getBoundingClientRect().left;
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
        const x = e.clientX - cv.getBoundingClientRect().left;
        if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) this.range.pan((e.deltaX / (this.width - GUTTER)) * this.range.span);
        else this.range.zoom(Math.exp(e.deltaY * 0.002), this.t(Math.max(GUTTER, x)));
        this.refresh();
        this.host.viewChanged();
      },
      { passive: false },
    );
  }
}
