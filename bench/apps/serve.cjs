// Start-up shared by the benchmark apps: listen on 127.0.0.1 (PORT, default any free port), print
// `LISTENING <port> <pid>` for the harness (the pid: it reads this process's CPU time), and exit cleanly when stdin closes (so a recorder in front
// of the app flushes and finishes as it would on a normal exit).
'use strict';

function serve(listen, close) {
  const port = Number(process.env.PORT ?? 0);
  listen(port, (actual) => {
    process.stdout.write(`LISTENING ${actual} ${process.pid}\n`);
  });
  process.stdin.resume();
  process.stdin.on('end', () => close(() => process.exit(0)));
}

module.exports = { serve };
