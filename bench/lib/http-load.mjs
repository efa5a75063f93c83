// One HTTP throughput measurement: start a server command (pinned to one core), wait for its
// `LISTENING <port>` line, warm it up, measure requests/s with autocannon (pinned to another
// core), then close the server's stdin so it (and a recorder in front of it) exits normally.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, run } from './common.mjs';

const AUTOCANNON = path.join(ROOT, 'node_modules/autocannon/autocannon.js');
const MIX = path.join(ROOT, 'bench/lib/cannon-mix.mjs');
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
/** Server on core 0, load generator on core 1 (when there are two cores and taskset). */
export const PINNED = hasTaskset && os.availableParallelism() >= 2;
/** BENCH_NICE=-10 (say) runs server and load generator at a higher priority than the rest of a shared machine. */
const NICE = process.env.BENCH_NICE;
const pin = (core, cmd, args) => {
  const [c, a] = PINNED ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args];
  return NICE ? ['nice', ['-n', NICE, c, ...a]] : [c, a];
};

function startServer(cmd, args, env) {
  const [c, a] = pin(0, cmd, args);
  const child = spawn(c, a, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const port = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no LISTENING line in 60 s: ${stderr.slice(-300)}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /LISTENING (\d+) (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), pid: Number(m[2]) });
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening: ${stderr.slice(-300)}`));
    });
  });
  return { child, port, exited, stderr: () => stderr };
}

async function cannon(node, port, seconds, connections, requests) {
  const args = requests ? [MIX, String(port), String(seconds), String(connections), JSON.stringify(requests)] : [AUTOCANNON, '-c', String(connections), '-d', String(seconds), '-j', `http://127.0.0.1:${port}/`];
  const [c, a] = pin(1, node, args);
  const r = await run(c, a, { timeoutMs: (seconds + 30) * 1000 });
  const j = JSON.parse(r.stdout);
  return { rps: j.requests.average, p99: j.latency.p99, errors: j.errors + j.non2xx + j.timeouts, total: j.requests.total };
}

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

/** User + system CPU time of a process, all threads, in ms (Linux /proc). */
function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/**
 * Requests/s of `cmd args` serving GET / (or `requests`, autocannon's request list, in turn);
 * `warmSeconds` of load first, unmeasured. `total`: requests of the measured part; `sent`: all.
 */
export async function measure(node, cmd, args, { env = {}, seconds = 5, warmSeconds = 1, connections = 10, requests } = {}) {
  const server = startServer(cmd, args, env);
  try {
    const { port, pid } = await server.port;
    const warm = warmSeconds > 0 ? await cannon(node, port, warmSeconds, connections, requests) : { total: 0 };
    const cpu0 = cpuMs(pid);
    const m = await cannon(node, port, seconds, connections, requests);
    // CPU the server process (all its threads) spent per request: unlike requests/s, barely
    // moved by other work on a shared machine.
    return { ...m, sent: warm.total + m.total, cpuUsPerReq: ((cpuMs(pid) - cpu0) * 1000) / m.total };
  } finally {
    server.child.stdin.end();
    const killer = setTimeout(() => server.child.kill('SIGKILL'), 30_000);
    const { code, signal } = await server.exited;
    clearTimeout(killer);
    if (code !== 0) process.stderr.write(`  server exit ${code ?? signal}: ${server.stderr().slice(-300)}\n`);
  }
}
