// Bug: applyCoupon stores a discount as a string, and the async total computation rejects with
// an unhandled rejection much later.
import { setTimeout as sleep } from 'node:timers/promises';

const cart = { items: [10, 20, 5], discount: 0 };

function applyCoupon(c, code) {
  c.discount = code.slice(4); // BUG: a string ("ten"), not a number
}

async function computeTotal(c) {
  await sleep(2);
  const sum = c.items.reduce((a, b) => a + b, 0);
  if (typeof c.discount !== 'number') throw new TypeError(`discount must be a number, got ${JSON.stringify(c.discount)}`);
  return sum - c.discount;
}

async function checkout(c) {
  const total = await computeTotal(c);
  return { total };
}

applyCoupon(cart, 'SAVEten');
checkout(cart).then((r) => console.log(r));
