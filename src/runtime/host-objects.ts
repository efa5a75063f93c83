/**
 * Which objects are Node host objects: HTTP requests and responses (Express's req/res inherit
 * from them), client requests, sockets, servers, and Fastify's request/reply wrappers. The value
 * writer names these (a BRIEF tag, "request #7") instead of snapshotting them: a snapshot of an
 * IncomingMessage and a ServerResponse is ~5 KB of sockets, parsers and stream state, ~47 µs a
 * handler call, and says less than the HTTP events of the same exchange (docs/adr/0017).
 * Decided once per prototype, by its chain, without running program code.
 */
import { IncomingMessage, OutgoingMessage } from 'node:http';
import { Server, Socket } from 'node:net';
import { P } from './primordials.js';

const hostPrototypes = new Set<object>([IncomingMessage.prototype, OutgoingMessage.prototype, Socket.prototype, Server.prototype]);
const ObjectPrototype = Object.prototype;
const ArrayPrototype = Array.prototype;

/** Prototype → its host class name, '' when it is no host object's (prototypes are few: no bound). */
const decided = new WeakMap<object, string>();

/** The class name of host objects with prototype `proto` ('Object' when none is found), '' for any other object. */
export function hostClassOf(proto: object | null): string {
  if (proto === null || proto === ObjectPrototype || proto === ArrayPrototype) return '';
  const known = P.WeakMapGet(decided as unknown as WeakMap<object, number>, proto) as unknown as string | undefined;
  if (known !== undefined) return known;
  let host = false;
  // Express's req/res prototypes are plain objects made from Node's: the name is the first constructor up the chain.
  let name = '';
  for (let p: object | null = proto; p !== null && p !== ObjectPrototype && !host; p = P.getPrototypeOf(p) as object | null) {
    if (P.isProxy(p)) break;
    name ||= constructorName(p);
    host = P.SetHas(hostPrototypes, p) || isFastifyPrototype(p);
  }
  const result = host ? name || 'Object' : '';
  P.WeakMapSet(decided, proto, result);
  return result;
}

/** Fastify's Request (a `routeOptions` accessor) and Reply (`hijack` and `send` methods) prototypes. */
function isFastifyPrototype(p: object): boolean {
  const name = constructorName(p);
  if (name === 'Request') {
    const d = P.getOwnPropertyDescriptor(p, 'routeOptions');
    return d !== undefined && typeof d.get === 'function';
  }
  if (name === 'Reply') return isMethod(p, 'hijack') && isMethod(p, 'send');
  return false;
}

function constructorName(p: object): string {
  const d = P.getOwnPropertyDescriptor(p, 'constructor');
  const ctor: unknown = d && 'value' in d ? d.value : undefined;
  if (typeof ctor !== 'function' || P.isProxy(ctor)) return '';
  const nd = P.getOwnPropertyDescriptor(ctor, 'name');
  return nd && 'value' in nd && typeof nd.value === 'string' ? nd.value : '';
}

function isMethod(p: object, key: string): boolean {
  const d = P.getOwnPropertyDescriptor(p, key);
  return d !== undefined && 'value' in d && typeof d.value === 'function';
}
