// Bug: two concurrent withdrawals read the balance, wait for the fraud check, then write back
// balance - amount: the second write is based on a stale read and the first withdrawal is lost.
import { setTimeout as sleep } from 'node:timers/promises';

const account = { owner: 'ada', balance: 100 };

async function fraudCheck(amount) {
  await sleep(amount);
  return amount < 1000;
}

async function withdraw(acct, amount) {
  const balance = acct.balance;
  if (!(await fraudCheck(amount))) throw new Error('refused');
  acct.balance = balance - amount; // BUG: writes back a balance read before the await
  return acct.balance;
}

await Promise.all([withdraw(account, 30), withdraw(account, 20)]);
console.log(account.balance); // 70 or 80, never 50
