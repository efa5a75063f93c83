/**
 * The contract between `cinema ui`'s server and the web app in ui/: the JSON each endpoint
 * returns. The ui imports these as types only (`import type`), so it never pulls server code in.
 *
 * Times on the wire are "global µs": microseconds since the earliest process of the recording
 * started, so lanes of different processes share one time axis. Events are named by their row id
 * in the index (the `@N` of `cinema query`); a moment of the run is an event id.
 *
 * A server can show several recordings (GET /api/recordings): every other endpoint takes
 * `rec=NAME` (a recording's directory name, as the MCP server's links name it); without it, the
 * recording the server was started on.
 *
 * Every request needs the session token (cookie `cinema_token`, set when the URL printed by
 * `cinema ui` is opened, or header `x-cinema-token`). All endpoints are GET.
 */
import type { Value } from '../recording/value-reader.js';

export type { Value };

/** GET /api/session */
export interface SessionInfo {
  recording: { name: string; command: string[]; complete: boolean; mode: string; startedAt: number };
  /** Total events (rows of the index). */
  events: number;
  /** Global µs range of the run. */
  startUs: number;
  endUs: number;
  lanes: Lane[];
  /** Event kind code → name (src/format/events.ts). */
  kinds: Record<number, string>;
  /** Processes, their parents and commands (for the causal view's process links). */
  processes: { pid: number; parentPid: number | null; argv: string[]; threads: number[] }[];
}

/**
 * A horizontal lane of the timeline: one thread of one process; for recordings made with
 * --causality also one per busy async context of a thread (`async`) and the thread's HTTP
 * exchanges (`http`), both with `parent`: their thread's lane. Flame charts, scrubbing and
 * stepping use the thread lane.
 */
export interface Lane {
  /** Lane number, used by /api/lod and /api/flame. */
  lane: number;
  kind: 'thread' | 'async' | 'http';
  parent?: number;
  /** The root async resource of an `async` lane (absent for the lane of the remaining contexts). */
  asyncId?: number;
  pid: number;
  thread: number;
  label: string;
  events: number;
  startUs: number;
  endUs: number;
  /** Deepest stack seen in this lane (rows of the flame chart). */
  maxDepth: number;
}

/**
 * GET /api/lod?from=US&to=US&px=N — level-of-detail summary of every lane for the visible range
 * cut into `px` buckets: what the timeline draws, sized by pixels, not by events.
 */
export interface LodResponse {
  from: number;
  to: number;
  px: number;
  lanes: {
    lane: number;
    /** Events per bucket. */
    counts: number[];
    /** Deepest stack per bucket (0: idle). */
    depth: number[];
    /** Buckets that hold a throw or an uncaught error. */
    errors: number[];
  }[];
}

/**
 * GET /api/flame?lane=N&from=X&to=X&px=N[&axis=time|events] — call spans at least a pixel wide in
 * the range. On the `events` axis x is the event number in the lane (every event one unit wide:
 * readable when the clock's resolution makes many calls share a timestamp).
 */
export interface FlameResponse {
  lane: number;
  from: number;
  to: number;
  axis: 'time' | 'events';
  /** Span names (functions), referenced by index from `spans`. */
  names: string[];
  /** [start, end (µs or event numbers), depth, nameIndex, callRow, flags] per span; flags: 1 threw, 2 resumed (async activation), 4 still running. */
  spans: [number, number, number, number, number, number][];
  /** Spans dropped because they were narrower than a pixel. */
  hidden: number;
}

export interface EventInfo {
  id: number;
  pid: number;
  thread: number;
  lane: number;
  kind: string;
  /** Global µs. */
  timeUs: number;
  /** Event number in its lane (the `events` axis). */
  pos: number;
  seq: number;
  site: number;
  name?: string;
  file?: string;
  line?: number;
  column?: number;
  value?: Value;
  /** For write/delete/mutate sites: the target as written (`this.total`). */
  target?: string;
}

export interface FrameInfo {
  call: number;
  name: string;
  file?: string;
  line?: number;
  params?: string[];
  args?: Value;
  resumed?: boolean;
  async?: boolean;
}

/** GET /api/event?id=N — the moment: the event, its stack with arguments, what to show in the source view. */
export interface MomentResponse {
  event: EventInfo;
  frames: FrameInfo[];
  /** Objects to offer in the state view: captured at this moment's frames and event, with where they came from. */
  objects: { spec: string; label: string }[];
  /** The line of the source to highlight: the event's own line, else its function's. */
  source?: { file: string; line: number };
  /** Previous and next event of the same thread (-1: none). */
  prev: number;
  next: number;
}

