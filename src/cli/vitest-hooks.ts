/**
 * `--failures-only` for Vitest, which takes setup files only from its config: the command gets
 * `--config` of a generated config that loads the project's own (the one given with --config, or
 * the one Vitest would find in its root) and adds a setup file with the test boundary hooks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const NAMES = ['vitest.config', 'vite.config'].flatMap((n) => ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((e) => `${n}.${e}`));

/** The command with the generated config, or the command as it is when it does not run Vitest. */
export function withVitestHooks(command: string[], cwd: string, scratch: string, hooksFile: string): string[] {
  const at = command.findIndex((a) => /(^|[\\/])vitest(\.m?js)?$/.test(a));
  if (at < 0) return command;
  const rest = command.slice(at + 1);
  const valueOf = (names: string[]) => {
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      for (const n of names) {
        if (a === n) return { i, n: 2, value: rest[i + 1] };
        if (a.startsWith(`${n}=`)) return { i, n: 1, value: a.slice(n.length + 1) };
      }
    }
    return undefined;
  };
  const given = valueOf(['--config', '-c']);
  const root = path.resolve(cwd, valueOf(['--root', '-r'])?.value ?? '.');
  const user = given?.value ? path.resolve(cwd, given.value) : NAMES.map((n) => path.join(root, n)).find((f) => fs.existsSync(f));
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const setup = path.join(scratch, 'vitest-setup.mjs');
  // Written next to the project, so `vitest` resolves to the project's own copy.
  fs.writeFileSync(setup, `import * as vitest from 'vitest';\nimport { installVitestHooks } from ${JSON.stringify(pathToFileURL(hooksFile).href)};\ninstallVitestHooks(vitest);\n`, { mode: 0o600 });
  const config = path.join(scratch, 'vitest.config.mjs');
  const load = user ? `import user from ${JSON.stringify(pathToFileURL(user).href)};\n` : 'const user = {};\n';
  fs.writeFileSync(
    config,
    `${load}export default async (env) => {\n  const c = (typeof user === 'function' ? await user(env) : await user) ?? {};\n  const test = c.test ?? {};\n  const own = test.setupFiles === undefined ? [] : [].concat(test.setupFiles);\n  return { ...c, root: c.root ?? ${JSON.stringify(root)}, test: { ...test, setupFiles: [...own.map((f) => (f.startsWith('.') ? ${JSON.stringify(user ? path.dirname(user) : root)} + '/' + f : f)), ${JSON.stringify(setup)}] } };\n};\n`,
    { mode: 0o600 },
  );
  const without = given ? [...rest.slice(0, given.i), ...rest.slice(given.i + given.n)] : rest;
  return [...command.slice(0, at + 1), ...without, '--config', config];
}
