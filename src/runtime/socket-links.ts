/**
 * Net sockets as message channels: bytes written on one end are linked to the 'data' chunks
 * that read them on the other (same process or another), without touching the bytes.
 *
 * A TCP connection is named by its addresses as the writer sees them (`tcp:<local>><remote>`);
 * the reader sees the same name with the ends swapped. Each write is a SEND carrying the byte
 * offset where it ends; each 'data' chunk a RECEIVE carrying the offset where it ends; the index
 * links a chunk to the write that holds its last byte (src/correlate/tracker.ts). A client may
 * write before it is connected (its local port unknown yet): writes are then recorded under the
 * socket's own id, and a 'tcp-conn' SEND names that id's connection once known.
 *
 * Sockets that carry HTTP are left alone: their exchanges are recorded as HTTP events.
 */
import { Buffer } from 'node:buffer';
import { Socket } from 'node:net';
import { CausalWord } from './observed-probes.js';
import type { ThreadProbes } from './thread-probes.js';
import { P } from './primordials.js';

const SEND = CausalWord.SEND;
const RECEIVE = CausalWord.RECEIVE;

interface Ends {
  /** Key of the writes (the socket's id until the connection is known). */
  key: string;
  named: boolean;
  written: number;
  read: number;
  /** The connection as the other end names it (once known). */
  peer: string | null;
}

type Sock = Socket & { connecting?: boolean; parser?: unknown; _httpMessage?: unknown; server?: unknown };

const isHttp = (s: Sock) => (s.parser !== undefined && s.parser !== null) || (s._httpMessage !== undefined && s._httpMessage !== null);

/** undici (fetch) keeps its HTTP parser and client under symbols on the socket. */
function undiciSocket(s: object): boolean {
  let parser = false;
  let client = false;
  for (const k of P.ownKeys(s)) {
    if (typeof k !== 'symbol') continue;
    if (k.description === 'parser') parser = true;
    else if (k.description === 'client') client = true;
  }
  return parser && client;
}

function bytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    try {
      return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    } catch {
      return chunk.length;
    }
  }
  const n = (chunk as { byteLength?: unknown } | null)?.byteLength;
  return typeof n === 'number' ? n : 0;
}

export interface SocketLinks {
  /** Called by the emit wrapper for 'data' and 'connect' on a Socket: true when it recorded the RECEIVE. */
  onEmit(socket: object, type: unknown, args: unknown[]): boolean;
}

export function captureSockets(probes: ThreadProbes): SocketLinks {
  const { causal } = probes;
  const state = new WeakMap<object, Ends | null>();
  let nextSocket = 0;
  const pid = process.pid;
  const tuple = (s: Sock, reverse: boolean): string | null => {
    const { localAddress, localPort, remoteAddress, remotePort } = s;
    if (localPort === undefined || remotePort === undefined) return null;
    const here = `${localAddress}:${localPort}`;
    const there = `${remoteAddress}:${remotePort}`;
    return reverse ? `tcp:${there}>${here}` : `tcp:${here}>${there}`;
  };
  /** The socket's state, or null for sockets that are not TCP connections (pipes, IPC, stdio) or carry undici's HTTP. */
  const ends = (s: Sock): Ends | null => {
    let e = state.get(s);
    if (e === undefined) {
      e = (s.connecting === true || tuple(s, false) !== null) && !undiciSocket(s) ? { key: `sock:${pid}:${++nextSocket}`, named: false, written: 0, read: 0, peer: null } : null;
      state.set(s, e);
    }
    return e;
  };
  /** Names the socket's writes by their connection once it is known. */
  const name = (s: Sock, e: Ends) => {
    if (e.named || s.connecting === true) return;
    const conn = tuple(s, false);
    if (conn === null) return;
    e.named = true;
    if (e.written > 0) causal(SEND, 3, 'tcp-conn', e.key, conn);
    e.key = conn;
  };
  const wrap = (method: 'write' | 'end') => {
    const original = (Socket.prototype as unknown as Record<string, Function>)[method]!;
    const f = function (this: Sock, chunk: unknown, encoding: unknown) {
      try {
        const n = chunk === undefined || chunk === null || typeof chunk === 'function' || isHttp(this) ? 0 : bytes(chunk, encoding);
        const e = n > 0 ? ends(this) : null;
        if (e !== null) {
          name(this, e);
          e.written += n;
          causal(SEND, 3, 'tcp', e.key, e.written);
        }
      } catch {
        // never break the program's write
      }
      return P.apply(original, this, arguments as unknown as unknown[]);
    };
    P.defineProperty(f, 'name', { value: method });
    P.defineProperty(Socket.prototype, method, { value: f, writable: true, configurable: true, enumerable: false });
  };
  wrap('write');
  wrap('end');

  return {
    onEmit(socket, type, args) {
      const s = socket as Sock;
      if (isHttp(s)) return false;
      if (type === 'connect') {
        // Only sockets already written to: an HTTP client (undici) marks its socket after this.
        const e = state.get(s);
        if (e) name(s, e);
        return false;
      }
      const e = ends(s);
      if (e === null) return false;
      const n = bytes(args[0], undefined);
      if (n === 0 || (e.peer === null && (e.peer = tuple(s, true)) === null)) return false;
      e.read += n;
      causal(RECEIVE, 3, 'tcp', e.peer, e.read);
      return true;
    },
  };
}
