/** Playback at a chosen rate and the keyboard (DevTools keys: F10, F11, Shift+F11; with Alt, backwards). */
import { api, type MomentResponse } from './api.js';
import { $, app } from './app.js';

/** What the controls drive (main.ts). */
export interface Controls {
  go(id: number, opts?: { light?: boolean }): Promise<void>;
  step(how: 'into' | 'over' | 'out', back: boolean): Promise<boolean>;
  scrub(lane: number, v: number, axis: 'time' | 'events'): void;
  flash(msg: string): void;
  renderPanels(m: MomentResponse): void;
  saveHash(): void;
}

/** Playback: events of the playhead's thread at the chosen rate; above one per frame it skips ahead by position. */
export async function play(h: Controls): Promise<void> {
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
      if (!(await h.step('into', false))) stop();
      continue;
    }
    const lane = app.session.lanes[m.event.lane]!;
    if (m.event.pos >= lane.events - 1) {
      h.flash('end of this thread');
      stop();
      continue;
    }
    const r = await api.atPos(m.event.lane, m.event.pos + n);
    if (app.playing) await h.go(r.id, { light: rate > 60 });
  }
  if (app.moment) h.renderPanels(app.moment);
}

export function keys(h: Controls): void {
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
    if (e.key === 'F11' && e.shiftKey) void h.step('out', back);
    else if (e.key === 'F11') void h.step('into', back);
    else if (e.key === 'F10') void h.step('over', back);
    else if (e.key === 'ArrowRight') void h.step(e.shiftKey ? 'over' : 'into', false);
    else if (e.key === 'ArrowLeft') void h.step(e.shiftKey ? 'over' : 'into', true);
    else if (e.key === ' ') void play(h);
    else if (e.key === '/') $('search').focus();
    else if (e.key === '?') $('help').hidden = !$('help').hidden;
    else if (e.key === 'Home') h.scrub(app.timeline.lane, 0, 'events');
    else if (e.key === 'End') h.scrub(app.timeline.lane, Number.MAX_SAFE_INTEGER, 'events');
    else if (e.key === '0') {
      app.timeline.range.reset();
      app.timeline.refresh();
      app.flame.range.reset();
      app.flame.refresh();
      h.saveHash();
    } else done = false;
    if (done) e.preventDefault();
  });
}

