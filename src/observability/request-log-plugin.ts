import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { UpstreamTrace } from '../http/trace.js';
import { currentRequestId, REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';

interface RequestState {
  requestId: string;
  started: number;
  graphql: boolean;
  operation: string | null;
  operationType: string | null;
  client: string;
  trace: UpstreamTrace | null;
  /** Error code → how many errors carried it. */
  errors: Record<string, number>;
}

/**
 * One JSON line per GraphQL request: `requestId`, `client`, `operation`, `durationMs`, the HTTP
 * status, `vendorCalls` by vendor (the request's UpstreamTrace) and the error codes returned
 * (`errors: { VENDOR_TIMEOUT: 2 }`). Never the query text or variables: they may carry data.
 * The request id also goes back to the client in the `x-request-id` response header.
 */
export function useRequestLog(log: Logger): Plugin {
  const states = new WeakMap<Request, RequestState>();
  return {
    onRequest({ request }) {
      states.set(request, {
        requestId: currentRequestId() ?? requestIdFrom(request.headers.get(REQUEST_ID_HEADER)),
        started: performance.now(),
        graphql: false,
        operation: null,
        operationType: null,
        client: 'anonymous',
        trace: null,
        errors: {},
      });
    },
    onExecute({ args }) {
      const ctx = args.contextValue as { request?: Request; trace?: UpstreamTrace; client?: unknown };
      const state = ctx.request ? states.get(ctx.request) : undefined;
      if (!state) return;
      const operation = getOperationAST(args.document, args.operationName);
      state.graphql = true;
      state.operation = operation?.name?.value ?? args.operationName ?? null;
      state.operationType = operation?.operation ?? null;
      state.client = clientName(ctx.client);
      state.trace = ctx.trace ?? null;
    },
    onResultProcess({ request, result }) {
      const state = states.get(request);
      if (!state) return;
      state.graphql = true;
      for (const one of Array.isArray(result) ? result : [result]) {
        if (!one || typeof one !== 'object' || !('errors' in one) || !one.errors) continue;
        for (const error of one.errors as readonly GraphQLError[]) {
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
          client: state.client,
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

/**
 * The client's name as the API's authentication put it on the context (`client`: a name, or an
 * object with a `name`); 'anonymous' when there is none.
 */
export function clientName(client: unknown): string {
  if (typeof client === 'string' && client !== '') return client;
  if (client && typeof client === 'object' && 'name' in client && typeof client.name === 'string' && client.name !== '') return client.name;
  return 'anonymous';
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
