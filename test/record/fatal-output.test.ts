/**
 * A program that dies of an uncaught error prints the same thing recorded as plain: the
 * "file:line" header with the source line and caret, the stack with original lines and columns
 * (docs/adr/0016-error-stacks.md). Each case runs plain and under `cinema record`, on this Node.
 */
import fs from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { cinema, node, record, root, tempDir, type Run } from '../helpers.js';

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const canStrip = major > 22 || (major === 22 && minor >= 6);
/** Node 22.15+: module.registerHooks, which also instruments CommonJS (no _compile wrapper). */
const syncHooks = major > 22 || (major === 22 && minor >= 15);

const programs: Record<string, string> = {
  // A one-line caller: its call sits after the inserted entry probe, so its column moves.
  'in-function.mjs': `const a = 1;
function inner(x) {
  if (x) throw new Error('boom ' + x);
  return x;
}
function outer(y) { return inner(y) + 1; }
outer(a);
`,
  'top-level.mjs': `const a = 1;
throw new TypeError('top ' + a);
`,
  'in-async.mjs': `async function load(n) {
  await null;
  throw new RangeError('async ' + n);
}
async function main() { await load(2); }
main();
`,
  'non-error.mjs': `function f() { throw { code: 42 }; }
f();
`,
  'arrow.mjs': `const parse = (s) => JSON.parse(s);
const run = () => [1].map(() => parse('{'));
run();
`,
  // Called from uninstrumented code (a timer, an emitter, a CommonJS callback): V8's message, where
  // Node's header comes from, must be the program's throw, not an epilogue's rethrow (ADR 0020).
  'timer.mjs': `function f(x) {
  if (x > 1) throw new Error('boom ' + x);
  return x;
}
setTimeout(() => f(2), 1);
`,
  'listener.mjs': `import { EventEmitter } from 'node:events';
const e = new EventEmitter();
e.on('go', function onGo(n) {
  if (n) throw new TypeError('listener ' + n);
});
setImmediate(() => e.emit('go', 3));
`,
  'callback.cjs': `const fs = require('node:fs');
function done(err, data) {
  if (data) throw new RangeError('read ' + data.length);
}
fs.readFile(__filename, done);
`,
  'native.mjs': `const o = {};
function read(k) {
  const v = o[k].y;
  return v;
}
setTimeout(read, 1, 'x');
`,
  'generator.mjs': `function* g(n) {
  yield 1;
  throw new Error('gen ' + n);
}
setTimeout(() => { for (const v of g(2)) void v; }, 1);
`,
};

const ts = `interface Box { n: number }
function inner(b: Box): number {
  if (b.n) throw new Error('ts ' + b.n);
  return b.n;
}
const outer = (b: Box): number => inner(b) + 1;
outer({ n: 3 });
`;

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Stderr without the lines the CLI itself prints about the recording. */
function programStderr(r: Run): string {
  return r.stderr
    .split('\n')
    .filter((l) => !l.startsWith('cinema: '))
    .join('\n');
}

function expectSameFatal(args: string[], cwd: string): { plain: Run; recorded: Run & { dir: string } } {
  const plain = node(args, { cwd });
  const recorded = record([process.execPath, ...args]);
  expect(plain.code).not.toBe(0);
  expect(recorded.code).toBe(plain.code);
  expect(programStderr(recorded)).toBe(plain.stderr);
  return { plain, recorded };
}

