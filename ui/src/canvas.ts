/**
 * A canvas sized to its box at the device's pixel ratio, redrawn whole at most once per animation
 * frame: the chart (`drawBase`), then what moves with the playhead (`drawOverlay`). A cached
 * chart copied into the canvas was tried and dropped: it costs a canvas snapshot per frame, more
 * than redrawing the chart's few hundred rectangles (ADR 0013).
 */
export const perf = { draws: [] as number[] };

export abstract class CanvasView {
  readonly ctx: CanvasRenderingContext2D;
  width = 0;
  height = 0;
  #queued = false;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { alpha: false })!;
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  resize(): void {
    const r = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.width = Math.max(1, Math.floor(r.width));
    this.height = Math.max(1, Math.floor(r.height));
    this.canvas.width = this.width * dpr;
    this.canvas.height = this.height * dpr;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.onResize();
    this.redraw();
  }

  protected onResize(): void {}

  redraw(): void {
    if (this.#queued) return;
    this.#queued = true;
    requestAnimationFrame(() => {
      this.#queued = false;
      const t0 = performance.now();
      this.drawBase(this.ctx);
      this.drawOverlay(this.ctx);
      perf.draws.push(performance.now() - t0);
      if (perf.draws.length > 5000) perf.draws.splice(0, 1000);
    });
  }

  protected abstract drawBase(c: CanvasRenderingContext2D): void;
  protected abstract drawOverlay(c: CanvasRenderingContext2D): void;
}

/**
 * Rectangles grouped by fill colour: one style change per colour, then `fillRect` each (a path of
 * many rectangles filled at once rasterizes far slower: traces showed the flame chart's pan
 * costing 30 s of layer updates over 60 frames that way).
 */
export class RectBatch {
  readonly #rects = new Map<string, number[]>();

  add(color: string, x: number, y: number, w: number, h: number): void {
    let r = this.#rects.get(color);
    if (!r) this.#rects.set(color, (r = []));
    r.push(x, y, w, h);
  }

  fill(c: CanvasRenderingContext2D): void {
    for (const [color, r] of this.#rects) {
      c.fillStyle = color;
      for (let i = 0; i < r.length; i += 4) c.fillRect(r[i]!, r[i + 1]!, r[i + 2]!, r[i + 3]!);
    }
    this.#rects.clear();
  }
}

/** A [from, to) range on an axis, zoomed and panned within [min, max]. */
export class Range {
  constructor(
    public from: number,
    public to: number,
    public min: number,
    public max: number,
  ) {}

  get span(): number {
    return this.to - this.from;
  }

  set(from: number, to: number): void {
    const minSpan = Math.max(1e-3, (this.max - this.min) / 1e9);
    let span = Math.max(minSpan, Math.min(to - from, (this.max - this.min) * 1.02));
    if (!Number.isFinite(span)) span = this.max - this.min;
    let f = from;
    const pad = (this.max - this.min) * 0.01;
    f = Math.max(this.min - pad, Math.min(f, this.max + pad - span));
    this.from = f;
    this.to = f + span;
  }

  zoom(factor: number, at: number): void {
    this.set(at - (at - this.from) * factor, at + (this.to - at) * factor);
  }

  pan(delta: number): void {
    this.set(this.from + delta, this.to + delta);
  }

  reset(): void {
    const pad = (this.max - this.min) * 0.01;
    this.from = this.min - pad;
    this.to = this.max + pad;
  }
}

/**
 * Re-fetches when asked, one request at a time, and at most one every `gapMs`: a burst of asks
 * (a wheel zoom sends one per frame) becomes one request now and one for the latest view after.
 */
export class Fetcher<T> {
  #busy = false;
  #again = false;
  #last = -Infinity;
  #timer = 0;
  constructor(
    readonly load: () => Promise<T>,
    readonly done: (v: T) => void,
    readonly gapMs = 50,
  ) {}

  request(): void {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    const wait = this.#last + this.gapMs - performance.now();
    if (wait > 0) {
      if (!this.#timer) this.#timer = window.setTimeout(() => ((this.#timer = 0), this.request()), wait);
      return;
    }
    this.#busy = true;
    this.#last = performance.now();
    this.load()
      .then(this.done, (e) => console.warn(e))
      .finally(() => {
        this.#busy = false;
        if (this.#again) {
          this.#again = false;
          this.request();
        }
      });
  }

  get busy(): boolean {
    return this.#busy || this.#timer !== 0;
  }
}

const colors = new Map<string, string>();

export function colorOf(name: string, flags = 0): string {
  if (flags & 1) return '#d9534f';
  const key = `${flags & 2}${name}`;
  const hit = colors.get(key);
  if (hit) return hit;
  if (colors.size > 10_000) colors.clear();
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  const hue = 20 + (h % 200);
  const c = `hsl(${hue} ${flags & 2 ? 35 : 55}% ${flags & 2 ? 62 : 56}%)`;
  colors.set(key, c);
  return c;
}

export function niceStep(span: number, px: number, minPx = 90): number {
  const raw = (span / px) * minPx;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (p * m >= raw) return p * m;
  return p * 10;
}
