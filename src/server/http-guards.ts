import type { IncomingMessage, ServerResponse } from 'node:http';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Exposure } from '../config.js';

/**
 * Headers that make a browser preflight a request (none is CORS-safelisted), so a page on another
 * origin cannot send them without CORS allowing it: GraphQL clients' usual CSRF headers, and our
 * credentials' headers.
 */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-opsgraph-csrf', 'authorization', 'x-api-key'];

/**
 * Yoga's CSRF prevention: a request must have a non-simple content type (application/json,
 * application/graphql-response+json…) or one of CSRF_HEADERS, so an HTML form or a "simple"
 * cross-site fetch cannot run an operation. Refused with 403 and `CSRF_PREVENTED`.
 */
export function useCsrf(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    onRequestParse(payload) {
      try {
        csrf.onRequestParse?.(payload as never);
      } catch {
        throw createGraphQLError(`Requests must be sent as application/json, or carry one of the headers ${CSRF_HEADERS.join(', ')} (CSRF prevention)`, {
          extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } },
        });
      }
    },
  };
}

/**
 * CORS for Yoga: only allow-listed origins (`CORS_ORIGINS`) get CORS headers, never with
 * credentials (opsgraph takes none from cookies: a credential is a header the page sets itself).
 * `*` allows every origin, answered as `*`, not echoed.
 */
export function corsFor(exposure: Exposure) {
  const any = exposure.corsOrigins.includes('*');
  const allowed = new Set(exposure.corsOrigins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || (!any && !allowed.has(origin))) return false as const;
    return {
      origin: any ? '*' : [origin],
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'accept', 'authorization', 'x-api-key', 'x-opsgraph-trace', 'x-request-id', 'x-graphql-yoga-csrf'],
      exposedHeaders: ['x-request-id'],
      maxAge: 600,
    };
  };
}

/**
 * `MAX_BODY_BYTES`, answered before Yoga reads a byte: a declared length over the limit is 413,
 * a POST without a declared length (chunked) 411. Yoga's own body limit stays as a backstop.
 * Returns true when it answered.
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): boolean {
  if (req.method !== 'POST') return false;
  const declared = req.headers['content-length'];
  const refuse = (status: number, code: string, message: string): true => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' }).end(JSON.stringify({ errors: [{ message, extensions: { code, limit: maxBodyBytes } }] }));
    req.resume();
    return true;
  };
  if (declared === undefined) return refuse(411, 'LENGTH_REQUIRED', 'A POST must declare its Content-Length');
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length < 0) return refuse(400, 'BAD_REQUEST', 'Content-Length is not a number');
  if (length > maxBodyBytes) return refuse(413, 'PAYLOAD_TOO_LARGE', `Request body of ${length} bytes is over the limit of ${maxBodyBytes} bytes (MAX_BODY_BYTES)`);
  return false;
}
