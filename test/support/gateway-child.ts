/**
 * A gateway in its own process, for tests that need several (replicas sharing one PostgreSQL):
 * `tsx test/support/gateway-child.ts` with OPSGRAPH_TEST_VENDORS (JSON of vendor connections, as
 * sandboxConnections gives), OPSGRAPH_TEST_SCALE (the sandboxes' world scale, for the crosswalk) and
 * DATABASE_URL (and DISTRU_MAX_RPS, optional). Starts on port 0 and prints its URL on the first line; SIGTERM closes it.
 */
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import { loadConfig } from '../../src/config.js';
import { startGateway } from '../../src/server/gateway.js';
import { generateWorld, worldCrosswalk } from '../../sandbox/world/index.js';

const vendors = JSON.parse(process.env.OPSGRAPH_TEST_VENDORS ?? '{}') as Parameters<typeof startGateway>[1] extends infer O ? (O extends { vendors?: infer V } ? V : never) : never;
const scale = Number(process.env.OPSGRAPH_TEST_SCALE ?? '1');
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: process.env.DATABASE_URL ?? '',
  OPSGRAPH_DATA_DIR: process.env.OPSGRAPH_DATA_DIR ?? '.opsgraph-test',
  ...(process.env.DISTRU_MAX_RPS ? { DISTRU_MAX_RPS: process.env.DISTRU_MAX_RPS } : {}),
  // The background sync only where a test turns it on (SYNC=on, SYNC_LEASE_MS): the others count vendor calls.
  SYNC: process.env.SYNC ?? 'off',
  ...(process.env.SYNC_LEASE_MS ? { SYNC_LEASE_MS: process.env.SYNC_LEASE_MS } : {}),
});
const gateway = await startGateway(config, { vendors, crosswalk: new Crosswalk(worldCrosswalk(generateWorld({ seed: 42, scale }))) });
process.stdout.write(`${gateway.url}\n`);
process.once('SIGTERM', () => {
  void gateway.close().finally(() => process.exit(0));
});
