// A small shop back end: carts, prices, an async inventory service, a worker that
// computes loyalty points, and a bug. `npx cinema demo` records it.
import { Worker } from 'node:worker_threads';

class Cart {
  constructor(customer) {
    this.customer = customer;
    this.items = [];
    this.total = 0;
  }

  add(sku, qty, price) {
    this.items.push({ sku, qty, price });
    this.total = this.items.reduce((sum, item) => sum + lineTotal(item), 0);
    return this.total;
  }
}

function lineTotal(item) {
  return item.qty * item.price;
}

function discount(code, total) {
  const codes = { SAVE10: 0.1, HALF: 0.5 };
  if (!(code in codes)) throw new Error(`unknown discount code ${code}`);
  return Math.round(total * (1 - codes[code]) * 100) / 100;
}

const stock = new Map([['apple', 10], ['pear', 0], ['plum', 4]]);

async function inStock(sku, qty) {
  await new Promise((resolve) => setTimeout(resolve, 2));
  return (stock.get(sku) ?? 0) >= qty;
}

async function checkout(customer, order, code) {
  const cart = new Cart(customer);
  for (const [sku, qty, price] of order) {
    if (await inStock(sku, qty)) cart.add(sku, qty, price);
  }
  let total = cart.total;
  try {
    total = discount(code, total);
  } catch (err) {
    // Bug: the error is swallowed and the customer pays full price.
  }
  return { customer, items: cart.items.length, total };
}

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function loyaltyPoints(total) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./points-worker.mjs', import.meta.url), { workerData: total });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

const orders = [
  ['ada', [['apple', 2, 0.5], ['plum', 1, 1.25]], 'SAVE10'],
  ['bob', [['pear', 1, 0.75], ['apple', 3, 0.5]], 'HALF'],
  ['cy', [['plum', 2, 1.25]], 'SAVE-10'],
];
for (const [customer, order, code] of orders) {
  const receipt = await checkout(customer, order, code);
  receipt.points = await loyaltyPoints(receipt.total);
  console.log(JSON.stringify(receipt));
}
console.log(`fib(20) = ${fib(20)}`);
