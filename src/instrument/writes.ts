/**
 * State writes: property assignments, `delete`, and assignments to bindings that outlive the
 * call (module-level, closure, global) become calls to write probes, without evaluating any
 * operand twice and without moving code across lines:
 *
 *   a.b op= E   →  (W = a, P.pw(S, W, "b", W.b op= E))
 *   a[k] op= E  →  (W = a, K = k, P.pw(S, W, K, W[K] op= E))
 *   a.#p = E    →  (W = a, P.pp(S, W, "#p", W.#p = E))      a.#p++ → (… P.pp(S, W, "#p", W.#p++, 1))
 *   delete a.b  →  (W = a, P.pd(S, W, "b", delete W.b))
 *   x op= E     →  P.bw(S, x op= E)          ++x → P.bw(S, ++x)
 *   x++ (value unused) → (x++, P.bw(S, x))   x++ (used) → (W = x++, P.bw(S, x), W)
 *   a.push(…)   →  (W = a, P.mu(S, W, "push", W.push(…)))   (Map/Set/array mutators, by name)
 *
 * The probes record the state after the write and return the expression's own value. W and K
 * are `var` temporaries of the enclosing function (or module), one pair per nesting level: every
 * use reads them before the right-hand side runs, so re-entrant code cannot disturb them.
 */
import type { Names } from './templates.js';
import { targetName, type Node } from './names.js';
import type { BindingKind } from './scopes.js';

export interface WriteEdits {
  appendLeft(at: number, text: string): unknown;
  /** After every appendLeft at the same offset: the text that joins a receiver to its use must follow the receiver's own closing text. */
  appendRight(at: number, text: string): unknown;
  overwrite(start: number, end: number, text: string): unknown;
}

/** Methods that change a Map, Set or array; the probe checks the receiver's type at run time. */
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear']);

export interface WriteSite {
  kind: 'write' | 'delete' | 'mutate';
  target: string;
  binding: boolean;
}

/** What a write needs from the walk: where to edit, names, a site id and a temporary level. */
export interface WriteContext {
  code: string;
  ms: WriteEdits;
  names: Names;
  /** Registers a write site at `start` and returns its id text. */
  site(start: number, info: WriteSite): string;
  classify(name: string): BindingKind;
  /**
   * `;` when `at` starts a statement that follows another in a statement list: an opening `(`
   * there would join the previous line when it has no semicolon (`var c = "x"\n(W = exports…`).
   */
  lead(at: number): string;
}

const temp = (n: Names, kind: 'W' | 'K', level: number) => `${n.P}${kind}${level}`;

/** `var` declarations for the temporaries of `levels` nesting levels. */
export function tempDeclarations(n: Names, levels: number): string {
  if (levels === 0) return '';
  // V holds the old value of a binding's postfix update (`x++` whose value is used).
  const names: string[] = [`${n.P}V`];
  for (let i = 0; i < levels; i++) names.push(temp(n, 'W', i), temp(n, 'K', i));
  // The `;` ends whatever statement stood before without one (`return a` before the brace).
  return `;var ${names.join(',')};`;
}

/**
 * Rewrites one write if it is one we record; returns the text to append at the node's end (or
 * null when the node is left alone). `level` is the nesting level of writes at this point.
 */
export function openWrite(node: Node, parent: Node, cx: WriteContext, level: number): string | null {
  switch (node.type) {
    case 'AssignmentExpression':
      if (node.left.type === 'Identifier') return binding(node, node.left, cx, false, parent);
      if (node.left.type === 'MemberExpression') return member(node, node.left, cx, level, null);
      return null;
    case 'UpdateExpression':
      if (node.argument.type === 'Identifier') return binding(node, node.argument, cx, true, parent);
      if (node.argument.type === 'MemberExpression') return member(node, node.argument, cx, level, node.prefix ? node.operator : null);
      return null;
    case 'UnaryExpression':
      if (node.operator === 'delete' && node.argument.type === 'MemberExpression') return member(node, node.argument, cx, level, 'delete ');
      return null;
    case 'CallExpression':
      return mutatingCall(node, cx, level);
    default:
      return null;
  }
}

