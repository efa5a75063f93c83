// Bug: the order page loads each item's product with its own query, one await per item.
import { setTimeout as sleep } from 'node:timers/promises';

const products = new Map(Array.from({ length: 20 }, (_, i) => [i, { id: i, name: `p${i}`, price: i * 2 }]));

async function queryProduct(id) {
  await sleep(2);
  return products.get(id);
}

async function loadOrder(orderId) {
  const itemIds = Array.from({ length: 12 }, (_, i) => (i * 7 + orderId) % 20);
  const items = [];
  for (const id of itemIds) {
    items.push(await queryProduct(id)); // BUG: one query per item
  }
  return { orderId, items };
}

async function main() {
  const order = await loadOrder(3);
  console.log(order.items.length);
}

main();
