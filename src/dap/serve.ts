/**
 * Where the adapter listens: stdio (an editor starts `cinema dap` per session) or a TCP port on
 * 127.0.0.1 (editors that attach to a running adapter: one session per connection).
 */
import net from 'node:net';
import { CinemaSession, type SessionOptions } from './session.js';

/** Serves one session over stdin/stdout; the process ends when the editor closes the streams. */
export function serveStdio(options: SessionOptions): void {
  const session = new CinemaSession(options);
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}

export interface DapServer {
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0: any free port); every connection is a session of its own. */
export function serveTcp(options: SessionOptions, port: number, host = '127.0.0.1'): Promise<DapServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const session = new CinemaSession(options);
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address() as net.AddressInfo;
      resolve({
        port: addr.port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