function binding(node: Node, id: Node, cx: WriteContext, update: boolean, parent: Node): string | null {
  const kind = cx.classify(id.name);
  if (kind === 'local') return null;
  const { P } = cx.names;
  const s = cx.site(node.start, { kind: 'write', target: id.name, binding: true });
  if (!update || node.prefix) {
    cx.ms.appendLeft(node.start, `${P}.bw(${s},`);
    return ')';
  }
  const unused = parent !== null && (parent.type === 'ExpressionStatement' || (parent.type === 'ForStatement' && parent.update === node));
  if (unused) {
    cx.ms.appendLeft(node.start, `${cx.lead(node.start)}(`);
    return `,${P}.bw(${s},${id.name}))`;
  }
  // The expression's value is the old one: keep it aside while we record the new one.
  const W = `${P}V`;
  cx.ms.appendLeft(node.start, `${cx.lead(node.start)}(${W}=`);
  return `,${P}.bw(${s},${id.name}),${W})`;
}

/**
 * A property write. `moved` is the operator text that stood before the member expression
 * (`++`, `--`, `delete `), which has to follow the temporaries instead.
 */
function member(node: Node, m: Node, cx: WriteContext, level: number, moved: string | null): string | null {
  if (m.object.type === 'Super' || m.optional) return null;
  const { P } = cx.names;
  const W = temp(cx.names, 'W', level);
  const K = temp(cx.names, 'K', level);
  const isDelete = moved === 'delete ';
  const s = cx.site(node.start, { kind: isDelete ? 'delete' : 'write', target: targetName(cx.code, m), binding: false });
  const prefix = moved ?? '';
  const open = `${cx.lead(node.start)}(${W}=`;
  if (moved === null) cx.ms.appendLeft(m.object.start, open);
  else cx.ms.overwrite(node.start, m.object.start, open);
  const prop = m.property;
  if (!m.computed) {
    const key = prop.type === 'PrivateIdentifier' ? `#${prop.name}` : prop.name;
    const privateField = prop.type === 'PrivateIdentifier';
    const probe = isDelete ? 'pd' : privateField ? 'pp' : 'pw';
    cx.ms.appendRight(m.object.end, `,${P}.${probe}(${s},${W},${JSON.stringify(key)},${prefix}${W}`);
    // A private field has no descriptor to read: a postfix update says how the old value moved.
    const postfix = privateField && node.type === 'UpdateExpression' && !node.prefix;
    return postfix ? `,${node.operator === '++' ? 1 : -1}))` : '))';
  }
  // a[k]: the brackets become `K = k`, so the key is evaluated once, in its place.
  cx.ms.overwrite(m.object.end, prop.start, `,${K}=`);
  cx.ms.overwrite(prop.end, m.end, `,${P}.${isDelete ? 'pd' : 'pw'}(${s},${W},${K},${prefix}${W}[${K}]`);
  return '))';
}

/** `a.push(…)`, `m.set(…)`: the receiver is evaluated once, the method looked up and called as before. */
function mutatingCall(node: Node, cx: WriteContext, level: number): string | null {
  const callee = node.callee;
  if (node.optional || callee.type !== 'MemberExpression' || callee.computed || callee.optional) return null;
  if (callee.object.type === 'Super' || callee.property.type !== 'Identifier' || !MUTATORS.has(callee.property.name)) return null;
  const { P } = cx.names;
  const W = temp(cx.names, 'W', level);
  const method = callee.property.name;
  const s = cx.site(node.start, { kind: 'mutate', target: targetName(cx.code, callee.object), binding: false });
  cx.ms.appendLeft(callee.object.start, `${cx.lead(callee.object.start)}(${W}=`);
  cx.ms.appendRight(callee.object.end, `,${P}.mu(${s},${W},${JSON.stringify(method)},${W}`);
  return '))';
}
