// The control: the same kinds of code as the bug programs, written correctly. `cinema insights`
// should find nothing here.
import { setTimeout as sleep } from 'node:timers/promises';

class Account {
  constructor(owner, balance) {
    this.owner = owner;
    this.balance = balance;
    this.history = [];
  }
}

const products = new Map(Array.from({ length: 20 }, (_, i) => [i, { id: i, name: `p${i}`, price: i * 2 }]));
const cache = new Map();
const MAX_CACHE = 5;

async function queryProducts(ids) {
  await sleep(2);
  return ids.map((id) => products.get(id));
}

async function loadOrder(orderId) {
  const itemIds = Array.from({ length: 12 }, (_, i) => (i * 7 + orderId) % 20);
  const items = await queryProducts(itemIds); // one batched query
  return { orderId, items };
}

async function withdraw(acct, amount) {
  if (!(await fraudCheck(amount))) throw new Error('refused');
  acct.balance = acct.balance - amount; // read after the await: no stale value
  acct.history.push(-amount);
  return acct.balance;
}

async function fraudCheck(amount) {
  await sleep(3);
  return amount < 1000;
}

function parseQuantity(text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`bad quantity ${text}`);
  return n;
}

function quantityOr(text, fallback) {
  try {
    return parseQuantity(text);
  } catch (err) {
    if (err instanceof RangeError) return fallback;
    throw err;
  }
}

function remember(key, value) {
  if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value);
  cache.set(key, value);
}

function priceOf(item) {
  return item.price * 1.2;
}

async function handleRequest(n) {
  await sleep(1);
  const order = await loadOrder(n);
  remember(n, order);
  let total = 0;
  for (const item of order.items) total += priceOf(item);
  return total;
}

async function main() {
  const acct = new Account('ada', 100);
  await Promise.all([withdraw(acct, 30), withdraw(acct, 20)]);
  const totals = [];
  for (let i = 0; i < 3; i++) totals.push(await handleRequest(i));
  const results = await Promise.all(Array.from({ length: 15 }, (_, i) => handleRequest(i + 3)));
  console.log(acct.balance, quantityOr('3', 1), quantityOr('x', 1), totals.length + results.length, cache.size);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
