/**
 * The stack of a thrown error, read for the recording without changing the error. Reading
 * `err.stack` makes V8 format it once and keep only the text: the structured call sites are gone,
 * so Node could no longer point the fatal-error header at the throw (it showed its own
 * `triggerUncaughtException` line) and a formatter the program installs later would never run.
 * Here V8's formatting goes through a temporary `Error.prepareStackTrace` that takes the call sites
 * and throws: V8 keeps its call sites when formatting throws, and the text is built from them.
 * No program code runs: not the program's formatter, not a getter on the error.
 */
import { P } from './primordials.js';
import { callSites, frameText } from './stack-columns.js';

const TAKEN = {};
/** An error rethrown through several instrumented frames is read once. */
const known = new WeakMap<object, string>();
const got: { trace: unknown[] | null } = { trace: null };

function take(_: unknown, trace: unknown[]): never {
  got.trace = trace;
  throw TAKEN;
}

/**
 * The error's stack as Node would print it by default (`header`, then one `at` line per frame,
 * columns of instrumented code mapped back), or its text when it was formatted already; '' when
 * it cannot be read without running program code.
 */
export function stackOf(e: Error, header: string): string {
  const seen = P.WeakMapGet(known as unknown as WeakMap<object, number>, e) as unknown as string | undefined;
  if (seen !== undefined) return seen;
  const stack = readStack(e, header);
  P.WeakMapSet(known, e, stack);
  return stack;
}

function readStack(e: Error, header: string): string {
  const E = P.ErrorCtor as { prepareStackTrace?: unknown };
  const d = P.getOwnPropertyDescriptor(E, 'prepareStackTrace');
  // An accessor would run program code; a frozen one cannot be swapped for a moment.
  if (!callSites || (d !== undefined && (!('value' in d) || !d.writable || !d.configurable))) return '';
  let text: unknown = '';
  got.trace = null;
  P.defineProperty(E, 'prepareStackTrace', { value: take, writable: true, configurable: true, enumerable: d ? d.enumerable! : false });
  try {
    // Node 20 keeps `stack` as a data property whose value V8 makes on first read; Node 22+ as V8's accessor.
    const own = P.getOwnPropertyDescriptor(e, 'stack');
    if (own === undefined) text = '';
    else if ('value' in own) text = own.value;
    else if (own.get !== undefined && own.get === P.ErrorStackGetter) text = P.apply(own.get, e, []);
  } catch (x) {
    if (x !== TAKEN) text = '';
  } finally {
    if (d) P.defineProperty(E, 'prepareStackTrace', d);
    else delete E.prepareStackTrace;
  }
  const trace = got.trace as unknown[] | null;
  got.trace = null;
  if (trace === null) return typeof text === 'string' ? text : '';
  let out = header;
  for (let i = 0; i < trace.length; i++) out += `\n    at ${frameText(trace[i])}`;
  return out;
}
