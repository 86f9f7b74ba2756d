import type { FastifyRequest } from 'fastify';
import type { VendorReply } from '../core/server.js';
import { distruErrors } from './errors.js';
import type { TokenKind } from './sessions.js';
import type { DistruStore } from './store.js';

/** Route patterns that need no token: logging in (seed 002, "Logging in as your user"). */
export const PUBLIC_ROUTES = ['/api/v1/sessions'] as const;

/** Which kinds of token each session route takes; every other route (all of `/public/v1`) takes an API token. */
const SESSION_ROUTES: Record<string, readonly TokenKind[]> = {
  '/api/v1/sessions/generate_api_token': ['session'],
  '/api/v1/sessions/delete': ['session', 'api'],
};

/**
 * The token of a request. The recorded `/public/v1` requests send `authorization: Bearer <token>`,
 * the Authentication section sends the bare token; both are accepted.
 */
export function requestToken(request: FastifyRequest): string | null {
  const value = request.headers.authorization;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match?.[1] ?? value.trim();
}

export function authorizeDistru(request: FastifyRequest, store: DistruStore): VendorReply | null {
  const token = requestToken(request);
  const kind = token === null ? null : store.sessions.kindOf(token);
  const accepted = SESSION_ROUTES[request.routeOptions.url ?? ''] ?? ['api'];
  return kind !== null && accepted.includes(kind) ? null : distruErrors.unauthorized();
}
