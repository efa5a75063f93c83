// The route handler both benchmark apps serve: a trivial JSON answer. Kept in its own file so the
// boundary-level recording can instrument exactly the app's handler functions (--include).
'use strict';

function hello(req) {
  return { hello: 'world', method: req.method };
}

module.exports = { hello };
