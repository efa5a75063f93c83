// Fastify 5 app for bench/http.mjs: GET / answers a small JSON object.
'use strict';
const fastify = require('fastify')({ logger: false });
const { hello } = require('./handlers.cjs');
const { serve } = require('./serve.cjs');

fastify.get('/', async (req) => hello(req));
serve(
  (port, ready) => {
    fastify.listen({ port, host: '127.0.0.1' }).then(() => ready(fastify.server.address().port));
  },
  (done) => fastify.close().then(done),
);
