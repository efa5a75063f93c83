/** A canvas sized to its box at the device's pixel ratio, redrawn at most once per animation frame. */
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
      this.draw();
      perf.draws.push(performance.now() - t0);
      if (perf.draws.length > 5000) perf.draws.splice(0, 1000);
    });
  }

  protected abstract draw(): void;
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

/**
 * A cached drawing: redrawn only when its key (view, size, selection) or one of its inputs (by
 * identity) changed, else copied as one bitmap. What moves every frame (a playhead) goes on top.
 */
export class Layer {
  readonly #canvas = document.createElement('canvas');
  readonly #ctx = this.#canvas.getContext('2d', { alpha: false })!;
  #key = '';
  #deps: unknown[] = [];
  redraws = 0;

  draw(target: CanvasRenderingContext2D, w: number, h: number, key: string, deps: unknown[], render: (c: CanvasRenderingContext2D) => void): void {
    const dpr = window.devicePixelRatio || 1;
    if (key !== this.#key || deps.length !== this.#deps.length || deps.some((d, i) => d !== this.#deps[i])) {
      if (this.#canvas.width !== w * dpr || this.#canvas.height !== h * dpr) {
        this.#canvas.width = w * dpr;
        this.#canvas.height = h * dpr;
      }
      this.#ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      render(this.#ctx);
      this.#key = key;
      this.#deps = deps;
      this.redraws++;
    }
    target.drawImage(this.#canvas, 0, 0, w, h);
  }
}

export function colorOf(name: string, flags = 0): string {
  if (flags & 1) return '#d9534f';
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  const hue = 20 + (h % 200);
  return `hsl(${hue} ${flags & 2 ? 35 : 55}% ${flags & 2 ? 62 : 56}%)`;
}

export function niceStep(span: number, px: number, minPx = 90): number {
  const raw = (span / px) * minPx;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (p * m >= raw) return p * m;
  return p * 10;
}
