/**
 * What an editor sees while stopped: stack frames, scopes, variables, expressions and sources.
 * Frame and variable references are handed out per stop and forgotten at the next one (as DAP
 * allows); source references (for files that changed on disk since they were recorded) last for
 * the session.
 */
import { Handles, Scope, Source, StackFrame } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import path from 'node:path';
import type { Value } from '../recording/value-reader.js';
import { activationOf, frameOf, type Frame } from '../query/stack.js';
import { evaluate } from './evaluate.js';
import type { Replay } from './replay.js';
import { diskPath } from '../recording/sources.js';
import { scopesAt, type Named } from './scopes.js';
import { childrenOf, preview, resolveRef, typeOf } from './values.js';

type FrameRef = { row: number; frame: Frame; top: boolean };
type VarRef = { row: number; named: Named } | { row: number; value: Value };

export class Inspector {
  #frames = new Handles<FrameRef>();
  #vars = new Handles<VarRef>();
  readonly #sourceRefs = new Map<string, number>();
  readonly #sourceFiles = new Map<number, string>();

  constructor(readonly replay: Replay) {}

  /** A new stop: earlier frame and variable references mean nothing now. */
  reset(): void {
    this.#frames.reset();
    this.#vars.reset();
  }

  stackTrace(row: number, args: DebugProtocol.StackTraceArguments): DebugProtocol.StackTraceResponse['body'] {
    const r = this.replay;
    const all = r.frames(row);
    const start = Math.max(0, args.startFrame ?? 0);
    const frames = all.slice(start, args.levels ? start + args.levels : undefined).map((f, i) => {
      const top = start + i === 0;
      const place = top ? r.place(row) : undefined;
      const file = place?.file ?? f.file;
      const sf = new StackFrame(this.#frames.create({ row, frame: f, top }), `${f.name}${f.resumed ? ' (resumed)' : ''}`, file ? this.source(file) : undefined, place?.line ?? f.line ?? 0, (place?.column ?? f.column ?? 0) + 1);
      if (f.async) sf.presentationHint = 'label';
      return sf;
    });
    return { stackFrames: frames, totalFrames: all.length };
  }

  /** The editor's view of a recorded file: the file on disk when unchanged, else the recording's copy by reference. */
  source(file: string): Source {
    const s = this.replay.source(file);
    if (s.path) return new Source(path.basename(s.path), s.path);
    let ref = this.#sourceRefs.get(file);
    if (ref === undefined) {
      ref = this.#sourceRefs.size + 1;
      this.#sourceRefs.set(file, ref);
      this.#sourceFiles.set(ref, file);
    }
    return new Source(path.basename(diskPath(file)), undefined, ref, 'recorded copy');
  }

  fileOf(sourceReference: number | undefined): string | undefined {
    return sourceReference === undefined ? undefined : this.#sourceFiles.get(sourceReference);
  }

  sourceText(args: DebugProtocol.SourceArguments): DebugProtocol.SourceResponse['body'] {
    const file = this.fileOf(args.source?.sourceReference ?? args.sourceReference) ?? args.source?.path;
    const text = file === undefined ? null : this.replay.source(file).text;
    if (text === null) throw new Error(`no recorded source for ${file ?? `reference ${args.sourceReference}`}`);
    return { content: text, mimeType: 'text/javascript' };
  }

  #frame(frameId: number): FrameRef {
    const f = this.#frames.get(frameId);
    if (!f) throw new Error(`no frame ${frameId} (frames change at every stop: ask stackTrace again)`);
    return f;
  }

  scopes(frameId: number): DebugProtocol.ScopesResponse['body'] {
    const { row, frame, top } = this.#frame(frameId);
    const s = scopesAt(this.replay, row, frame, top);
    const scope = (name: string, named: Named, hint?: string) => Object.assign(new Scope(name, named.length ? this.#vars.create({ row, named }) : 0, false), hint ? { presentationHint: hint } : {});
    const scopes = [scope('Arguments', s.arguments, 'arguments')];
    if (top) scopes.push(scope('Event', s.event));
    scopes.push(scope('Module and closure variables', s.bindings));
    return { scopes };
  }

  variables(args: DebugProtocol.VariablesArguments): DebugProtocol.VariablesResponse['body'] {
    const ref = this.#vars.get(args.variablesReference);
    if (!ref) throw new Error(`no variables reference ${args.variablesReference} (references change at every stop)`);
    const items = 'named' in ref ? ref.named : childrenOf(ref.value);
    const start = Math.max(0, args.start ?? 0);
    return { variables: items.slice(start, args.count ? start + args.count : undefined).map(([name, v]) => this.#variable(name, v, ref.row)) };
  }

  #variable(name: string, raw: Value, row: number): DebugProtocol.Variable {
    const v = resolveRef(this.replay.index, row, raw);
    const kids = childrenOf(v).length;
    return { name, value: preview(v), type: typeOf(v), variablesReference: kids ? this.#vars.create({ row, value: v }) : 0, ...(kids > 100 ? { indexedVariables: kids } : {}) };
  }

  /**
   * The names an expression can use at `row`: a frame's arguments, the event's value, the file's
   * bindings (the top frame's when none is named). With `only`, bindings are looked up for those
   * names alone: a breakpoint condition runs at every hit.
   */
  namesAt(row: number, frameId?: number, only?: Set<string>): Named {
    const f = frameId !== undefined ? this.#frame(frameId) : { row, frame: this.#topFrame(row), top: true };
    if (!f.frame) return [];
    const s = scopesAt(this.replay, f.row, f.frame, f.top, only);
    return [...s.arguments, ...s.event, ...s.bindings];
  }

  /** The innermost frame at `row` (what stackAt would put first), without the rest of the stack. */
  #topFrame(row: number): Frame | undefined {
    const idx = this.replay.index;
    const a = activationOf(idx, row);
    const call = a >= 0 ? idx.callOf(a) : -1;
    return call >= 0 ? frameOf(idx, call) : undefined;
  }

  evaluate(expression: string, row: number, frameId?: number): DebugProtocol.EvaluateResponse['body'] {
    const at = frameId !== undefined ? this.#frame(frameId).row : row;
    const result = evaluate(expression, this.namesAt(at, frameId), (v) => resolveRef(this.replay.index, at, v));
    if ('text' in result) return { result: result.text, variablesReference: 0 };
    const v = this.#variable(expression, result.value, at);
    return { result: v.value, type: v.type ?? '', variablesReference: v.variablesReference };
  }

  /** An expression's value as one line of text (log points); failures become the text. */
  show(expression: string, row: number): string {
    try {
      return this.evaluate(expression, row).result;
    } catch (e) {
      return `<${(e as Error).message}>`;
    }
  }
}
