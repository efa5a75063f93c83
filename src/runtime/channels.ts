/**
 * Every diagnostics channel the recorder listens to, declared once. `node:diagnostics_channel`
 * channels cost nothing to the publisher while nobody subscribes (publishers check
 * `hasSubscribers`); we subscribe only to what the recording needs, and each subscriber does its
 * own cheap checks before it builds anything.
 */
import dc from 'node:diagnostics_channel';

export const channels = {
  /** Node 22.12+/23.2+: a client request before its headers are written (where traceparent goes in). */
  httpClientCreated: dc.channel('http.client.request.created'),
  /** Published once the request's headers are already on their way (too late to add one on Node 20). */
  httpClientStart: dc.channel('http.client.request.start'),
  httpClientFinish: dc.channel('http.client.response.finish'),
  httpClientError: dc.channel('http.client.request.error'),
  httpServerStart: dc.channel('http.server.request.start'),
  httpServerFinish: dc.channel('http.server.response.finish'),
  undiciCreate: dc.channel('undici:request:create'),
  undiciHeaders: dc.channel('undici:request:headers'),
  undiciTrailers: dc.channel('undici:request:trailers'),
  undiciError: dc.channel('undici:request:error'),
  /** Fastify 5: its request handler as a tracing channel (route options on the request). */
  fastifyHandlerStart: dc.channel('tracing:fastify.request.handler:start'),
  workerThreads: dc.channel('worker_threads'),
  childProcess: dc.channel('child_process'),
} as const;

export type ChannelName = keyof typeof channels;

/** Subscribes `fn` to a channel; returns the unsubscribe. */
export function listen(name: ChannelName, fn: (message: unknown, name: string | symbol) => void): () => void {
  const ch = channels[name];
  ch.subscribe(fn);
  return () => ch.unsubscribe(fn);
}
