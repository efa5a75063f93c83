/** The server's JSON API, typed by the contract in src/server/api.ts (types only: no server code comes in). */
import type { AtResponse, CausesResponse, ErrorsResponse, FlameResponse, LastWriteResponse, LodResponse, MarksResponse, MomentResponse, RecordingsResponse, SearchResponse, SessionInfo, SourceResponse, StateResponse, StepResponse } from '../../src/server/api.js';

export type * from '../../src/server/api.js';

export class ApiError extends Error {}

/** The recording every call asks about (`rec=`; null: the server's default). */
let recording: string | null = null;
export function useRecording(name: string | null): void {
  recording = name;
}

async function get<T>(route: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const q = new URLSearchParams();
  if (recording !== null && route !== 'recordings') q.set('rec', recording);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const res = await fetch(`api/${route}${q.size ? `?${q}` : ''}`, { credentials: 'same-origin' });
  const body = (await res.json().catch(() => ({ error: res.statusText }))) as T & { error?: string };
  if (!res.ok) throw new ApiError(body.error ?? `HTTP ${res.status}`);
  return body;
}

export const api = {
  session: () => get<SessionInfo>('session'),
  lod: (from: number, to: number, px: number) => get<LodResponse>('lod', { from, to, px }),
  flame: (lane: number, from: number, to: number, px: number, axis: 'time' | 'events') => get<FlameResponse>('flame', { lane, from, to, px, axis }),
  moment: (id: number) => get<MomentResponse>('event', { id }),
  step: (id: number, how: 'into' | 'over' | 'out', back: boolean) => get<StepResponse>('step', { id, how, back: back ? 1 : 0 }),
  atTime: (lane: number, t: number, brief = false) => get<AtResponse>('at', { lane, t, brief: brief ? 1 : undefined }),
  atPos: (lane: number, pos: number, brief = false) => get<AtResponse>('at', { lane, pos, brief: brief ? 1 : undefined }),
  source: (id: number) => get<SourceResponse>('source', { id }),
  state: (obj: string, at: number, prev?: number) => get<StateResponse>('state', { obj, at, prev }),
  lastWrite: (obj: string, key: string, at: number) => get<LastWriteResponse>('lastwrite', { obj, key, at }),
  search: (q: string) => get<SearchResponse>('search', { q }),
  errors: () => get<ErrorsResponse>('errors'),
  causes: (id: number) => get<CausesResponse>('causes', { id }),
  marks: () => get<MarksResponse>('marks'),
  recordings: () => get<RecordingsResponse>('recordings'),
};
