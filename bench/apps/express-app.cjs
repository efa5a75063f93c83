// Express 5 app for bench/http.mjs: GET / answers a small JSON object.
'use strict';
const express = require('express');
const { hello } = require('./handlers.cjs');
const { serve } = require('./serve.cjs');

const app = express();
app.get('/', (req, res) => {
  res.json(hello(req));
});
let server;
serve(
  (port, ready) => {
    server = app.listen(port, '127.0.0.1', () => ready(server.address().port));
  },
  (done) => server.close(done),
);
