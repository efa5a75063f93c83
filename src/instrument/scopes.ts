/**
 * Just enough scope analysis to tell which assignments change state that outlives a call: a
 * binding declared at module level, in an enclosing function (a closure), or nowhere (a global).
 * Writes to a function's own locals are not state and are not recorded.
 *
 * Scopes are pushed as the walk enters the program, functions and blocks; the names each declares
 * are collected from its node when a lookup first reaches it (so hoisted declarations count before
 * their text, and the many scopes no write looks into cost a push and a pop).
 */
import { boundNames, type Node } from './names.js';

export type BindingKind = 'local' | 'module' | 'closure' | 'global';

interface Scope {
  /** The names it declares, collected the first time a lookup reaches it (most scopes see none). */
  names: Set<string> | null;
  /** The program, function or block node that declares them. */
  node: Node;
  /** Index of the function this scope belongs to (0: the program). */
  fn: number;
  kind: ScopeKind;
}

const enum ScopeKind {
  Program,
  Function,
  Block,
}

export class Scopes {
  readonly #stack: Scope[] = [];
  #fn = 0;
  #fnCount = 0;
  readonly #fnStack: number[] = [];

  enterProgram(program: Node): void {
    this.#stack.push({ names: null, node: program, fn: 0, kind: ScopeKind.Program });
  }

  enterFunction(fn: Node): void {
    this.#fnStack.push(this.#fn);
    this.#fn = ++this.#fnCount;
    this.#stack.push({ names: null, node: fn, fn: this.#fn, kind: ScopeKind.Function });
  }

  leaveFunction(): void {
    this.#stack.pop();
    this.#fn = this.#fnStack.pop() ?? 0;
  }

  /** Blocks, loop heads, catch clauses and switch bodies: their let/const/class/function names. */
  enterBlock(node: Node): void {
    this.#stack.push({ names: null, node, fn: this.#fn, kind: ScopeKind.Block });
  }

  leaveBlock(): void {
    this.#stack.pop();
  }

  classify(name: string): BindingKind {
    for (let i = this.#stack.length - 1; i >= 0; i--) {
      const s = this.#stack[i]!;
      if (!(s.names ??= declared(s)).has(name)) continue;
      if (s.kind === ScopeKind.Program) return 'module';
      return s.fn === this.#fn ? 'local' : 'closure';
    }
    return 'global';
  }
}

/** The names a scope declares (hoisted declarations count before their text). */
function declared(s: Scope): Set<string> {
  const node = s.node;
  if (s.kind === ScopeKind.Program) {
    const names = new Set<string>();
    for (const st of node.body) {
      lexicalNames(st, names);
      varNames(st, names);
    }
    return names;
  }
  if (s.kind === ScopeKind.Function) return functionNames(node);
  const names = new Set<string>();
  switch (node.type) {
    case 'BlockStatement':
    case 'StaticBlock':
      for (const st of node.body) lexicalNames(st, names);
      break;
    case 'SwitchStatement':
      for (const c of node.cases) for (const st of c.consequent) lexicalNames(st, names);
      break;
    case 'ForStatement':
      if (node.init) lexicalNames(node.init, names);
      break;
    case 'ForInStatement':
    case 'ForOfStatement':
      lexicalNames(node.left, names);
      break;
    case 'CatchClause':
      if (node.param) addBound(node.param, names);
      break;
  }
  return names;
}

function functionNames(fn: Node): Set<string> {
  const names = new Set<string>(['arguments']);
  const params: string[] = [];
  for (const p of fn.params) boundNames(p.type === 'TSParameterProperty' ? p.parameter : p, params);
  for (const p of params) names.add(p);
  if (fn.type === 'FunctionExpression' && fn.id) names.add(fn.id.name);
  if (fn.body && fn.body.type === 'BlockStatement') {
    for (const s of fn.body.body) {
      lexicalNames(s, names);
      varNames(s, names);
    }
  }
  return names;
}

/** Node types `enterBlock` handles (a function's own body block is part of the function scope). */
export const BLOCK_SCOPES = new Set(['BlockStatement', 'StaticBlock', 'SwitchStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'CatchClause']);

function lexicalNames(s: Node, out: Set<string>): void {
  if (!s) return;
  switch (s.type) {
    case 'VariableDeclaration':
      if (s.kind !== 'var') for (const d of s.declarations) addBound(d.id, out);
      return;
    case 'ClassDeclaration':
    case 'FunctionDeclaration':
      if (s.id) out.add(s.id.name);
      return;
    case 'ExportNamedDeclaration':
    case 'ExportDefaultDeclaration':
      lexicalNames(s.declaration, out);
      return;
    case 'ImportDeclaration':
      for (const spec of s.specifiers) out.add(spec.local.name);
      return;
    case 'TSEnumDeclaration':
    case 'TSModuleDeclaration':
      if (s.id && s.id.type === 'Identifier') out.add(s.id.name);
      return;
  }
}

/** `var` names a statement hoists to its function (not into nested functions). */
function varNames(s: Node, out: Set<string>): void {
  if (!s || typeof s !== 'object') return;
  switch (s.type) {
    case 'VariableDeclaration':
      if (s.kind === 'var') for (const d of s.declarations) addBound(d.id, out);
      return;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassDeclaration':
    case 'ClassExpression':
      return;
    case 'ExportNamedDeclaration':
      varNames(s.declaration, out);
      return;
    case 'BlockStatement':
      for (const t of s.body) varNames(t, out);
      return;
    case 'IfStatement':
      varNames(s.consequent, out);
      varNames(s.alternate, out);
      return;
    case 'ForStatement':
      varNames(s.init, out);
      varNames(s.body, out);
      return;
    case 'ForInStatement':
    case 'ForOfStatement':
      varNames(s.left, out);
      varNames(s.body, out);
      return;
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'LabeledStatement':
    case 'WithStatement':
      varNames(s.body, out);
      return;
    case 'TryStatement':
      varNames(s.block, out);
      if (s.handler) varNames(s.handler.body, out);
      varNames(s.finalizer, out);
      return;
    case 'SwitchStatement':
      for (const c of s.cases) for (const t of c.consequent) varNames(t, out);
      return;
  }
}

function addBound(pattern: Node, out: Set<string>): void {
  const names: string[] = [];
  boundNames(pattern, names);
  for (const n of names) out.add(n);
}
