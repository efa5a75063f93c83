// Bug: one call of fetchPrice takes far longer than the others (a retry storm on one SKU).
import { setTimeout as sleep } from 'node:timers/promises';

async function fetchPrice(sku) {
  const delay = sku === 'sku-13' ? 600 : 2; // BUG: the slow path
  await sleep(delay);
  return sku.length * 3;
}

async function main() {
  const skus = Array.from({ length: 30 }, (_, i) => `sku-${i}`);
  const prices = await Promise.all(skus.map((sku) => fetchPrice(sku)));
  console.log(prices.reduce((a, b) => a + b, 0));
}

main();
