/** Which function each site of a module's site table belongs to (sites are in source order). */
import type { Site } from './sites.js';

/** For each site of a module, the index of the function site it belongs to (-1: module level). */
export function owners(sites: readonly Site[]): Int32Array {
  const out = new Int32Array(sites.length).fill(-1);
  const open: number[] = [];
  for (let k = 0; k < sites.length; k++) {
    const s = sites[k]!;
    // Sites come in source order: a function's own sites follow it until one past its end line.
    while (open.length > 0 && !contains(sites[open[open.length - 1]!]!, s)) open.pop();
    if (s.kind === 'function') {
      out[k] = k;
      open.push(k);
      continue;
    }
    for (let j = open.length - 1; j >= 0; j--) {
      if (sites[open[j]!]!.name === s.name) {
        out[k] = open[j]!;
        break;
      }
    }
  }
  return out;
}

function contains(fn: Site, s: Site): boolean {
  return s.line >= fn.line && s.line <= (fn.endLine ?? fn.line);
}
