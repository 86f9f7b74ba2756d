/**
 * `npm start`: the gateway. With no vendor configured it starts the four vendor sandboxes
 * in-process on their default ports (4101-4104, with their /__sandbox/ test hooks) and points the
 * gateway at them; with <VENDOR>_BASE_URL and tokens set it talks to the real vendors.
 */
import { ConfigError, configuredSecrets, loadConfig, type GatewayConfig } from './config.js';
import { createLogger } from './observability/logger.js';
import { startTelemetry } from './observability/telemetry.js';
import { Crosswalk } from './catalog/crosswalk.js';
import { startGateway, type StartedGateway } from './server/gateway.js';
import { sandboxConnections } from './server/sandbox-wiring.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { worldCrosswalk } from '../sandbox/world/index.js';
import { distruShowcaseOrderId } from '../sandbox/showcase.js';
import { toGlobalId } from './model/global-id.js';
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
const log = createLogger({ level: config.logLevel, secrets: configuredSecrets(config) });
// Before the gateway is built, so that its spans and the undici instrumentation are live from the start.
const telemetry = startTelemetry({ otlpEndpoint: config.otlpEndpoint });
if (telemetry) log.info({ otlpEndpoint: config.otlpEndpoint }, 'OpenTelemetry traces exported over OTLP');

let sandboxes: Sandboxes | null = null;
let gateway: StartedGateway;
try {
  if (config.mode === 'sandbox') {
    sandboxes = await startSandboxes({ seed: config.sandbox.seed, scale: config.sandbox.scale, latencyMs: config.sandbox.latencyMs, host: '127.0.0.1' });
    const vendors = sandboxConnections(sandboxes);
    for (const [name, handle] of Object.entries(sandboxes.handles)) log.info({ vendor: name, url: handle.url }, 'sandbox started');
    const crosswalk = config.crosswalkFile ? Crosswalk.fromFile(config.crosswalkFile) : new Crosswalk(worldCrosswalk(sandboxes.world));
    // GraphiQL opens on the flagship query for the 50-line Distru showcase order.
    const orderId = toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(sandboxes.world, 'fiftyLines'));
    gateway = await startGateway(config, { vendors, crosswalk, graphiql: flagshipGraphiql(orderId), logger: log, checkVendors: true });
  } else {
    gateway = await startGateway(config, {
      graphiql: { query: FLAGSHIP_QUERY, variables: JSON.stringify({ id: 'paste an Order id from orders(first: 10) { nodes { id } }' }, null, 2) },
      logger: log,
      checkVendors: true,
    });
  }
} catch (error) {
  log.error({ err: error }, 'opsgraph could not start');
  await sandboxes?.close();
  process.exit(1);
}

log.info({ url: `${gateway.url}/graphql`, metrics: gateway.metricsUrl, mode: config.mode, vendors: Object.keys(gateway.runtime.vendors) }, 'opsgraph gateway ready (GraphiQL at /graphql)');
console.log(`opsgraph ready: ${gateway.url}/graphql (${config.mode === 'sandbox' ? 'built-in vendor sandboxes on 4101-4104' : 'real vendors'})`);

// Graceful shutdown: stop accepting, let in-flight requests finish, then release everything.
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  await gateway.close();
  await sandboxes?.close();
  await telemetry?.shutdown();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