/** GET /api/step?id=N&how=into|over|out&back=0|1 */
export interface StepResponse {
  from: number;
  /** The event stepped to, or -1 when there is nowhere to go (start or end of the thread). */
  to: number;
}

/** GET /api/at?lane=N&t=US, or ?lane=N&pos=P — the last event of a lane at or before a time, or at an event number (scrubbing). */
export interface AtResponse {
  id: number;
  /** With `brief=1`: the event (without its value) and the call of the frame it is in (-1: top level), enough to move a playhead while scrubbing. */
  event?: EventInfo;
  call?: number;
}

/** GET /api/source?id=N (the event's file) or ?pid=P&file=F (only files named in the site tables). */
export interface SourceResponse {
  file: string;
  text: string | null;
  /** Lines of functions that were instrumented (for the gutter). */
  functionLines: number[];
}

/** GET /api/state?obj=PID/THREAD/ID&at=N[&prev=M] — an object as it was just after event N. */
export interface StateResponse {
  spec: string;
  at: number;
  seen: boolean;
  state?: Value;
  partial?: boolean;
  /** Keys with the event of the write that gave each its value (the "who wrote this" targets). */
  writers: Record<string, number>;
  /** Keys whose value differs from the state at `prev` (the last step), with the value before. */
  changed: { key: string; before?: Value; deleted?: boolean; added?: boolean }[];
}

/** GET /api/lastwrite?obj=SPEC&key=K&at=N — the write that gave OBJ.KEY its value at event N. */
export interface LastWriteResponse {
  /** Event id of the write, -1 when the value came from the first snapshot (then `snapshot` is its event). */
  write: number;
  snapshot?: number;
  history: { id: number; timeUs: number; value?: Value; op: string; writer?: string; line?: number }[];
}

/** GET /api/search?q=TEXT — functions whose name contains TEXT, and captured values that match. */
export interface SearchResponse {
  functions: { name: string; pid: number; file: string; line: number; calls: number; first: number }[];
  values: { id: number; path: string; match: Value; event: EventInfo }[];
}

/** GET /api/errors */
export interface ErrorsResponse {
  errors: { id: number; kind: string; end: string; message: string; where?: string; timeUs: number; caughtBy?: string }[];
}

/**
 * GET /api/causes?id=N — the causal graph around an event: nodes and typed edges from cause to
 * effect. Today: `call` (caller → callee), `resume` (the call that suspended → its resumption),
 * `event` (an activation → an event in it). Other kinds (async-init, message, http, process)
 * appear as the recording carries them; the ui draws any edge kind it is given.
 */
export interface CausesResponse {
  focus: number;
  nodes: { id: number; label: string; kind: string; pid: number; thread: number; timeUs: number }[];
  edges: { from: number; to: number; kind: string }[];
}

/** One HTTP exchange (request phase to response or error) seen by one thread. */
export interface HttpSpan {
  /** The `http` lane it is drawn in. */
  lane: number;
  pid: number;
  /** `in`: a request this process served; `out`: one it sent. */
  dir: 'in' | 'out';
  method: string;
  url: string;
  /** The capture's exchange id in its process: what a handler's `request #N` / `response #N` value names. */
  exchange?: number;
  status?: number;
  route?: string;
  error?: string;
  startUs: number;
  endUs: number;
  /** Event ids of the request phase and of the response or error (-1: none recorded). */
  request: number;
  end: number;
  /** No response was recorded (the span runs to the end of the thread). */
  open?: boolean;
}

/**
 * GET /api/marks — what the timeline marks: HTTP exchanges as spans, errors and insights
 * (src/insight) as markers at their event; each jumps to its moment.
 */
export interface MarksResponse {
  http: HttpSpan[];
  errors: { id: number; lane: number; timeUs: number; message: string }[];
  insights: { id: number; lane: number; timeUs: number; kind: string; severity: 'high' | 'medium' | 'low'; title: string }[];
  /** A detector that failed, or a note that threads were cut to the detectors' row limit. */
  notes: string[];
  /** The detectors are still running (in the background): ask again for `insights`. */
  pending?: boolean;
}

/** GET /api/recordings — the recordings this server can show; API calls pick one with `rec=NAME`. */
export interface RecordingsResponse {
  /** The recording shown when `rec` is not given. */
  default: string;
  recordings: { name: string; command: string[]; startedAt: number; complete: boolean }[];
}

export interface ApiError {
  error: string;
}
