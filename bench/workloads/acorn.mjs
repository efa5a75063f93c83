// acorn parsing ~1.1 MB of real JavaScript (pinned devDependency sources), with locations.
import fs from 'node:fs';
import * as acorn from 'acorn';
import { runWorkload } from './harness.mjs';

const nm = new URL('../../node_modules/', import.meta.url);
const inputs = [
  ['lodash/lodash.js', 'script'],
  ['acorn/dist/acorn.js', 'script'],
  ['acorn/dist/acorn.mjs', 'module'],
  ['marked/lib/marked.esm.js', 'module'],
  ['marked/lib/marked.umd.js', 'script'],
].map(([p, sourceType]) => ({ code: fs.readFileSync(new URL(p, nm), 'utf8'), sourceType }));

runWorkload('acorn', () => {
  let nodes = 0;
  for (const { code, sourceType } of inputs) {
    const ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType, locations: true });
    nodes += ast.body.length + ast.end;
  }
  return nodes;
});
