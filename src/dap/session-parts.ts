/**
 * The parts of the DAP session that are plain answers: what the adapter can do, the launch
 * arguments, the goto targets of a line, and what a stopped-at exception was.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import fs from 'node:fs';
import path from 'node:path';
import { Kind } from '../format/events.js';
import { files } from '../recording/layout.js';
import { resolveRecording } from '../recording/locate.js';
import { thrownValue } from '../query/errors.js';
import { frameOf } from '../query/stack.js';
import type { Breakpoints } from './breakpoints.js';
import type { Replay } from './replay.js';
import { diskPath } from '../recording/sources.js';
import { preview } from './values.js';

export interface LaunchArgs extends DebugProtocol.LaunchRequestArguments {
  /** The recording directory (default: the one `cinema dap REC` names, else the latest under .cinema/). */
  recording?: string;
  /** Record this command first (`["node", "app.js"]`), then replay it. */
  command?: string[];
  /** More `cinema record` options for `command`. */
  recordOptions?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Stop at the first event instead of running to the first breakpoint (or the end). */
  stopOnEntry?: boolean;
}

/** At most this many goto targets are listed for a line (the ones nearest the current event). */
const MAX_TARGETS = 50;

export function capabilities(): DebugProtocol.Capabilities {
  return {
    supportsConfigurationDoneRequest: true,
    supportsStepBack: true,
    supportsConditionalBreakpoints: true,
    supportsFunctionBreakpoints: true,
    supportsLogPoints: true,
    supportsGotoTargetsRequest: true,
    supportsEvaluateForHovers: true,
    supportsExceptionInfoRequest: true,
    supportsTerminateRequest: true,
    supportsDelayedStackTraceLoading: true,
    exceptionBreakpointFilters: [
      { filter: 'uncaught', label: 'Uncaught exceptions', description: 'where an error that ended the program or rejected an async function was thrown', default: true },
      { filter: 'all', label: 'All thrown exceptions', description: 'where each recorded exception was first thrown, caught or not', default: false },
    ],
  };
}

export function resolveRecordingArg(named: unknown, cwd: string): string {
  if (named !== undefined && typeof named !== 'string') throw new Error("'recording' must be a path to a recording directory");
  const dir = path.resolve(cwd, resolveRecording(named || undefined, cwd));
  if (!fs.existsSync(path.join(dir, files.manifest))) throw new Error(`${dir} is not a recording (it has no ${files.manifest}); record one with: cinema record -- node app.js`);
  return dir;
}

/** The recorded events shown at `file:line`, nearest to the current event first, as goto targets (id = event id). */
export function gotoTargets(r: Replay, file: string, line: number, near: number): DebugProtocol.GotoTarget[] {
  const idx = r.index;
  const rows: number[] = [];
  for (const c of idx.chunks) {
    const sites = idx.rec.processes[c.proc]?.sites();
    const want = new Set<number>();
    for (const s of sites?.values() ?? []) if (diskPath(s.file) === file && line >= s.line && line <= (s.kind === 'function' ? (s.endLine ?? s.line) : s.line)) want.add(s.id);
    if (want.size === 0 || c.rows === 0) continue;
    const site = idx.col.site.range(c.firstRow, c.rows);
    for (let i = 0; i < c.rows; i++) if (want.has(site[i]!) && r.place(c.firstRow + i)?.line === line) rows.push(c.firstRow + i);
  }
  rows.sort((a, b) => Math.abs(a - near) - Math.abs(b - near));
  return rows
    .slice(0, MAX_TARGETS)
    .sort((a, b) => a - b)
    .map((row) => {
      const e = idx.event(row);
      const call = idx.callOf(idx.kind(row) === Kind.CALL || idx.kind(row) === Kind.RESUME ? row : idx.col.parent.get(row));
      const args = call >= 0 ? frameOf(idx, call).args : undefined;
      return { id: row, label: `#${row} ${e.kind} ${e.name ?? ''}${args !== undefined ? ` ${preview(args)}` : ''}${row === near ? ' (here)' : ''}`, line };
    });
}

export function exceptionInfo(r: Replay, row: number, bps: Breakpoints): DebugProtocol.ExceptionInfoResponse['body'] {
  const k = r.index.kind(row);
  const end = bps.errorEnd(row) ?? (k === Kind.ERROR ? 'uncaught' : k === Kind.THROW ? 'unknown' : undefined);
  // A catch event is an exception when the errors listing has it (its throw is no event).
  if (end === undefined) throw new Error(`event #${row} is not an exception`);
  const v = thrownValue(r.index, row);
  const err = v && typeof v === 'object' && v.type === 'error' ? v : null;
  return {
    exceptionId: err?.name ?? 'exception',
    description: `${err ? err.message : v === undefined ? '(value not recorded)' : preview(v)} (${end})`,
    breakMode: end === 'caught' ? 'always' : 'unhandled',
    details: { message: err?.message ?? (v === undefined ? '' : preview(v)), typeName: err?.name ?? '', ...(err?.stack ? { stackTrace: err.stack } : {}) },
  };
}
