import { createGraphQLError } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';

/** No usable credential: HTTP 401 with a `WWW-Authenticate` challenge (RFC 6750 §3). */
export function unauthenticated(message: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="opsgraph"' } } } });
}

/** A known client without the scope an operation needs; names the scope. */
export function forbidden(message: string, scope: string, status?: number): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'FORBIDDEN', scope, ...(status ? { http: { status } } : {}) } });
}
