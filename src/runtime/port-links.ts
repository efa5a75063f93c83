/**
 * MessageChannel ports as ordered channels: the k-th message posted from one end and the k-th
 * 'message' dispatched at the other carry the same id (`port:<pid>:<threadId>:<n>:<end>:<k>`),
 * so the index links them without touching the messages. Ports are known from the channel that
 * made them (MessageChannel is wrapped by a construct trap: same class, same instances), and
 * only those are recorded: the recorder's own BroadcastChannels and Node's internal ports are not.
 *
 * A port transferred to another thread arrives there as a new object that is not known: its
 * messages are not linked (the end that stayed records its sends and receives unlinked).
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { MessageChannel, MessagePort, threadId } from 'node:worker_threads';
import { CausalWord } from './observed-probes.js';
import type { ThreadProbes } from './thread-probes.js';
import { P } from './primordials.js';

const ReflectConstruct = Reflect.construct;

interface End {
  channel: string;
  end: 1 | 2;
  sent: number;
  got: number;
}

export function capturePorts(probes: ThreadProbes): void {
  const { causal } = probes;
  const ends = new WeakMap<object, End>();
  let channels = 0;
  const prefix = `port:${process.pid}:${threadId}`;

  const Recorded = new Proxy(MessageChannel, {
    construct(target, args, newTarget) {
      const mc = ReflectConstruct(target, args, newTarget) as MessageChannel;
      const channel = `${prefix}:${++channels}`;
      ends.set(mc.port1, { channel, end: 1, sent: 0, got: 0 });
      ends.set(mc.port2, { channel, end: 2, sent: 0, got: 0 });
      return mc;
    },
  });
  const require = createRequire(import.meta.url);
  const wt = require('node:worker_threads') as { MessageChannel: typeof MessageChannel };
  wt.MessageChannel = Recorded;
  if ((globalThis as { MessageChannel?: unknown }).MessageChannel === MessageChannel) (globalThis as { MessageChannel?: unknown }).MessageChannel = Recorded;
  syncBuiltinESMExports();

  const proto = MessagePort.prototype as unknown as Record<PropertyKey, unknown>;
  const post = proto.postMessage as Function;
  P.defineProperty(proto, 'postMessage', {
    value: function postMessage(this: object) {
      const e = ends.get(this);
      if (e !== undefined) causal(CausalWord.SEND, 3, 'port', `${e.channel}:${e.end}:${++e.sent}`, 'postMessage');
      return P.apply(post, this, arguments as unknown as unknown[]);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
  // Messages reach listeners through Node's hybrid dispatch (as for parentPort).
  let hybrid: symbol | undefined;
  let owner: Record<PropertyKey, unknown> | undefined;
  for (let p: object | null = proto; p !== null && hybrid === undefined; p = P.getPrototypeOf(p) as object | null) {
    for (const k of P.ownKeys(p)) {
      if (typeof k === 'symbol' && k.description === 'nodejs.internal.kHybridDispatch') {
        hybrid = k;
        owner = p as Record<PropertyKey, unknown>;
      }
    }
  }
  if (hybrid === undefined || typeof owner?.[hybrid] !== 'function') return;
  const dispatch = owner[hybrid] as Function;
  P.defineProperty(proto, hybrid, {
    value: function (this: object, ...a: unknown[]) {
      const e = a[1] === 'message' ? ends.get(this) : undefined;
      if (e !== undefined) causal(CausalWord.RECEIVE, 3, 'port', `${e.channel}:${e.end === 1 ? 2 : 1}:${++e.got}`, 'message');
      return P.apply(dispatch, this, a);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
