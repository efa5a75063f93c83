/**
 * The instrumenting walk: one iterative, type-keyed pass over the AST in source order that edits
 * function bodies, returns, awaits and yields through the edit list and collects the site table.
 *
 * Ordering rule for edits: every insertion uses `appendLeft`, openings when a node is entered and
 * closings when it is left, so text inserted at the same offset comes out in walk order, which is
 * the nesting order.
 */
import type { Edits } from './edits.js';
import { MODULE_NAME } from '../format/sites.js';
import { CHILD_KEYS } from './child-keys.js';
import { ANONYMOUS, hoistConflict, inferName, paramNames, type Node } from './names.js';
import { Kind, NODE_KINDS, UNKNOWN_KIND } from './node-kinds.js';
import { Scopes } from './scopes.js';
import { bodyHead, bodyTail, catchHead, finallyHead, finallyTail, type Exit, type Names } from './templates.js';
import { openWrite, tempDeclarations, type WriteContext, type WriteSite } from './writes.js';

/** A site before positions are resolved: offsets into the transformed source. */
export interface RawSite {
  kind: 'function' | 'await' | 'yield' | 'write' | 'delete' | 'mutate' | 'catch';
  name: string;
  start: number;
  /** Functions: offset of the body's last character. */
  end: number;
  params?: string[];
  async?: boolean;
  generator?: boolean;
  /** Writes: the target as written (`cart.total`, `count`), and whether it is a binding. */
  target?: string;
  binding?: boolean;
}

interface Frame {
  /** Site id as written in the output, or null when this function is left uninstrumented. */
  id: string | null;
  name: string;
  /** Whether `await` / `yield` inside resolve against the frame's entry token. */
  token: boolean;
  concise: boolean;
  fn: Node;
  /** This function's probes capture values / record state writes (its plan level). */
  values: boolean;
  writes: boolean;
  /** How the frame leaves (templates.ts): async frames catch and rethrow, the others only have a `finally`. */
  exit: Exit;
}

/** Where edits go: the edit list, or anything with the same `appendLeft`, `appendRight` and `overwrite`. */
export type EditSink = Pick<Edits, 'appendLeft' | 'appendRight' | 'overwrite'>;

export interface WalkState {
  code: string;
  ms: EditSink;
  names: Names;
  values: boolean;
  /** Record state writes (property writes, deletes, writes to module-level and closure bindings). */
  writes: boolean;
  /**
   * Site base; a string is an id prefix (`B+`, run-time ids: site k is written `B+k`); null writes
   * `\u0001k` placeholders that the caller replaces once the count is known.
   */
  base: number | string | null;
  sites: RawSite[];
  /** Where the module's own code starts (after hashbang and directives): a `<module>` frame opens there. */
  bodyStart?: number;
  /**
   * Per-function level (format/levels.ts: 0 off … 3 full) by qualified name and start offset;
   * `values` and `writes` cap it. Absent: every function at the module's `values`/`writes`.
   */
  level?: (name: string, start: number) => number;
}

/** The output text of the next site's id. */
function nextId(st: WalkState): string {
  const k = st.sites.length;
  return st.base === null ? `\u0001${k}` : typeof st.base === 'string' ? st.base + k : String(st.base + k);
}

const STATEMENT_LISTS = new Set(['Program', 'BlockStatement', 'StaticBlock', 'SwitchCase']);

/** Marks a stack entry as the exit of the node stored with it. */
const EXIT = { type: '#exit' };

/** Write temporaries of one `var` scope: the current nesting level and the deepest seen. */
interface Temps {
  level: number;
  max: number;
}

