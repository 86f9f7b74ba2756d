import { getOperationAST, type ExecutionArgs, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { UpstreamTrace } from '../http/trace.js';
import { authenticatedClientOf } from '../server/auth/client-auth.js';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.js';

interface RequestState {
  requestId: string;
  started: number;
  graphql: boolean;
  operation: string | null;
  operationType: string | null;
  trace: UpstreamTrace | null;
  /** Error code → how many errors carried it. */
  errors: Record<string, number>;
}

export interface RequestLogOptions {
  /** Client authentication is on: a request without a verified client is logged as `unauthenticated`. */
  authenticated: boolean;
}

/**
 * One JSON line per GraphQL request: `requestId`, `client` (the API key's name or the JWT's client,
 * `anonymous` with AUTH=none, `unauthenticated` when refused), `operation`, `durationMs`, the HTTP
 * status, `vendorCalls` by vendor (the request's UpstreamTrace) and the error codes returned
 * (`errors: { VENDOR_TIMEOUT: 2 }`). Never the query text or variables: they may carry data.
 * The request id also goes back to the client in the `x-request-id` response header.
 */
export function useRequestLog(log: Logger, options: RequestLogOptions): Plugin {
  const states = new WeakMap<Request, RequestState>();
  return {
    onRequest({ request }) {
      states.set(request, {
        requestId: requestIdOf(request),
        started: performance.now(),
        graphql: false,
        operation: null,
        operationType: null,
        trace: null,
        errors: {},
      });
    },
    onExecute({ args }) {
      const { contextValue, document, operationName } = args as ExecutionArgs;
      const ctx = contextValue as { request?: Request; trace?: UpstreamTrace };
      const state = ctx.request ? states.get(ctx.request) : undefined;
      if (!state) return;
      const operation = getOperationAST(document, operationName);
      state.graphql = true;
      state.operation = operation?.name?.value ?? operationName ?? null;
      state.operationType = operation?.operation ?? null;
      state.trace = ctx.trace ?? null;
    },
    onResultProcess({ request, result }) {
      const state = states.get(request);
      if (!state) return;
      state.graphql = true;
      for (const one of Array.isArray(result) ? result : [result]) {
        if (!one || typeof one !== 'object' || !('errors' in one) || !one.errors) continue;
        for (const error of one.errors) {
          const code = errorCodeOf(error);
          state.errors[code] = (state.errors[code] ?? 0) + 1;
        }
      }
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      response.headers.set(REQUEST_ID_HEADER, state.requestId);
      if (!state.graphql) return;
      log.info(
        {
          requestId: state.requestId,
          client: clientLabel(request, options),
          operation: state.operation,
          operationType: state.operationType,
          status: response.status,
          durationMs: Math.round(performance.now() - state.started),
          upstreamCalls: state.trace?.calls ?? 0,
          vendorCalls: state.trace ? { ...state.trace.byVendor } : {},
          errors: state.errors,
        },
        'graphql request',
      );
    },
  };
}

/** The client's name for logs and metrics labels (bounded: API key names and sanitised JWT clients). */
export function clientLabel(request: Request, options: RequestLogOptions): string {
  const client = authenticatedClientOf(request);
  if (client) return client.name;
  return options.authenticated ? 'unauthenticated' : 'anonymous';
}

/**
 * The error's `extensions.code`; a request-level error without one (a parse or validation error,
 * which has no path) counts as GRAPHQL_VALIDATION_FAILED, a field error without one as
 * INTERNAL_SERVER_ERROR.
 */
function errorCodeOf(error: GraphQLError): string {
  const code = error.extensions?.code;
  if (typeof code === 'string') return code;
  return error.path === undefined ? 'GRAPHQL_VALIDATION_FAILED' : 'INTERNAL_SERVER_ERROR';
}
