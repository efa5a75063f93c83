// The planner's HTTP benchmark app (bench/plan.mjs): a small Express shop on 127.0.0.1. Handlers
// call helpers, one of them a hot leaf (priceWithTax, 20 calls per /products request), one writes
// state (addToCart). Started through serve.cjs: prints `LISTENING <port> <pid>`, exits when stdin closes.
import { createRequire } from 'node:module';
import express from 'express';

const { serve } = createRequire(import.meta.url)('./serve.cjs');

const products = new Map();
for (let i = 1; i <= 200; i++) products.set(i, { name: `product ${i}`, price: 1 + ((i * 37) % 500) / 10, stock: 100 });
const carts = new Map();

function priceWithTax(price) {
  return Math.round(price * 120) / 100;
}

function formatProduct(id, p) {
  return { id, name: p.name, price: priceWithTax(p.price), inStock: p.stock > 0 };
}

function listProducts(offset, limit) {
  const out = [];
  for (let id = offset + 1; id <= offset + limit && products.has(id); id++) out.push(formatProduct(id, products.get(id)));
  return out;
}

function addToCart(cartId, productId) {
  const product = products.get(productId);
  if (!product) return null;
  let cart = carts.get(cartId);
  if (!cart) {
    cart = { items: [], total: 0 };
    carts.set(cartId, cart);
  }
  cart.items.push(productId);
  cart.total = Math.round((cart.total + priceWithTax(product.price)) * 100) / 100;
  if (cart.items.length > 50) cart.items.shift();
  return cart;
}

const app = express();
app.get('/products', (req, res) => {
  const offset = Number(req.query.offset ?? 0) % 180;
  res.json(listProducts(offset, Number(req.query.limit ?? 20)));
});
app.get('/products/:id', (req, res) => {
  const p = products.get(Number(req.params.id));
  if (!p) return res.status(404).json({ error: 'no such product' });
  res.json(formatProduct(Number(req.params.id), p));
});
app.post('/cart/:cart/:product', (req, res) => {
  const cart = addToCart(req.params.cart, Number(req.params.product));
  if (!cart) return res.status(404).json({ error: 'no such product' });
  res.json({ items: cart.items.length, total: cart.total });
});

let server;
serve(
  (port, ready) => (server = app.listen(port, '127.0.0.1', () => ready(server.address().port))),
  (done) => server.close(done),
);
