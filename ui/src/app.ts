/** The app's state, shared by the playhead logic (main.ts) and the panels (panels.ts). */
import type { MomentResponse, SessionInfo, SourceResponse } from './api.js';
import type { Flame } from './flame.js';
import type { Timeline } from './timeline.js';

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export interface App {
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

export let app: App;
export function setApp(a: App): void {
  app = a;
}

/** What the panels call back into (set by main.ts: moving the playhead, keeping the address). */
export const nav = {
  go: (_id: number): Promise<void> => Promise.resolve(),
  saveHash: (): void => {},
};

export const short = (f: string) => f.split('/').slice(-2).join('/');
