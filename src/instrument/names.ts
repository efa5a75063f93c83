/**
 * Static facts about one function: the name a person would give it, the names its parameter list
 * binds, and whether wrapping its body in a block would change how its declarations hoist.
 *
 * AST nodes are oxc-parser's ESTree objects; they are typed loosely (`Node`) on purpose, the
 * walker only reads a handful of well-known fields.
 */

// oxc ESTree nodes: read-only access to known fields.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = any;

export const ANONYMOUS = '<anonymous>';

/** Wrapper expressions that do not change a function's inferred name (parens, TS-only syntax). */
export const TRANSPARENT = new Set([
  'ParenthesizedExpression',
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
]);

const MAX_SLICE = 60;

function sliceName(code: string, node: Node): string {
  const text = code.slice(node.start, node.end);
  if (text.length > MAX_SLICE) return ANONYMOUS;
  return text.replace(/\s+/g, '');
}

/** `a.b.c`, `this.x`, `a["k"]`: how a person would write an assignment target. */
export function targetName(code: string, node: Node): string {
  switch (node.type) {
    case 'Identifier':
      return node.name;
    case 'ThisExpression':
      return 'this';
    case 'Super':
      return 'super';
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSTypeAssertion':
    case 'TSInstantiationExpression':
      return targetName(code, node.expression);
    case 'MemberExpression': {
      const obj = targetName(code, node.object);
      const prop = node.property;
      if (!node.computed) return `${obj}.${prop.type === 'PrivateIdentifier' ? '#' + prop.name : prop.name}`;
      if (prop.type === 'Literal' && typeof prop.value === 'string') return `${obj}.${prop.value}`;
      return `${obj}[${sliceName(code, prop)}]`;
    }
    default:
      return sliceName(code, node);
  }
}

/** A property / method key as written: `x`, `#x`, `'a b'` → `a b`, `[Symbol.iterator]`. */
export function keyName(code: string, owner: Node): string {
  const key = owner.key;
  if (owner.computed) return `[${sliceName(code, key)}]`;
  switch (key.type) {
    case 'Identifier':
      return key.name;
    case 'PrivateIdentifier':
      return '#' + key.name;
    case 'Literal':
      return String(key.value);
    default:
      return sliceName(code, key);
  }
}

function accessorPrefix(kind: string): string {
  return kind === 'get' ? 'get ' : kind === 'set' ? 'set ' : '';
}

/**
 * Name of a function or class `node` from where it stands. `parent` is the nearest parent that is
 * not a transparent wrapper; `className` is the innermost enclosing class's name.
 */
export function inferName(code: string, node: Node, parent: Node, className: string): string {
  if (node.id) return node.id.name;
  if (!parent) return ANONYMOUS;
  switch (parent.type) {
    case 'VariableDeclarator':
      return parent.id.type === 'Identifier' ? parent.id.name : ANONYMOUS;
    case 'AssignmentExpression':
      return parent.right === node || parent.left !== node ? targetName(code, parent.left) : ANONYMOUS;
    case 'AssignmentPattern':
      return parent.left.type === 'Identifier' ? parent.left.name : ANONYMOUS;
    case 'Property':
      if (parent.key === node) return ANONYMOUS;
      return accessorPrefix(parent.kind) + keyName(code, parent);
    case 'MethodDefinition':
    case 'TSAbstractMethodDefinition':
      if (parent.key === node) return ANONYMOUS;
      return `${accessorPrefix(parent.kind)}${className}.${keyName(code, parent)}`;
    case 'PropertyDefinition':
    case 'AccessorProperty':
      if (parent.key === node) return ANONYMOUS;
      return `${className}.${keyName(code, parent)}`;
    case 'ExportDefaultDeclaration':
      return 'default';
    default:
      return ANONYMOUS;
  }
}

/** Adds the names a binding pattern binds, in source order. */
export function boundNames(pattern: Node, out: string[]): void {
  switch (pattern.type) {
    case 'Identifier':
      if (pattern.name !== 'this') out.push(pattern.name);
      return;
    case 'AssignmentPattern':
      boundNames(pattern.left, out);
      return;
    case 'RestElement':
      boundNames(pattern.argument, out);
      return;
    case 'TSParameterProperty':
      boundNames(pattern.parameter, out);
      return;
    case 'ArrayPattern':
      for (const el of pattern.elements) if (el) boundNames(el, out);
      return;
    case 'ObjectPattern':
      for (const prop of pattern.properties) boundNames(prop.type === 'RestElement' ? prop : prop.value, out);
      return;
    default:
      return;
  }
}

export function paramNames(fn: Node): string[] {
  const out: string[] = [];
  for (const p of fn.params) boundNames(p, out);
  return out;
}

/**
 * Would moving this block body's statements into a nested block change the program?
 * Top-level function declarations become block-scoped (lexical) declarations there, which is an
 * early error next to a `var` of the same name or a duplicate declaration, and stops sloppy-mode
 * `arguments` aliasing of a parameter with the same name. Such functions are left uninstrumented.
 */
export function hoistConflict(fn: Node): boolean {
  const body: Node[] = fn.body.body;
  let fnNames: Set<string> | null = null;
  for (let i = 0; i < body.length; i++) {
    const s = body[i];
    if (s.type !== 'FunctionDeclaration' || !s.id) continue;
    fnNames ??= new Set();
    if (fnNames.has(s.id.name)) return true;
    fnNames.add(s.id.name);
  }
  if (fnNames === null) return false;
  for (const p of paramNames(fn)) if (fnNames.has(p)) return true;
  if (fnNames.has('arguments')) return true;
  const vars: string[] = [];
  for (let i = 0; i < body.length; i++) varNames(body[i], vars, false);
  for (const v of vars) if (fnNames.has(v)) return true;
  return false;
}

function declNames(decl: Node, out: string[]): void {
  if (decl && decl.type === 'VariableDeclaration' && decl.kind === 'var') {
    for (const d of decl.declarations) boundNames(d.id, out);
  }
}

/** `var` names (and, conservatively, nested-block function names) a statement hoists into its function. */
function varNames(s: Node, out: string[], nested: boolean): void {
  if (!s) return;
  switch (s.type) {
    case 'VariableDeclaration':
      declNames(s, out);
      return;
    case 'FunctionDeclaration':
      if (nested && s.id) out.push(s.id.name);
      return;
    case 'BlockStatement':
      for (const t of s.body) varNames(t, out, true);
      return;
    case 'IfStatement':
      varNames(s.consequent, out, true);
      varNames(s.alternate, out, true);
      return;
    case 'ForStatement':
      declNames(s.init, out);
      varNames(s.body, out, true);
      return;
    case 'ForInStatement':
    case 'ForOfStatement':
      declNames(s.left, out);
      varNames(s.body, out, true);
      return;
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'LabeledStatement':
    case 'WithStatement':
      varNames(s.body, out, true);
      return;
    case 'TryStatement':
      varNames(s.block, out, true);
      if (s.handler) varNames(s.handler.body, out, true);
      varNames(s.finalizer, out, true);
      return;
    case 'SwitchStatement':
      for (const c of s.cases) for (const t of c.consequent) varNames(t, out, true);
      return;
    default:
      return;
  }
}
