import type { GraphQLError } from 'graphql';
import { isGraphQLError } from '../../errors.js';
import { createGraphQLError, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';

import type { Redactor } from './redact.js';
import { currentRequestId, requestIdOf } from '../../observability/request-id.js';
import { clientOf } from '../auth/client-auth.js';

/**
 * What every error goes through before a client sees it:
 * - a vendor's error (it has `extensions.vendor`) is redacted and cut to 500 characters, message
 *   and extensions, because the vendor's text may quote our request and its credentials;
 * - a variable that could not be coerced (a bad `Decimal`, `DateTime`, `ID`, enum…) is
 *   BAD_USER_INPUT with `extensions.field`, the variable's path ("input.quantity");
 * - anything unexpected (a bug) is masked as "Unexpected error." with the request id, and logged
 *   server-side, stack included, under that id.
 */
export function useErrorHardening(log: Logger, redactor: Redactor): { plugin: Plugin; maskError: (error: unknown, message: string) => Error } {
  const requestOfError = new WeakMap<object, { requestId: string; client: string }>();

  const harden = (error: GraphQLError, requestId: string, client: string): GraphQLError => {
    if (!isExpected(error)) {
      requestOfError.set(error, { requestId, client });
      return error; // masked (and logged) by maskError below, which runs after this plugin
    }
    const variable = variableProblem(error);
    if (variable) return rebuild(error, variable.message, { ...error.extensions, code: 'BAD_USER_INPUT', field: variable.field });
    if (typeof error.extensions.vendor === 'string') return rebuild(error, redactor.text(error.message), redactor.deep(error.extensions) as Record<string, unknown>);
    return error;
  };

  const plugin: Plugin = {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const requestId = request ? requestIdOf(request) : 'none';
      const client = request ? clientOf(request).name : 'none';
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || Symbol.asyncIterator in result || !result.errors?.length) return;
          setResult({ ...result, errors: result.errors.map((e) => harden(e, requestId, client)) });
        },
      };
    },
    // Variable coercion errors are answered before execution on some paths (Yoga validates GET/POST
    // params): harden them there too.
    onResultProcess({ request, result, setResult }) {
      if (!result || Array.isArray(result) || Symbol.asyncIterator in result) return;
      const single = result as { errors?: readonly GraphQLError[] };
      if (!single.errors?.length) return;
      setResult({ ...single, errors: single.errors.map((e) => (isGraphQLError(e) ? harden(e, requestIdOf(request), clientOf(request).name) : e)) } as never);
    },
  };

  const maskError = (error: unknown, message: string): Error => {
    // Never Yoga's development mode: it would put the original error, stack and all, in the answer.
    const masked = yogaMaskError(error, message, false);
    if (masked === error) return masked;
    const original = isGraphQLError(error) ? (error.originalError ?? error) : error;
    const { requestId, client } = (error && typeof error === 'object' ? requestOfError.get(error) : undefined) ?? { requestId: currentRequestId() ?? 'unknown', client: 'unknown' };
    log.error(
      { requestId, client, path: isGraphQLError(error) ? error.path?.join('.') : undefined, err: original instanceof Error ? { type: original.name, message: redactor.text(original.message, 2_000), stack: redactor.text(original.stack ?? '', 4_000) } : String(original) },
      'unexpected error (masked for the client)',
    );
    const graphqlMasked = masked as GraphQLError;
    return createGraphQLError(message, { nodes: graphqlMasked.nodes, path: graphqlMasked.path, extensions: { ...graphqlMasked.extensions, requestId } });
  };
  return { plugin, maskError };
}

const VARIABLE = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)"/;
const AT_PATH = / at "([^"]*)"$/;

/**
 * graphql-js (coerceVariableValues) words a bad variable as `Variable "$input" got invalid value
 * <the whole value> at "input.quantity"; <reason>`: we keep the path and the reason and drop the
 * value, which may be megabytes long.
 */
function variableProblem(error: GraphQLError): { field: string; message: string } | null {
  if ((error.extensions.code !== undefined && error.extensions.code !== 'BAD_USER_INPUT') || error.extensions.field !== undefined) return null;
  const name = VARIABLE.exec(error.message)?.[1];
  if (!name) return null;
  const reason = error.originalError?.message;
  let head = error.message;
  if (reason !== undefined && head.endsWith(`; ${reason}`)) head = head.slice(0, -(reason.length + 2));
  const field = AT_PATH.exec(head)?.[1] ?? name;
  const said = reason ?? (head.includes('got invalid value') ? 'invalid value' : head.slice(VARIABLE.exec(head)?.[0].length ?? 0).trim());
  return { field, message: `Variable "$${name}" has an invalid value at "${field}": ${cut(said, 300)}` };
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Ours or graphql-js's own (a GraphQLError all the way down), not a bug. */
function isExpected(error: GraphQLError): boolean {
  let cause: unknown = error.originalError;
  for (let i = 0; cause && i < 5; i++) {
    if (!isGraphQLError(cause)) return false;
    cause = cause.originalError;
  }
  return true;
}

function rebuild(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  return createGraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}
