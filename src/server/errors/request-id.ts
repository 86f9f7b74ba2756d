import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const ids = new WeakMap<Request, string>();
/** A caller's own id is kept when it is short and plain (it is echoed and logged). */
const USABLE = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request's id: the caller's `X-Request-Id` when usable, else a new UUID. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (id === undefined) {
    const given = request.headers.get('x-request-id');
    id = given !== null && USABLE.test(given) ? given : randomUUID();
    ids.set(request, id);
  }
  return id;
}

/** Answers every GraphQL response with `X-Request-Id`, the id its server-side log lines carry. */
export function useRequestId(): Plugin {
  return {
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
