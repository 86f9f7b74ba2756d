import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { clientLabel, type RequestLogOptions } from './request-log-plugin.js';

/**
 * GraphQL metrics from the Yoga Prometheus plugin, on the gateway's own registry (GatewayMetrics): requests, operation
 * duration, execution time, and errors by `extensions.code`. The plugin's defaults that would put
 * unbounded values into labels (the error `path` with list indices, the request URL with a GET
 * query) or cost a summary per request are switched off. `/metrics` itself is served by the
 * gateway (src/observability/metrics-endpoint.ts), so that it can live on METRICS_PORT and be guarded.
 * Every series carries `client`: the API key's name or the JWT's client (bounded by the keys file
 * and the identity provider), `anonymous` with AUTH=none.
 */
export function useGraphqlMetrics(registry: Registry, options: RequestLogOptions): Plugin {
  const clientOf = (context: unknown): string => {
    const request = (context as { request?: Request } | null)?.request;
    return request ? clientLabel(request, options) : 'unknown';
  };
  return usePrometheus({
    registry,
    endpoint: false,
    metrics: {
      graphql_envelop_request: createCounter({
        registry,
        counter: { name: 'opsgraph_graphql_requests_total', help: 'GraphQL operations executed', labelNames: ['operationType', 'operationName', 'client'] },
        fillLabelsFn: (params, context) => ({ operationType: params.operationType ?? 'unknown', operationName: params.operationName ?? 'Anonymous', client: clientOf(context) }),
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'opsgraph_graphql_operation_duration_seconds',
          help: 'Duration of GraphQL operations, parse to result',
          labelNames: ['operationType', 'operationName', 'client'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        },
        fillLabelsFn: (params, context) => ({ operationType: params.operationType ?? 'unknown', operationName: params.operationName ?? 'Anonymous', client: clientOf(context) }),
      }),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: { name: 'opsgraph_graphql_errors_total', help: 'GraphQL errors returned, by extensions.code and phase', labelNames: ['operationType', 'operationName', 'client', 'phase', 'code'] },
        fillLabelsFn: (params, context) => {
          const code = params.error?.extensions?.['code'];
          return {
            operationType: params.operationType ?? 'unknown',
            operationName: params.operationName ?? 'Anonymous',
            client: clientOf(context),
            phase: params.errorPhase ?? 'unknown',
            code: typeof code === 'string' ? code : params.errorPhase === 'execute' ? 'INTERNAL_SERVER_ERROR' : 'GRAPHQL_VALIDATION_FAILED',
          };
        },
      }),
      graphql_envelop_phase_execute: true,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_schema_change: false,
      graphql_yoga_http_duration: false,
    },
  });
}
