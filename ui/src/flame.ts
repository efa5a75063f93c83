/** The flame chart of one lane: call spans at least a pixel wide, on the time or the event axis. */
import { api, type FlameResponse, type Lane } from './api.js';
import { CanvasView, Fetcher, Range, RectBatch, colorOf, niceStep } from './canvas.js';
import { fmtUs } from './values.js';

const AXIS = 18;
const ROW = 18;

export interface FlameHost {
  pick(callRow: number): void;
  scrubPos(lane: number, x: number, axis: 'time' | 'events'): void;
  viewChanged(): void;
}

export class Flame extends CanvasView {
  axis: 'time' | 'events' = 'events';
  lane!: Lane;
  range = new Range(0, 1, 0, 1);
  data: FlameResponse | null = null;
  /** Playhead on this chart's axis. */
  playhead: number | null = null;
  /** The call row of the frame the playhead is in (outlined). */
  current = -1;
  startUs = 0;
  top = 0;
  readonly #fetch: Fetcher<FlameResponse>;

  constructor(
    canvas: HTMLCanvasElement,
    readonly host: FlameHost,
  ) {
    super(canvas);
    this.#fetch = new Fetcher(
      () => api.flame(this.lane.lane, this.range.from, this.range.to, Math.max(1, Math.min(8192, Math.floor(this.width))), this.axis),
      (r) => {
        this.data = r;
        this.redraw();
      },
    );
    this.#wire();
  }

  show(lane: Lane, axis: 'time' | 'events', from?: number, to?: number): void {
    const changed = this.lane?.lane !== lane.lane || this.axis !== axis;
    this.lane = lane;
    this.axis = axis;
    if (changed || from !== undefined) {
      this.range = axis === 'time' ? new Range(lane.startUs, lane.endUs, lane.startUs, lane.endUs) : new Range(0, lane.events, 0, lane.events);
      if (from !== undefined && to !== undefined && to > from) this.range.set(from, to);
      else this.range.reset();
      this.data = null;
      this.top = 0;
    }
    this.refresh();
  }

  refresh(): void {
    if (!this.lane) return;
    this.#fetch.request();
    this.redraw();
  }

  protected override onResize(): void {
    if (this.lane) this.refresh();
  }

  x(v: number): number {
    return ((v - this.range.from) / this.range.span) * this.width;
  }

  v(x: number): number {
    return this.range.from + (x / this.width) * this.range.span;
  }

  /** Keeps the playhead in view, panning when it leaves it. */
  follow(): void {
    if (this.playhead === null) return;
    const margin = this.range.span * 0.05;
    if (this.playhead < this.range.from + margin || this.playhead > this.range.to - margin) {
      this.range.pan(this.playhead - (this.range.from + this.range.span / 2));
      this.refresh();
    }
  }

  protected drawOverlay(c: CanvasRenderingContext2D): void {
    const d = this.#shown();
    if (d && this.current >= 0) {
      // The frame the playhead is in, outlined (found again each frame: it moves without a redraw of the spans).
      const s = d.spans.find((x) => x[4] === this.current);
      if (s) {
        const x0 = Math.max(-2, this.x(s[0]));
        const x1 = Math.min(this.width + 2, this.x(s[1]));
        c.strokeStyle = '#ffd23f';
        c.lineWidth = 2;
        c.strokeRect(x0, AXIS + (s[2] - this.top) * ROW + 1, Math.max(1, x1 - x0), ROW - 2);
      }
    }
    if (this.playhead !== null) {
      const x = this.x(this.playhead);
      c.fillStyle = '#ffd23f';
      c.fillRect(x - 1, 0, 2, this.height);
    }
  }

  #shown(): FlameResponse | null {
    const d = this.data;
    return d && this.lane && d.lane === this.lane.lane && d.axis === this.axis ? d : null;
  }

  protected drawBase(c: CanvasRenderingContext2D): void {
    c.fillStyle = '#111317';
    c.fillRect(0, 0, this.width, this.height);
    if (!this.lane) return;
    c.font = '11px system-ui, sans-serif';
    c.textBaseline = 'middle';
    const step = niceStep(this.range.span, this.width);
    for (let v = Math.ceil(this.range.from / step) * step; v <= this.range.to; v += step) {
      const x = this.x(v);
      c.fillStyle = '#23262d';
      c.fillRect(x, AXIS, 1, this.height);
      c.fillStyle = '#8a8f98';
      c.fillText(this.axis === 'time' ? fmtUs(v - this.startUs) : `#${(Math.round(v) || 0).toLocaleString()}`, x + 3, AXIS / 2);
    }
    const d = this.#shown();
    if (!d) return;
    const batch = new RectBatch();
    const labels: [string, number, number, number][] = [];
    for (const [s, e, depth, name, , flags] of d.spans) {
      const y = AXIS + (depth - this.top) * ROW;
      if (y < AXIS - ROW || y > this.height) continue;
      const x0 = Math.max(-2, this.x(s));
      const x1 = Math.min(this.width + 2, this.x(e));
      if (x1 < 0 || x0 > this.width) continue;
      const w = Math.max(1, x1 - x0);
      const label = d.names[name] ?? '?';
      batch.add(colorOf(label, flags), x0, y + 1, w - (w > 3 ? 1 : 0), ROW - 2);
      if (w > 28) labels.push([label, x0, y, w]);
    }
    batch.fill(c);
    c.fillStyle = '#101114';
    for (const [label, x0, y, w] of labels) {
      c.save();
      c.beginPath();
      c.rect(x0, y, w - 2, ROW);
      c.clip();
      c.fillText(label, Math.max(x0, 0) + 3, y + ROW / 2);
      c.restore();
    }
    if (d.hidden > 0) {
      const msg = `${d.hidden.toLocaleString()} narrower calls hidden: zoom in`;
      const w = c.measureText(msg).width + 12;
      c.fillStyle = 'rgb(17 19 23 / 0.85)';
      c.fillRect(this.width - w - 4, this.height - 18, w, 16);
      c.fillStyle = '#9aa0aa';
      c.fillText(msg, this.width - w + 2, this.height - 10);
    }
  }

  spanAt(x: number, y: number): FlameResponse['spans'][number] | null {
    const d = this.data;
    if (!d) return null;
    const depth = Math.floor((y - AXIS) / ROW) + this.top;
    const v = this.v(x);
    const tol = this.range.span / this.width;
    let best: FlameResponse['spans'][number] | null = null;
    for (const s of d.spans) if (s[2] === depth && s[0] - tol <= v && v <= s[1] + tol && (!best || s[1] - s[0] < best[1] - best[0])) best = s;
    return best;
  }

  #wire(): void {
    const cv = this.canvas;
    let drag: { x: number; y: number; moved: boolean } | null = null;
    cv.addEventListener('pointerdown', (e) => {
      const r = cv.getBoundingClientRect();
      drag = { x: e.clientX - r.left, y: e.clientY - r.top, moved: false };
      cv.setPointerCapture(e.pointerId);
    });
    cv.addEventListener('pointermove', (e) => {
      const r = cv.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      if (!drag) {
        const s = this.spanAt(x, y);
        cv.title = s && this.data ? `${this.data.names[s[3]]}  ${this.axis === 'time' ? fmtUs(s[1] - s[0]) : `${s[1] - s[0]} events`}  @${s[4]}` : '';
        return;
      }
      if (Math.abs(x - drag.x) > 3 || Math.abs(y - drag.y) > 3) drag.moved = true;
      if (drag.moved) {
        this.range.pan(((drag.x - x) / this.width) * this.range.span);
        this.top = Math.max(0, this.top + Math.round((drag.y - y) / ROW));
        if (Math.round((drag.y - y) / ROW) !== 0) drag.y = y;
        drag.x = x;
        this.refresh();
        this.host.viewChanged();
      }
    });
    cv.addEventListener('pointerup', (e) => {
      if (drag && !drag.moved) {
        const r = cv.getBoundingClientRect();
        const x = e.clientX - r.left;
        const y = e.clientY - r.top;
        const s = y > AXIS ? this.spanAt(x, y) : null;
        if (s) this.host.pick(s[4]);
        else this.host.scrubPos(this.lane.lane, this.v(x), this.axis);
      }
      drag = null;
    });
    cv.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const x = e.clientX - cv.getBoundingClientRect().left;
        if (e.shiftKey) this.top = Math.max(0, this.top + Math.sign(e.deltaY));
        else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) this.range.pan((e.deltaX / this.width) * this.range.span);
        else this.range.zoom(Math.exp(e.deltaY * 0.002), this.v(x));
        this.refresh();
        this.host.viewChanged();
      },
      { passive: false },
    );
  }
}
