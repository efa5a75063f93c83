/**
 * Just enough scope analysis to tell which assignments change state that outlives a call: a
 * binding declared at module level, in an enclosing function (a closure), or nowhere (a global).
 * Writes to a function's own locals are not state and are not recorded.
 *
 * Scopes are pushed as the walk enters the program, functions and blocks, with the names each
 * declares collected up front (so hoisted declarations count before their text).
 */
import { boundNames, type Node } from './names.js';

export type BindingKind = 'local' | 'module' | 'closure' | 'global';

interface Scope {
  names: Set<string>;
  /** Index of the function this scope belongs to (0: the program). */
  fn: number;
  program: boolean;
}

export class Scopes {
  readonly #stack: Scope[] = [];
  #fn = 0;
  #fnCount = 0;
  readonly #fnStack: number[] = [];

  enterProgram(program: Node): void {
    const names = new Set<string>();
    for (const s of program.body) {
      lexicalNames(s, names);
      varNames(s, names);
    }
    this.#stack.push({ names, fn: 0, program: true });
  }

  enterFunction(fn: Node): void {
    this.#fnStack.push(this.#fn);
    this.#fn = ++this.#fnCount;
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
    this.#stack.push({ names, fn: this.#fn, program: false });
  }

  leaveFunction(): void {
    this.#stack.pop();
    this.#fn = this.#fnStack.pop() ?? 0;
  }

  /** Blocks, loop heads, catch clauses and switch bodies: their let/const/class/function names. */
  enterBlock(node: Node): void {
    const names = new Set<string>();
    switch (node.type) {
      case 'BlockStatement':
      case 'StaticBlock':
        for (const s of node.body) lexicalNames(s, names);
        break;
      case 'SwitchStatement':
        for (const c of node.cases) for (const s of c.consequent) lexicalNames(s, names);
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
    this.#stack.push({ names, fn: this.#fn, program: false });
  }

  leaveBlock(): void {
    this.#stack.pop();
  }

  classify(name: string): BindingKind {
    for (let i = this.#stack.length - 1; i >= 0; i--) {
      const s = this.#stack[i]!;
      if (!s.names.has(name)) continue;
      if (s.program) return 'module';
      return s.fn === this.#fn ? 'local' : 'closure';
    }
    return 'global';
  }
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
