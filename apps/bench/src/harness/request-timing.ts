import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** What the requests this process sent during a window took. */
export interface RequestTiming {
  readonly requests: number;
  /** From the window's start to the first request created, in ms. */
  readonly firstRequestMs: number | null;
  /** Mean time from a request's creation to its last byte (or its failure), in ms. */
  readonly meanRequestMs: number;
  /** The sum of those times, in ms: how long request slots were held between them. */
  readonly busyMs: number;
}

const CREATED = 'undici:request:create';
const DONE = ['undici:request:trailers', 'undici:request:error'] as const;

/**
 * Times every request undici sends in this process (its diagnostics channels, which the clients
 * cannot bypass) from now until `stop()`: the request count, when the first went out, and how
 * long they took, creation to last byte.
 */
export function timeRequests(): { stop(): RequestTiming } {
  const started = performance.now();
  const open = new WeakMap<object, number>();
  let requests = 0;
  let busyMs = 0;
  let firstAt: number | null = null;
  const onCreate = (message: unknown) => {
    const now = performance.now();
    firstAt ??= now;
    open.set((message as { request: object }).request, now);
  };
  const onDone = (message: unknown) => {
    const { request } = message as { request: object };
    const createdAt = open.get(request);
    if (createdAt === undefined) return;
    open.delete(request);
    requests += 1;
    busyMs += performance.now() - createdAt;
  };
  subscribe(CREATED, onCreate);
  for (const channel of DONE) subscribe(channel, onDone);
  return {
    stop: () => {
      unsubscribe(CREATED, onCreate);
      for (const channel of DONE) unsubscribe(channel, onDone);
      return {
        requests,
        firstRequestMs: firstAt === null ? null : firstAt - started,
        meanRequestMs: requests === 0 ? 0 : busyMs / requests,
        busyMs,
      };
    },
  };
}
