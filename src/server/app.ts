import type { InteractiveLoad } from './interactive-load.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { resolvers } from '../../resolvers/index.js';
import { UpstreamTrace } from '../http/trace.js';
import type { StaleNote } from '../cache/scope.js';
import type { Vendor } from '../model/records.js';
import type { VendorSource } from '../vendors/types.js';
import { clientAuth, clientOf } from './auth/client-auth.js';
import type { GatewayContext, GatewayRequestState } from './context.js';
import { Redactor } from './errors/redact.js';
import { useErrorHardening } from './errors/use-error-hardening.js';
import { corsFor, refuseBody, useCsrf } from './http-guards.js';
import { useQueryLimits } from './limits/use-query-limits.js';
import { RequestLoaders } from './loaders.js';
import type { GatewayRuntime } from './runtime.js';
import { gatewaySchema } from './executable-schema.js';
import { useUpstreamTrace } from './trace-plugin.js';
import { useFreshness } from './freshness-plugin.js';
import { serveExport } from '../export/export-route.js';
import { exportAuthorizer } from '../export/authorize.js';
import { readiness } from './readiness.js';
import { metricsGuard } from './metrics-guard.js';
import { GRAPHIQL_ASSET_PREFIX, graphiqlOptions, renderOfflineGraphiQL, serveGraphiqlAsset } from './graphiql.js';
import { context, propagation, trace } from '@opentelemetry/api';
import { useOpenTelemetry } from '@envelop/opentelemetry';
import { yogaLogger } from '../observability/logger.js';
import { serveMetrics, type MetricsGuard } from '../observability/metrics-endpoint.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { useGraphqlMetrics } from '../observability/prometheus-plugin.js';
import { requestIdFrom, requestIdOf, withRequestId, REQUEST_ID_HEADER } from '../observability/request-id.js';
import { useRequestLog } from '../observability/request-log-plugin.js';

export interface AppOptions {
  /** The query (and variables) GraphiQL opens with. */
  graphiql?: { query: string; variables?: string };
  /** Request lines, vendor warnings, masked errors with their request id (src/observability/logger.ts). */
  log: Logger;
  /** This gateway's metrics (its own registry; the GraphQL metrics are added to it). */
  metrics: GatewayMetrics;
  /** Serve /metrics here (false when METRICS_PORT gives it a port of its own). */
  serveMetricsHere: boolean;
  /** Benchmark baseline only: no DataLoader batching. */
  naive?: boolean;
  /** Removes configured secrets (vendor tokens, base URLs) from vendor error texts. */
  redactor?: Redactor;
  /** Counts GraphQL requests in flight, for the sync to wait on (src/server/interactive-load.ts). */
  interactive?: InteractiveLoad;
}

export interface GatewayApp {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayRequestState>;
  server: Server;
  /** The API's client authentication applied to a /metrics scrape (also METRICS_PORT's). */
  metricsGuard: MetricsGuard;
}

/** The GraphQL server (Yoga) and the HTTP server around it, with /healthz and /readyz. */
export function createGatewayApp(runtime: GatewayRuntime, options: AppOptions): GatewayApp {
  const schema = gatewaySchema<GatewayContext>(resolvers);
  const { limits, exposure, auth } = runtime.config;
  const { log } = options;
  const hardening = useErrorHardening(log, options.redactor ?? new Redactor());
  const authentication = clientAuth(auth);
  const guard = metricsGuard(authentication);

  const yoga = createYoga<Record<string, unknown>, GatewayRequestState>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: yogaLogger(log),
    // NODE_ENV=production: no GraphiQL unless GRAPHIQL=1 (it would advertise the schema).
    graphiql: exposure.graphiql ? graphiqlOptions(options.graphiql) : false,
    renderGraphiQL: renderOfflineGraphiQL,
    cors: corsFor(exposure),
    maxRequestBodySize: limits.maxBodyBytes,
    // Errors we raise are GraphQLErrors with codes and are shown; anything else (a bug) is masked
    // as "Unexpected error." with a request id, and logged server-side under that id.
    maskedErrors: { maskError: hardening.maskError },
    plugins: [
      // The operation's span (`query.Flagship`); a no-op unless telemetry is on. The provider is
      // always passed: without one the plugin would build its own console exporter.
      useOpenTelemetry({ resolvers: false, variables: false, result: false }, trace.getTracerProvider(), undefined, undefined, 'opsgraph'),
      // Before authentication, so that a refused request is logged and answered with its id too.
      useRequestLog(log, { authenticated: auth.mode !== 'none' }),
      useGraphqlMetrics(options.metrics.registry, { authenticated: auth.mode !== 'none' }),
      useCsrf(),
      authentication.plugin,
      ...useQueryLimits(limits, exposure),
      hardening.plugin,
      useUpstreamTrace(),
      useFreshness(),
    ],
    context: ({ request }): GatewayRequestState => {
      const client = clientOf(request);
      const trace = new UpstreamTrace(limits.maxVendorCallsPerRequest);
      const stale: StaleNote[] = [];
      const scope = {
        call: { trace, signal: request.signal, deadline: Date.now() + runtime.config.requestDeadlineMs, client: client.name },
        noteStale: (note: StaleNote) => {
          stale.push(note);
        },
      };
      const sources: Partial<Record<Vendor, VendorSource>> = {};
      for (const [vendor, vendorRuntime] of Object.entries(runtime.vendors) as [Vendor, GatewayRuntime['vendors'][Vendor]][]) {
        if (vendorRuntime) sources[vendor] = vendorRuntime.forRequest(scope);
      }
      return { loaders: new RequestLoaders(sources, !options.naive), crosswalk: runtime.crosswalk, scope, trace, stale, runtime, client, requestId: requestIdOf(request) };
    },
  });

  // Exports (src/export/) answer from the store, after the API's own authentication.
  const exportDeps = { runtime, authorize: exportAuthorizer(yoga), log };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (path === '/readyz') {
      const report = readiness(runtime);
      res.writeHead(report.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report));
      return;
    }
    if (path?.startsWith(GRAPHIQL_ASSET_PREFIX)) {
      void serveGraphiqlAsset(path, req, res);
      return;
    }
    if (path === '/') {
      res.writeHead(302, { location: '/graphql' }).end();
      return;
    }
    if (path?.startsWith('/export/')) {
      serveExport(req, res, exportDeps).catch((error: unknown) => {
        log.error({ err: error }, 'export failed before it started');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
        else res.destroy();
      });
      return;
    }
    if (path === '/metrics' && options.serveMetricsHere) {
      serveMetrics(req, res, options.metrics, guard).catch((error: unknown) => {
        log.error({ err: error }, '/metrics failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    // Everything the request causes — vendor warnings deep in the HTTP layer included — logs its id,
    // and its spans continue the caller's trace when it sent a W3C `traceparent` (no-op when off).
    if (refuseBody(req, res, limits.maxBodyBytes)) return;
    // Until the answer is sent or the client is gone ('close' comes either way).
    const leave = options.interactive?.enter();
    if (leave) res.once('close', leave);
    const parent = propagation.extract(context.active(), req.headers);
    void withRequestId(requestIdFrom(req.headers[REQUEST_ID_HEADER]), () => context.with(parent, () => yoga(req, res)));
  });
  return { yoga, server, metricsGuard: guard };
}
