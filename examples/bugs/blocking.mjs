// Bug: a request handler hashes synchronously for a long time, blocking the event loop.
import { setTimeout as sleep } from 'node:timers/promises';

function hashPassword(password) {
  let h = 0;
  for (let round = 0; round < 30_000_000; round++) h = (h * 31 + password.charCodeAt(round % password.length)) | 0; // BUG
  return h;
}

function formatUser(name, hash) {
  return `${name}:${hash}`;
}

async function handleSignup(name, password) {
  await sleep(5);
  const hash = hashPassword(password);
  return formatUser(name, hash);
}

async function main() {
  const ticks = setInterval(() => {}, 10);
  console.log(await handleSignup('ada', 'correct horse'));
  clearInterval(ticks);
}

main();