export function instrumentProgram(program: Node, st: WalkState): void {
  const frames: Frame[] = [];
  let moduleFrame: Frame | null = null;
  const classes: string[] = [];
  const nodes: Node[] = [program];
  const parents: Node[] = [null];
  const { ms, names } = st;
  const scopes = new Scopes();
  scopes.enterProgram(program);
  const temps: Temps[] = [{ level: 0, max: 0 }];
  /** `for await` loops under labels: where the outermost label starts. */
  const loopStarts = new Map<Node, number>();
  /**
   * Start of the last expression statement entered in a statement list (ASI hazards). A write
   * opens when the walk enters it, in source order, so a statement starting where the write does
   * is the last one entered: any entered since would lie inside it and before the write.
   */
  let statementStart = -1;
  const cx: WriteContext = {
    lead: (at) => (at === statementStart ? ';' : ''),
    code: st.code,
    ms,
    names,
    classify: (name) => scopes.classify(name),
    site(start: number, info: WriteSite) {
      const id = nextId(st);
      const frame = innermost(frames);
      st.sites.push({ kind: info.kind, name: frame ? frame.name : MODULE_NAME, start, end: start, target: info.target, binding: info.binding });
      return id;
    },
  };

  while (nodes.length > 0) {
    const node = nodes.pop();
    const parent = parents.pop();
    if (parent === EXIT) {
      leave(node, st, frames, classes, scopes, temps);
      continue;
    }
    if (typeof parent === 'string') {
      // The exit of a recorded write: `parent` is the text that closes it.
      ms.appendLeft(node.end, parent);
      temps[temps.length - 1]!.level--;
      continue;
    }
    const type: string = node.type;
    const info = NODE_KINDS.get(type) ?? UNKNOWN_KIND;
    switch (info.kind) {
      case Kind.ExpressionStatement:
        if (parent !== null && STATEMENT_LISTS.has(parent.type)) statementStart = node.start;
        break;
      case Kind.Write: {
        if (!(innermost(frames)?.writes ?? st.writes)) break;
        const t = temps[temps.length - 1]!;
        const close = openWrite(node, parent, cx, t.level);
        if (close === null) break;
        t.level++;
        if (t.level > t.max) t.max = t.level;
        nodes.push(node);
        parents.push(close);
        break;
      }
      case Kind.Function: {
        if (node.body == null) continue;
        const cls = classes.length > 0 ? classes[classes.length - 1]! : ANONYMOUS;
        scopes.enterFunction(node);
        temps.push({ level: 0, max: 0 });
        frames.push(enterFunction(node, parent, cls, st));
        nodes.push(node, node.body);
        parents.push(EXIT, node);
        const params: Node[] = node.params;
        for (let i = params.length - 1; i >= 0; i--) {
          nodes.push(params[i]);
          parents.push(node);
        }
        continue;
      }
      case Kind.Return: {
        const frame = innermost(frames);
        if (frame === null || frame.id === null || !(frame.values || frame.exit === 'finally')) break;
        const arg = node.argument;
        if (arg === null) {
          const semi = st.code.charCodeAt(node.end - 1) === 59 ? '' : ';';
          ms.appendLeft(node.start + 6, ` ${names.R}=void 0${semi}`);
          continue;
        }
        // A leading space: minified code writes `return{…}`, `return!0`, `return"x"`.
        ms.appendLeft(arg.start, ` ${names.R}=(`);
        nodes.push(node, arg);
        parents.push(EXIT, node);
        continue;
      }
      case Kind.Suspend: {
        // Top-level await: the module body becomes a `<module>` frame the awaits belong to.
        const frame = innermost(frames) ?? (type === 'AwaitExpression' ? (moduleFrame ??= openModuleFrame(program, st)) : null);
        if (frame === null || !frame.token) break;
        suspendOpen(node, parent, frame, st);
        if (node.argument === null) continue;
        nodes.push(node, node.argument);
        parents.push(EXIT, node);
        continue;
      }
      case Kind.Labeled: {
        // A `for await` under labels gets its closing block around the outermost label (`continue L` must stay valid).
        let inner = node.body;
        while (inner.type === 'LabeledStatement') inner = inner.body;
        if (inner.type === 'ForOfStatement' && inner.await && !loopStarts.has(inner)) loopStarts.set(inner, node.start);
        break;
      }
      case Kind.ForOf: {
        if (!node.await) {
          scopes.enterBlock(node);
          nodes.push(node);
          parents.push(EXIT);
          break;
        }
        const frame = innermost(frames) ?? (moduleFrame ??= openModuleFrame(program, st));
        if (frame.token) forAwaitOpen(node, loopStarts.get(node) ?? node.start, frame, st);
        scopes.enterBlock(node);
        nodes.push(node);
        parents.push(EXIT);
        break;
      }
      case Kind.Class: {
        const outer = classes.length > 0 ? classes[classes.length - 1]! : ANONYMOUS;
        classes.push(inferName(st.code, node, parent, outer));
        nodes.push(node);
        parents.push(EXIT);
        break;
      }
      case Kind.TSModule:
        if (node.declare) continue;
        break;
      case Kind.Try:
        tryOpen(node, innermost(frames), st);
        break;
      case Kind.Block:
        if (type === 'CatchClause') tryOpen(node, innermost(frames), st);
        if (!(parent !== null && parent.body === node && isFunction(parent))) {
          scopes.enterBlock(node);
          nodes.push(node);
          parents.push(EXIT);
        }
        break;
      case Kind.Transparent:
        // Names flow through parentheses and TS-only wrappers: `const f = (() => 1) as F`.
        nodes.push(node.expression);
        parents.push(parent);
        continue;
    }
    const keys = info.keys;
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = node[keys[k]!];
      if (child == null) continue;
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const c = child[i];
          if (c != null) {
            nodes.push(c);
            parents.push(node);
          }
        }
      } else if (typeof child.type === 'string') {
        nodes.push(child);
        parents.push(node);
      }
    }
  }
  if (moduleFrame !== null) st.ms.appendLeft(program.end, `\n;${names.P}.x(${moduleFrame.id});`);
  programTail(st, program, temps[0]!.max);
}

