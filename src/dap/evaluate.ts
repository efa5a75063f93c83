/**
 * Expressions over recorded values (watches, hovers, the debug console, breakpoint conditions and
 * log points). A name or a path (`cart.items[0].price`) is looked up in the recorded values and
 * stays expandable; anything else runs in a fresh `vm` context holding plain copies of those
 * values, with a time limit. The recording holds data only, never the program's functions, so an
 * expression cannot run program code; it is the editor user's own code, run with their rights.
 */
import { inspect } from 'node:util';
import vm from 'node:vm';
import type { Value } from '../recording/value-reader.js';
import type { Named } from './scopes.js';
import { childrenOf, toPlain } from './values.js';

/** Long enough not to trip on a busy machine, short enough to end a runaway loop. */
const TIMEOUT_MS = 2000;
/** One context reused by every evaluation (a new one costs ~1 ms, a reused one ~0.1 ms): emptied before each. */
let shared: Record<string, unknown> | null = null;
/**
 * Expressions that cannot run long: names, member access, literals and operators, no calls, no
 * functions, no template strings, no statements. They run without the timeout's watchdog thread
 * (~1 µs instead of ~120 µs), which is what a condition evaluated at every hit needs.
 */
const BOUNDED = /^[\w$.\s'"[\]()!=<>&|+\-*/%?:,]*$/;
const CALL = /[\w$\])'"]\s*\(|=>|\/\s*\//;
const scripts = new Map<string, vm.Script>();
const PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\['[^'\\]*'\]|\["[^"\\]*"\])*$/;

export type Evaluated = { value: Value } | { text: string; truthy: boolean };

export function evaluate(expression: string, names: Named, deref: (v: Value) => Value): Evaluated {
  const expr = expression.trim();
  if (expr === '') throw new Error('empty expression');
  if (PATH.test(expr)) {
    const found = lookup(expr, names, deref);
    if (found !== undefined) return { value: found };
  }
  const sandbox = (shared ??= vm.createContext(Object.create(null) as Record<string, unknown>));
  for (const key of Object.keys(sandbox)) delete sandbox[key];
  for (const [name, v] of names) if (/^[A-Za-z_$][\w$]*$/.test(name) && !Object.hasOwn(sandbox, name)) sandbox[name] = toPlain(v, deref);
  let result: unknown;
  try {
    const bounded = BOUNDED.test(expr) && !CALL.test(expr);
    let script = scripts.get(expr);
    if (!script) {
      if (scripts.size > 1000) scripts.clear();
      scripts.set(expr, (script = new vm.Script(expr)));
    }
    result = bounded ? script.runInContext(sandbox) : script.runInContext(sandbox, { timeout: TIMEOUT_MS, breakOnSigint: false });
  } catch (e) {
    const msg = e instanceof Error || (e && typeof e === 'object' && 'message' in e) ? String((e as Error).message) : String(e);
    throw new Error(`cannot evaluate '${expr.slice(0, 80)}': ${msg}`);
  }
  return { text: inspect(result, { depth: 2, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 200 }), truthy: Boolean(result) };
}

/** Whether a breakpoint condition holds; an expression that fails counts as true (the debugger stops and says why). */
export function condition(expression: string, names: Named, deref: (v: Value) => Value): { holds: boolean; error?: string } {
  try {
    const r = evaluate(expression, names, deref);
    if ('truthy' in r) return { holds: r.truthy };
    const v = r.value;
    return { holds: !(v === null || v === false || v === 0 || v === '' || (typeof v === 'object' && (v.type === 'undefined' || (v.type === 'number' && (v.text === 'NaN' || v.text === '-0'))))) };
  } catch (e) {
    return { holds: true, error: (e as Error).message };
  }
}

function lookup(expr: string, names: Named, deref: (v: Value) => Value): Value | undefined {
  const parts = [...expr.matchAll(/[A-Za-z_$][\w$]*|\[(\d+)\]|\['([^'\\]*)'\]|\["([^"\\]*)"\]/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[0]);
  const first = names.find(([n]) => n === parts[0]);
  if (!first) return undefined;
  let v: Value = deref(first[1]);
  for (const key of parts.slice(1)) {
    const next = childrenOf(v).find(([k]) => k === key);
    if (!next) return undefined;
    v = deref(next[1]);
  }
  return v;
}
