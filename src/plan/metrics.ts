/**
 * What a function's own code does (nested functions count for themselves): size, loops,
 * branching, the calls it makes, whether it looks like I/O or an HTTP handler.
 */
import { CHILD_KEYS } from '../instrument/child-keys.js';
import { boundNames, type Node } from '../instrument/names.js';

export interface FunctionMetrics {
  start: number;
  end: number;
  statements: number;
  loops: number;
  /** Cyclomatic complexity: 1 + branches + loops + catch clauses + short-circuit operators. */
  complexity: number;
  calls: number;
  /** I/O calls it makes, by callee name (readFile, fetch, query, res.json …). */
  io: string[];
  /** Passed to a router / server (`app.get(path, fn)`, `createServer(fn)`) or shaped like one (req, res). */
  handler: boolean;
  /** Names its parameters and declarations bind: writes through them change its own data, not the program's state. */
  locals: string[];
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
const BRANCHES = new Set(['IfStatement', 'ConditionalExpression', 'CatchClause']);
const IO = new Set([
  'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'readdir', 'readdirSync', 'stat', 'statSync',
  'open', 'unlink', 'mkdir', 'rm', 'createReadStream', 'createWriteStream', 'fetch', 'request', 'query', 'execute', 'exec', 'execSync',
  'execFile', 'spawn', 'spawnSync', 'connect', 'listen', 'send', 'sendFile', 'json', 'redirect', 'render', 'end', 'publish', 'postMessage',
]);
const ROUTES = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'use', 'route', 'createServer', 'handle', 'addHook', 'register']);
const HANDLER_PARAMS = [['req', 'res'], ['request', 'response'], ['request', 'reply'], ['ctx', 'next']];

function calleeName(callee: Node): string | null {
  if (callee?.type === 'Identifier') return callee.name;
  if (callee?.type === 'MemberExpression' && !callee.computed && callee.property?.type === 'Identifier') return callee.property.name;
  if (callee?.type === 'StaticMemberExpression' && callee.property) return callee.property.name;
  return null;
}

/** Metrics of every function in a program, in source order of their starts. */
export function functionMetrics(program: Node): FunctionMetrics[] {
  const out: FunctionMetrics[] = [];
  const open: FunctionMetrics[] = [];
  const handlers = new Set<Node>();
  const stack: { node: Node; exit: boolean }[] = [{ node: program, exit: false }];
  while (stack.length > 0) {
    const { node, exit } = stack.pop()!;
    if (exit) {
      open.pop();
      continue;
    }
    const type: string = node.type;
    const cur = open.length > 0 ? open[open.length - 1]! : null;
    if (FUNCTIONS.has(type)) {
      const m: FunctionMetrics = { start: node.start, end: node.end, statements: 0, loops: 0, complexity: 1, calls: 0, io: [], handler: handlers.has(node) || looksLikeHandler(node), locals: [] };
      for (const p of node.params as Node[]) boundNames(p, m.locals);
      out.push(m);
      open.push(m);
      stack.push({ node, exit: true });
    } else if (cur !== null) {
      if (type.endsWith('Statement') || type === 'VariableDeclaration') cur.statements++;
      if (type === 'VariableDeclarator') boundNames(node.id, cur.locals);
      if (LOOPS.has(type)) {
        cur.loops++;
        cur.complexity++;
      } else if (BRANCHES.has(type) || (type === 'SwitchCase' && node.test != null) || (type === 'LogicalExpression')) cur.complexity++;
      if (type === 'CallExpression' || type === 'NewExpression') {
        cur.calls++;
        const name = calleeName(node.callee);
        if (name !== null && IO.has(name) && !cur.io.includes(name)) cur.io.push(name);
      }
    }
    if (type === 'CallExpression' && ROUTES.has(calleeName(node.callee) ?? '')) {
      for (const a of node.arguments as Node[]) if (a && FUNCTIONS.has(a.type)) handlers.add(a);
    }
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], exit: false });
  }
  return out;
}

/** A node's executable children in source order (analysis is not hot: clarity over allocation). */
function children(node: Node): Node[] {
  const keys = CHILD_KEYS.get(node.type) ?? [];
  return keys.flatMap((k) => [node[k]].flat()).filter((c: Node) => c != null && typeof c.type === 'string');
}

function looksLikeHandler(fn: Node): boolean {
  const names = (fn.params as Node[]).map((p) => (p.type === 'Identifier' ? p.name : ''));
  return HANDLER_PARAMS.some((pair) => pair.every((n, i) => names[i] === n));
}

/** Names a module exports (`export function f`, `export { f }`, `export default`, `module.exports.f =`, `exports.f =`). */
export function exportedNames(program: Node): Set<string> {
  const names = new Set<string>();
  for (const s of program.body as Node[]) {
    if (s.type === 'ExportNamedDeclaration') {
      const d = s.declaration;
      if (d?.id?.name) names.add(d.id.name);
      for (const v of d?.declarations ?? []) if (v.id?.name) names.add(v.id.name);
      for (const sp of s.specifiers ?? []) if (sp.local?.name) names.add(sp.local.name);
    } else if (s.type === 'ExportDefaultDeclaration') {
      names.add('default');
      if (s.declaration?.id?.name) names.add(s.declaration.id.name);
      if (s.declaration?.type === 'Identifier') names.add(s.declaration.name);
    } else if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression') {
      const left = s.expression.left;
      const text = memberText(left);
      if (text === 'module.exports') {
        const r = s.expression.right;
        if (r.type === 'Identifier') names.add(r.name);
        for (const p of r.properties ?? []) if (p.key?.name) names.add(p.value?.type === 'Identifier' ? p.value.name : p.key.name);
      } else if (text?.startsWith('module.exports.') || text?.startsWith('exports.')) names.add(text.split('.').pop()!);
    }
  }
  return names;
}

function memberText(n: Node): string | null {
  if (n?.type === 'Identifier') return n.name;
  if (n?.type === 'MemberExpression' && !n.computed) {
    const o = memberText(n.object);
    return o === null ? null : `${o}.${n.property.name}`;
  }
  return null;
}


