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

const TIMEOUT_MS = 200;
const PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\['[^'\\]*'\]|\["[^"\\]*"\])*$/;

export type Evaluated = { value: Value } | { text: string; truthy: boolean };

export function evaluate(expression: string, names: Named, deref: (v: Value) => Value): Evaluated {
  const expr = expression.trim();
  if (expr === '') throw new Error('empty expression');
  if (PATH.test(expr)) {
    const found = lookup(expr, names, deref);
    if (found !== undefined) return { value: found };
  }
  const sandbox: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, v] of names) if (/^[A-Za-z_$][\w$]*$/.test(name) && !(name in sandbox)) sandbox[name] = toPlain(v, deref);
  let result: unknown;
  try {
    result = vm.runInNewContext(expr, sandbox, { timeout: TIMEOUT_MS, breakOnSigint: false });
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