describe('fatal output of an uncaught error is the same recorded as plain', () => {
  const dir = tempDir('cinema-fatal-');
  for (const name of Object.keys(programs)) {
    const file = write(dir, name, programs[name]!);
    it(`${name}`, () => {
      expectSameFatal([file], dir);
    });
    it(`${name} with --enable-source-maps`, () => {
      expectSameFatal(['--enable-source-maps', file], dir);
    });
  }

  it('records the thrown error with the stack the program printed', () => {
    const { plain, recorded } = expectSameFatal([path.join(dir, 'in-function.mjs')], dir);
    // Sync frames record their throws without a value (ADR 0020); the uncaught error's value is the
    // error event's, which the errors query gives the chain.
    const [err] = JSON.parse(cinema(['query', recorded.dir, 'errors', '--json']).stdout) as { end: string; unwound: { name: string }[]; value: { stack: string } }[];
    expect(err!.end).toBe('uncaught');
    expect(err!.unwound.map((f) => f.name)).toEqual(['inner', 'outer']);
    // The stack Node printed: from the "Error: …" line to the blank line before the version.
    const printed = /^Error: boom 1\n(?: {4}at .*\n)+/m.exec(plain.stderr)![0].trimEnd();
    // Kept up to the recording's string limit; original columns (the caller's call is at 6:28).
    expect(err!.value.stack).toContain(':6:28)');
    expect(printed.startsWith(err!.value.stack)).toBe(true);
  });

  it('an error thrown in a timer callback: same output, and the recording has its value', () => {
    const { recorded } = expectSameFatal([path.join(dir, 'timer.mjs')], dir);
    const [err] = JSON.parse(cinema(['query', recorded.dir, 'errors', '--json']).stdout) as { end: string; unwound: { name: string }[]; value: { message: string } }[];
    expect(err).toMatchObject({ end: 'uncaught', value: { message: 'boom 2' } });
    expect(err!.unwound.map((f) => f.name)).toEqual(['f', '<anonymous>']);
  });

  it('TypeScript compiled with an inline source map, with and without --enable-source-maps', () => {
    const { code } = transformSync(ts, { loader: 'ts', format: 'esm', sourcemap: 'inline', sourcefile: path.join(dir, 'box.ts') });
    const file = write(dir, 'box.mjs', code);
    write(dir, 'box.ts', ts);
    expectSameFatal([file], dir);
    const { plain } = expectSameFatal(['--enable-source-maps', file], dir);
    expect(plain.stderr).toContain('box.ts:3');
  });

  it.runIf(canStrip)('TypeScript run with --experimental-strip-types', () => {
    const file = write(dir, 'strip.mts', ts);
    expectSameFatal(['--experimental-strip-types', '--no-warnings', file], dir);
  });

  it.runIf(syncHooks)('TypeScript run with tsx', () => {
    const file = write(dir, 'tsx.mts', ts);
    expectSameFatal([path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file], dir);
  });
});

describe('the thrown error itself is left as it was', () => {
  it('a formatter the program installs after the throw still gets the call sites', () => {
    const dir = tempDir('cinema-fatal-');
    const file = write(
      dir,
      'late-format.mjs',
      `function fail() { throw new Error('late'); }
function wrap() { fail(); }
let e;
try { wrap(); } catch (x) { e = x; }
Error.prepareStackTrace = (err, sites) => sites.slice(0, 2).map((s) => s.getFunctionName() + ':' + s.getColumnNumber()).join(',');
console.log(e.stack);
`,
    );
    const plain = node([file], { cwd: dir });
    expect(plain.stdout).toBe('fail:25,wrap:19\n');
    const recorded = record([process.execPath, file]);
    // The program's own formatter sees V8's call sites (generated columns: docs/adr/0016-error-stacks.md).
    expect(recorded.stdout).toMatch(/^fail:\d+,wrap:\d+\n$/);
  });

  it('CommonJS: the program frames are the same, and no frame of the recorder is added where Node has registerHooks', () => {
    const dir = tempDir('cinema-fatal-');
    const file = write(dir, 'in-function.cjs', programs['in-function.mjs']!);
    const plain = node([file], { cwd: dir });
    const recorded = record([process.execPath, file]);
    const frames = (r: Run) => /^Error: boom 1\n(?: {4}at .*\n){3}/m.exec(r.stderr)?.[0];
    expect(frames(recorded)).toBe(frames(plain));
    if (syncHooks) expect(recorded.stderr).not.toMatch(/cjs-hook|dist\/runtime/);
  });
});

describe('CommonJS in a package without "type"', () => {
  it('instruments every .js file it requires (none listed in skipped.jsonl)', () => {
    const dir = tempDir('cinema-fatal-');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'typeless' }));
    write(dir, 'b.js', 'exports.twice = function twice(x) { return x * 2; };\n');
    const main = write(dir, 'a.js', "const b = require('./b.js');\nfunction main() { return b.twice(2); }\nconsole.log(main());\n");
    const r = record([process.execPath, main]);
    expect(r.stdout).toBe('4\n');
    const pids = fs.readdirSync(path.join(r.dir, 'processes'));
    for (const pid of pids) expect(fs.existsSync(path.join(r.dir, 'processes', pid, 'skipped.jsonl'))).toBe(false);
    const calls = JSON.parse(cinema(['query', r.dir, 'events', '--kind', 'call', '--json']).stdout) as { name: string }[];
    expect(calls.map((c) => c.name).sort()).toEqual(['main', 'twice']);
  });
});