/**
 * The module body as a frame, for top-level `await`: entered where the module's code starts,
 * left at its end (a module that throws at top level leaves it open: there is no try around a
 * module body, its declarations must stay at top level).
 */
function openModuleFrame(program: Node, st: WalkState): Frame {
  const id = nextId(st);
  const at = st.bodyStart ?? 0;
  st.sites.push({ kind: 'function', name: MODULE_NAME, start: at, end: program.end, params: [], async: true, generator: false });
  st.ms.appendLeft(at, `let ${st.names.A} = 0, ${st.names.I} = ${st.names.C ?? st.names.P}.c(${id});`);
  return { id, name: MODULE_NAME, token: true, concise: false, fn: program, values: st.values, writes: st.writes, exit: 'catch' };
}


function isFunction(node: Node): boolean {
  const t = node.type;
  return t === 'FunctionDeclaration' || t === 'FunctionExpression' || t === 'ArrowFunctionExpression';
}

/** Declares the write temporaries of the program at its end (a `var` hoists). */
export function programTail(st: WalkState, program: Node, levels: number): void {
  const decl = tempDeclarations(st.names, levels);
  if (decl) st.ms.appendLeft(program.end, `\n${decl.trim()}`);
}

function leave(node: Node, st: WalkState, frames: Frame[], classes: string[], scopes: Scopes, temps: Temps[]): void {
  switch ((NODE_KINDS.get(node.type) ?? UNKNOWN_KIND).kind) {
    case Kind.ForOf:
      if (suspendIds.has(node)) forAwaitClose(node, st);
      scopes.leaveBlock();
      return;
    case Kind.Block:
      if (finalizers.has(node)) st.ms.appendLeft(node.end - 1, finallyTail(st.names));
      scopes.leaveBlock();
      return;
    case Kind.Class:
      classes.pop();
      return;
    case Kind.Return:
      st.ms.appendLeft(node.argument.end, ')');
      return;
    case Kind.Suspend: {
      // s(site, value, A, I, A = site) marks the frame suspended here (and reports a resumption the
      // frame made through a rejected await it caught itself); w(…, A = 0) clears the mark.
      const id = suspendIds.get(node)!;
      st.ms.appendLeft(node.argument.end, `,${st.names.A},${st.names.I},${st.names.A}=${id}),${st.names.A}=0)`);
      return;
    }
    default: {
      const frame = frames.pop()!;
      scopes.leaveFunction();
      const decl = tempDeclarations(st.names, temps.pop()!.max);
      const body = frame.fn.body;
      const at = frame.concise ? body.end : body.end - 1;
      if (frame.id === null) {
        if (decl) st.ms.appendLeft(at, decl);
        return;
      }
      st.ms.appendLeft(at, bodyTail(st.names, frame.id, frame.values, frame.concise, decl, frame.token, frame.exit));
    }
  }
}

