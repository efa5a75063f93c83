// Bug: every request adds its session to a module-level cache that is never pruned.
import { setTimeout as sleep } from 'node:timers/promises';

const sessions = [];

async function handleRequest(n) {
  await sleep(1);
  sessions.push({ id: n, started: n * 10 }); // BUG: never removed
  return n;
}

for (let i = 0; i < 40; i++) await handleRequest(i);
console.log(sessions.length);
