// Helpers shared by the scenarios: running a program plain or under `cinema record`, parsing the
// result line a workload prints, medians and formatting.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH = path.join(ROOT, 'bench');
export const WORK = path.join(BENCH, '.work');
export const CINEMA = path.join(ROOT, 'bin', 'cinema.js');
/** Matches no file, so node_modules code (the libraries under test) is instrumented too. */
export const INSTRUMENT_ALL = ['--exclude', '**/never-excluded/**'];

export function median(xs) {
  const a = xs.filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  if (a.length === 0) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

export const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
export const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a');

/** Runs a command, collecting output; resolves with exit status and wall time (ms). */
export function run(cmd, args, { env = {}, cwd = ROOT, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}\n${e.message}`, wallMs: performance.now() - t0 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - t0 });
    });
  });
}

export function parseResult(stdout) {
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  return line ? JSON.parse(line.slice('BENCH_RESULT '.length)) : null;
}

let seq = 0;
export function freshDir(tag) {
  fs.mkdirSync(WORK, { recursive: true });
  const dir = path.join(WORK, `${tag}-${process.pid}-${seq++}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}

/**
 * Runs `node file` plain, or under `cinema record` (recorder flags in `record`), with the same
 * Node for the CLI and the program. Returns the parsed result line, wall time, and the recording dir.
 */
export async function runProgram(ctx, file, { record = null, env = {} } = {}) {
  const prog = path.join(BENCH, file);
  let r;
  let dir = null;
  if (record === null) {
    r = await run(ctx.node, [prog], { env });
  } else {
    dir = freshDir(path.basename(file, '.mjs'));
    r = await run(ctx.node, [CINEMA, 'record', '-q', '--out', dir, ...record, '--', ctx.node, prog], { env });
  }
  const result = parseResult(r.stdout);
  const error = r.code !== 0 || result === null ? `exit ${r.code ?? r.signal}: ${lastLines(r.stderr || r.stdout, 3)}` : null;
  return { result, wallMs: r.wallMs, dir, error };
}

export async function stats(ctx, dir) {
  const r = await run(ctx.node, [CINEMA, 'stats', dir, '--json']);
  if (r.code !== 0) return null;
  return JSON.parse(r.stdout);
}

/** process.json of the (single) recorded process: counters and timestamps, without decoding. */
export function processInfo(dir) {
  const procs = path.join(dir, 'processes');
  const pid = fs.readdirSync(procs)[0];
  return JSON.parse(fs.readFileSync(path.join(procs, pid, 'process.json'), 'utf8'));
}

export function removeDir(dir) {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

function lastLines(s, n) {
  return s.trim().split('\n').slice(-n).join(' | ').slice(0, 400);
}

/** A markdown table from a header row and rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Visits variants in a rotated order each round, so drift on a noisy machine hits all alike. */
export function rotated(items, round) {
  return items.map((_, i) => items[(i + round) % items.length]);
}