/** Where a function "starts" for a person: the method/accessor head, after any decorators. */
function functionStart(node: Node, parent: Node, code: string): number {
  if (parent === null) return node.start;
  const t = parent.type;
  const method =
    t === 'MethodDefinition' ||
    t === 'TSAbstractMethodDefinition' ||
    (t === 'Property' && (parent.method || parent.kind !== 'init'));
  if (!method || parent.value !== node) return node.start;
  const decorators: Node[] | undefined = parent.decorators;
  if (!decorators || decorators.length === 0) return parent.start;
  let at = decorators[decorators.length - 1].end;
  while (at < code.length && /\s/.test(code[at]!)) at++;
  return at;
}

function enterFunction(node: Node, parent: Node, cls: string, st: WalkState): Frame {
  const concise = node.body.type !== 'BlockStatement';
  const name = inferName(st.code, node, parent, cls);
  const start = functionStart(node, parent, st.code);
  const level = st.level ? st.level(name, start) : 3;
  const values = st.values && level >= 2;
  const writes = st.writes && level >= 3;
  const token = node.async === true || node.generator === true;
  const exit: Exit = node.async === true ? 'catch' : 'finally';
  if (level === 0 || (!concise && hoistConflict(node))) return { id: null, name, token: false, concise, fn: node, values, writes, exit };
  const id = nextId(st);
  const params = paramNames(node);
  st.sites.push({
    kind: 'function',
    name,
    start,
    end: node.body.end - 1,
    params,
    async: node.async === true,
    generator: node.generator === true,
  });
  let at = concise ? node.body.start : node.body.start + 1;
  let semi = false;
  if (!concise) {
    const stmts: Node[] = node.body.body;
    for (let i = 0; i < stmts.length && stmts[i].directive != null; i++) {
      at = stmts[i].end;
      semi = st.code.charCodeAt(at - 1) !== 59;
    }
  }
  st.ms.appendLeft(at, bodyHead(st.names, id, values, token, params, concise, semi, exit));
  return { id, name, token, concise, fn: node, values, writes, exit };
}

/** The function frame the walk is in, or null at module level. */
function innermost(frames: Frame[]): Frame | null {
  return frames.length > 0 ? frames[frames.length - 1]! : null;
}

/** The program's own `finally` blocks that restore the frame's `R` when they complete (finallyTail). */
const finalizers = new WeakSet<Node>();

/**
 * A `try` in a frame that leaves without a catch: its `finally` saves and resets `R` (finallyHead).
 * A catch clause records the value it receives (its binding, or one given to a clause without), in
 * frames with values and at module level. A destructuring clause keeps its pattern and body in a
 * catch of their own: `catch (E) { k(E); try { throw E } catch ({ code }) { … } }` (only
 * insertions, so edits inside the pattern stay where they are; the pattern's scope and its
 * Annex B rules are the clause's own, as a `let` copy would not keep them).
 */
function tryOpen(node: Node, frame: Frame | null, st: WalkState): void {
  if (node.type === 'TryStatement') {
    const fin = node.finalizer;
    if (fin == null || frame === null || frame.id === null || frame.exit !== 'finally') return;
    finalizers.add(fin);
    st.ms.appendLeft(fin.start + 1, finallyHead(st.names));
    return;
  }
  if (frame === null ? !st.values : frame.id === null || !frame.values) return;
  const param = node.param;
  const id = nextId(st);
  st.sites.push({ kind: 'catch', name: frame === null ? MODULE_NAME : frame.name, start: node.start, end: node.end });
  const E = st.names.E;
  const head = catchHead(st.names, id, param == null || param.type !== 'Identifier' ? E : param.name, frame !== null && frame.token);
  if (param != null && param.type !== 'Identifier') {
    st.ms.appendLeft(param.start, `${E}){${head}try{throw ${E}}catch(`);
    st.ms.appendLeft(node.body.end, '}');
    return;
  }
  if (param == null) st.ms.appendLeft(node.body.start, `(${E})`);
  st.ms.appendLeft(node.body.start + 1, head);
}

/** The site id each await/yield was given, for the text that closes it. */
const suspendIds = new WeakMap<Node, string>();

