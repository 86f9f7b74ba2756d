import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request id: one per incoming HTTP request, taken from the client's `x-request-id` when it is
 * a sane token (a proxy or the caller's own tracing set it) or generated, returned in the
 * `x-request-id` response header and put on every log line the request causes — including lines
 * logged deep in the HTTP layer, which is why it lives in an AsyncLocalStorage rather than being
 * passed down by hand. The HTTP server sets it (src/server/app.ts); `requestIdOf` also serves
 * requests that reach Yoga without it (`yoga.fetch` in tests).
 */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Letters, digits and `._:-`, at most 128: anything else (a log-injection attempt, a huge header) is replaced. */
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

const current = new AsyncLocalStorage<{ requestId: string }>();
/** Ids of Fetch requests handled outside `withRequestId`, so one request keeps one id. */
const ofRequest = new WeakMap<Request, string>();

/** The client's id when it is sane, else a new UUID. */
export function requestIdFrom(header: string | readonly string[] | null | undefined): string {
  const value: string | null | undefined = typeof header === 'string' || header == null ? header : header[0];
  return typeof value === 'string' && SANE.test(value) ? value : randomUUID();
}

/** Runs `fn` (the whole handling of one request) with `requestId` as the current id. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return current.run({ requestId }, fn);
}

/** The id of the request whose work is running now, if any. */
export function currentRequestId(): string | undefined {
  return current.getStore()?.requestId;
}

/** The id of a request Yoga is handling: the current one, else one taken from its header once. */
export function requestIdOf(request: Request): string {
  const running = currentRequestId();
  if (running !== undefined) return running;
  let id = ofRequest.get(request);
  if (id === undefined) {
    id = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    ofRequest.set(request, id);
  }
  return id;
}
