/**
 * `npm start` (`node dist/src/main.js`, built by `npm run build`): the gateway. With no vendor
 * configured it starts the four vendor sandboxes in this process (loaded by a dynamic import: they
 * are development-only), on SANDBOX_BASE_PORT and the next three (4101-4104 by default), and points
 * the gateway at them; with <VENDOR>_BASE_URL and tokens set it talks to the real vendors.
 */
import { ConfigError, configuredSecrets, loadConfig, type GatewayConfig } from './config.js';
import { createLogger } from './observability/logger.js';
import { startTelemetry } from './observability/telemetry.js';
import { Crosswalk } from './catalog/crosswalk.js';
import { startGateway, type StartedGateway } from './server/gateway.js';
import { applyHeapGrowth } from './server/heap-growth.js';
import { SandboxUnavailableError, startSandboxMode } from './server/sandbox-mode.js';
import { FLAGSHIP_QUERY, flagshipGraphiql } from './server/flagship.js';

let config: GatewayConfig;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`opsgraph: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
applyHeapGrowth(config.heapGrowingPercent);
const log = createLogger({ level: config.logLevel, secrets: configuredSecrets(config) });
for (const notice of config.notices) log.info(notice);
if (config.auth.mode === 'none') log.warn({ mode: config.mode }, 'AUTH=none: no client authentication, anyone who reaches this port can read and write');
// Before the gateway is built, so that its spans and the undici instrumentation are live from the start.
const telemetry = startTelemetry({ otlpEndpoint: config.otlpEndpoint });
if (telemetry) log.info({ otlpEndpoint: config.otlpEndpoint }, 'OpenTelemetry traces exported over OTLP');

let sandbox: Awaited<ReturnType<typeof startSandboxMode>> | null = null;
let gateway: StartedGateway;
try {
  if (config.mode === 'sandbox') {
    sandbox = await startSandboxMode(config);
    const crosswalk = config.crosswalkFile ? Crosswalk.fromFile(config.crosswalkFile) : new Crosswalk(sandbox.crosswalk);
    // GraphiQL opens on the flagship query for an order with invoices and inspected lines.
    const featured = sandbox.orders[0];
    gateway = await startGateway(config, { vendors: sandbox.connections, crosswalk, graphiql: featured ? flagshipGraphiql(featured.id) : { query: FLAGSHIP_QUERY }, log, checkVendors: true });
  } else {
    gateway = await startGateway(config, {
      log,
      checkVendors: true,
      graphiql: { query: FLAGSHIP_QUERY, variables: JSON.stringify({ id: 'paste an Order id from orders(first: 10) { nodes { id } }' }, null, 2) },
    });
  }
} catch (error) {
  if (error instanceof SandboxUnavailableError) console.error(`opsgraph: ${error.message}`);
  else log.error({ err: error }, 'opsgraph could not start');
  await sandbox?.close();
  await telemetry?.shutdown();
  process.exit(1);
}

log.info({ url: `${gateway.url}/graphql`, metrics: gateway.metricsUrl, mode: config.mode, vendors: Object.keys(gateway.runtime.vendors) }, 'opsgraph gateway ready (GraphiQL at /graphql)');
console.log(sandbox ? sandbox.banner(`${gateway.url}/graphql`) : `opsgraph ready: ${gateway.url}/graphql (real vendors)`);

// Graceful shutdown: stop accepting, let in-flight requests finish, then release everything.
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  await gateway.close();
  await sandbox?.close();
  await telemetry?.shutdown();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