function suspendOpen(node: Node, parent: Node, frame: Frame, st: WalkState): void {
  const { P, I, A } = st.names;
  const kind = node.type === 'AwaitExpression' ? 'await' : 'yield';
  const id = nextId(st);
  suspendIds.set(node, id);
  st.sites.push({ kind, name: frame.name, start: node.start, end: node.end });
  st.ms.appendLeft(node.start, `${P}.w(${id},${I},`);
  const arg = node.argument;
  if (arg !== null) {
    // `await(x)`, `yield(x)`: the keyword must not run into our call.
    const glued = arg.start === node.start + 5;
    st.ms.appendLeft(arg.start, `${glued ? ' ' : ''}${P}.s(${id},`);
    return;
  }
  // Bare `yield`: keep ASI from gluing the next line onto our call when it ended a statement.
  const statementEnd = parent !== null && parent.type === 'ExpressionStatement' && parent.end === node.end;
  st.ms.appendLeft(node.end, ` ${P}.s(${id}, void 0, ${A}, ${I}, ${A} = ${id}), ${A} = 0)${statementEnd ? ';' : ''}`);
}

/**
 * `for await (… of X) B`: its implicit awaits (each `next()`, and `return()` on an early exit) are
 * suspensions and resumptions of the frame, like an explicit await. The frame is marked suspended
 * before the loop starts and whenever B completes (the loop then awaits `next()` or `return()`),
 * and resumed when B starts and after the loop, which a block around the loop (and its labels)
 * makes room for:
 * `{ P.s(k, void 0, A, I, A = k); for await (… of X) { A = (P.w(k, I, void 0), 0); try { B } finally { P.s(k, void 0, A, I, A = k); } } A && (P.w(A, I, void 0), A = 0); }`.
 * X stays as written (V8 prints it in "X is not async iterable"), unless it awaits or yields
 * itself: then the first suspension wraps it, `P.s(k, X, A, I, A = k)`, so it follows X's own.
 * A rejected `next()` leaves the mark set, and the frame's catch, exit or next await records it.
 */
function forAwaitOpen(node: Node, start: number, frame: Frame, st: WalkState): void {
  const { P, I, A } = st.names;
  const id = nextId(st);
  suspendIds.set(node, id);
  st.sites.push({ kind: 'await', name: frame.name, start: node.start, end: node.end });
  const suspend = `${P}.s(${id}, void 0, ${A}, ${I}, ${A} = ${id});`;
  if (suspends(node.right)) {
    wrappedRight.add(node);
    st.ms.appendLeft(start, '{ ');
    st.ms.appendLeft(node.right.start, `${P}.s(${id}, `);
  } else st.ms.appendLeft(start, `{ ${suspend} `);
  st.ms.appendLeft(node.body.start, `{ ${A} = (${P}.w(${id}, ${I}, void 0), 0); try { `);
}

const wrappedRight = new WeakSet<Node>();

function forAwaitClose(node: Node, st: WalkState): void {
  const { P, I, A } = st.names;
  const id = suspendIds.get(node)!;
  if (wrappedRight.has(node)) st.ms.appendLeft(node.right.end, `, ${A}, ${I}, ${A} = ${id})`);
  st.ms.appendLeft(node.body.end, ` } finally { ${P}.s(${id}, void 0, ${A}, ${I}, ${A} = ${id}); } }`);
  st.ms.appendLeft(node.end, ` ${A} && (${P}.w(${A}, ${I}, void 0), ${A} = 0); }`);
}

/** Whether evaluating `expr` can await or yield in the current frame (nested functions aside). */
function suspends(expr: Node): boolean {
  const stack: Node[] = [expr];
  while (stack.length > 0) {
    const n = stack.pop();
    const t: string = n.type;
    if (t === 'AwaitExpression' || t === 'YieldExpression' || (t === 'ForOfStatement' && n.await)) return true;
    if (isFunction(n)) continue;
    const keys = CHILD_KEYS.get(t);
    if (keys === undefined) continue;
    for (const k of keys) {
      const child = n[k];
      if (Array.isArray(child)) {
        for (const c of child) if (c != null) stack.push(c);
      } else if (child != null && typeof child.type === 'string') stack.push(child);
    }
  }
  return false;
}
