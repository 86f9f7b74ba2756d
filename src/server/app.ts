import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import { resolvers } from '../../resolvers/index.js';
import { UpstreamTrace } from '../http/trace.js';
import type { StaleNote } from '../cache/scope.js';
import type { Vendor } from '../model/records.js';
import type { VendorSource } from '../vendors/types.js';
import { clientOf, useClientAuth } from './auth/client-auth.js';
import type { GatewayContext, GatewayRequestState } from './context.js';
import { Redactor } from './errors/redact.js';
import { requestIdOf, useRequestId } from './errors/request-id.js';
import { useErrorHardening } from './errors/use-error-hardening.js';
import { corsFor, refuseBody, useCsrf } from './http-guards.js';
import { useQueryLimits } from './limits/use-query-limits.js';
import { RequestLoaders } from './loaders.js';
import type { GatewayRuntime } from './runtime.js';
import { loadSchemaSdl } from './schema-files.js';
import { useUpstreamTrace } from './trace-plugin.js';
import { useFreshness } from './freshness-plugin.js';
import { serveExport } from '../export/export-route.js';
import { exportAuthorizer } from '../export/authorize.js';
import { readiness } from './readiness.js';
import { GRAPHIQL_ASSET_PREFIX, graphiqlOptions, renderOfflineGraphiQL, serveGraphiqlAsset } from './graphiql.js';

export interface AppOptions {
  /** The query (and variables) GraphiQL opens with. */
  graphiql?: { query: string; variables?: string };
  logging?: boolean;
  /** Benchmark baseline only: no DataLoader batching. */
  naive?: boolean;
  /** Where masked errors are logged (with their request id); silent when absent. */
  log?: Logger;
  /** Removes configured secrets (vendor tokens, base URLs) from vendor error texts. */
  redactor?: Redactor;
}

export interface GatewayApp {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayRequestState>;
  server: Server;
}

/** The GraphQL server (Yoga) and the HTTP server around it, with /healthz and /readyz. */
export function createGatewayApp(runtime: GatewayRuntime, options: AppOptions = {}): GatewayApp {
  const schema = makeExecutableSchema<GatewayContext>({ typeDefs: loadSchemaSdl(), resolvers });
  const { limits, exposure, auth } = runtime.config;
  const log = options.log ?? pino({ level: 'silent' });
  const hardening = useErrorHardening(log, options.redactor ?? new Redactor());

  const yoga = createYoga<Record<string, unknown>, GatewayRequestState>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: options.logging ?? false,
    // NODE_ENV=production: no GraphiQL unless GRAPHIQL=1 (it would advertise the schema).
    graphiql: exposure.graphiql ? graphiqlOptions(options.graphiql) : false,
    renderGraphiQL: renderOfflineGraphiQL,
    cors: corsFor(exposure),
    maxRequestBodySize: limits.maxBodyBytes,
    // Errors we raise are GraphQLErrors with codes and are shown; anything else (a bug) is masked
    // as "Unexpected error." with a request id, and logged server-side under that id.
    maskedErrors: { maskError: hardening.maskError },
    plugins: [useRequestId(), useCsrf(), useClientAuth(auth), ...useQueryLimits(limits, exposure), hardening.plugin, useUpstreamTrace(), useFreshness()],
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
    if (refuseBody(req, res, limits.maxBodyBytes)) return;
    void yoga(req, res);
  });
  return { yoga, server };
}
