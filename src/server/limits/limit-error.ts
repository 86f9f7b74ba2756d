import { createGraphQLError } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';

/** Which limit refused a request; the code a client sees in `extensions.code`. */
export type LimitCode =
  | 'MAX_DEPTH_EXCEEDED'
  | 'MAX_ALIASES_EXCEEDED'
  | 'MAX_TOKENS_EXCEEDED'
  | 'MAX_DIRECTIVES_EXCEEDED'
  | 'MAX_COST_EXCEEDED'
  | 'MAX_PARSER_DEPTH_EXCEEDED'
  | 'PAYLOAD_TOO_LARGE';

/** A request refused by a limit before execution: HTTP 400 (413 for the body), the limit's code and setting. */
export function limitError(code: LimitCode, message: string, setting: string, limit: number, status = 400): GraphQLError {
  return createGraphQLError(message, { extensions: { code, setting, limit, http: { status } } });
}
