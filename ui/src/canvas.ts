/**
 * A canvas sized to its box at the device's pixel ratio, redrawn at most once per animation frame
 * and only when its key or one of its inputs (by identity) changed. What moves every frame (the
 * playhead, the current frame's outline) is not drawn: it is a few absolutely placed elements over
 * the canvas, moved by CSS transforms, which the compositor moves without repainting or uploading
 * the canvas. (Measured: a second, transparent canvas redrawn per frame cost ~7 ms a frame in
 * layer updates in software rendering; a cached canvas copied into the visible one cost a
 * snapshot per frame.)
 */
export const perf = { draws: [] as number[], baseDraws: 0 };

export abstract class CanvasView {
  readonly ctx: CanvasRenderingContext2D;
  readonly overlay = document.createElement('div');
  readonly #marks = new Map<string, HTMLElement>();
  width = 0;
  height = 0;
  #queued = false;
  #key = '';
  #deps: unknown[] = [];

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { alpha: false })!;
    const box = document.createElement('div');
    box.className = 'canvas-box';
    canvas.replaceWith(box);
    this.overlay.className = 'overlay';
    box.append(canvas, this.overlay);
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
    this.#key = '';
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
      const key = this.baseKey();
      const deps = this.baseDeps();
      if (key !== this.#key || deps.length !== this.#deps.length || deps.some((d, i) => d !== this.#deps[i])) {
        this.drawBase(this.ctx);
        this.#key = key;
        this.#deps = deps;
        perf.baseDraws++;
      }
      this.placeOverlay();
      perf.draws.push(performance.now() - t0);
      if (perf.draws.length > 5000) perf.draws.splice(0, 1000);
    });
  }

  /** What the base layer depends on besides `baseDeps` (view, size, selection), as a string. */
  protected abstract baseKey(): string;
  protected abstract baseDeps(): unknown[];
  protected abstract drawBase(c: CanvasRenderingContext2D): void;
  /** Moves the overlay's elements (see `mark`). */
  protected abstract placeOverlay(): void;

  /** An overlay element of class `cls`, at x, y (CSS px) and w × h, or hidden when x is null. */
  protected mark(cls: string, x: number | null, y = 0, w?: number, h?: number): void {
    let e = this.#marks.get(cls);
    if (!e) {
      e = document.createElement('div');
      e.className = cls;
      this.overlay.append(e);
      this.#marks.set(cls, e);
    }
    if (x === null || !Number.isFinite(x)) {
      e.style.display = 'none';
      return;
    }
    e.style.display = '';
    e.style.transform = `translate(${x}px, ${y}px)`;
    if (w !== undefined) e.style.width = `${w}px`;
    if (h !== undefined) e.style.height = `${h}px`;
  }
}

/** Rectangles grouped by fill colour, filled with one path per colour (one style change each). */
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
      c.beginPath();
      for (let i = 0; i < r.length; i += 4) c.rect(r[i]!, r[i + 1]!, r[i + 2]!, r[i + 3]!);
      c.fill();
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
