/**
 * `npm run bench -- retries`: integrations retrying mutations over a network that drops answers.
 * The sandboxes apply each write and then lose its answer on RETRY_LOSS_RATE (default 0.5) of the
 * write calls (`loseResponse`); for each mutation, RETRY_KEYS (default 20) idempotency keys are
 * sent, each re-sent after an error up to RETRY_ATTEMPTS (default 6) times, like a client does.
 *
 * Per mutation it prints the retried sends, the vendor writes applied (every write call that
 * reached the vendor: the fault applies them all), duplicates (writes applied beyond one per key:
 * target 0), OUTCOME_UNKNOWN answers, and lost acknowledged writes (keys answered as done whose
 * write the vendor does not hold: target 0). Bounded: keys × attempts sends per mutation.
 */
import { loadConfig } from '../src/config.js';
import { Crosswalk } from '../src/catalog/crosswalk.js';
import { toGlobalId } from '../src/model/global-id.js';
import { startGateway } from '../src/server/gateway.js';
import { sandboxConnections } from '../src/server/sandbox-wiring.js';
import { startSandboxes } from '../sandbox/index.js';
import { warehouseIdOf } from '../sandbox/hapihub/index.js';
import type { VendorName } from '../sandbox/world/index.js';
import { worldCrosswalk } from '../sandbox/world/index.js';
import { benchDataDir } from './data-dir.js';
import { printTable } from './stats.js';

const KEYS = Number(process.env.RETRY_KEYS ?? 20);
const ATTEMPTS = Number(process.env.RETRY_ATTEMPTS ?? 6);
const LOSS_RATE = Number(process.env.RETRY_LOSS_RATE ?? 0.5);

interface Scenario {
  mutation: string;
  vendor: VendorName;
  /** The write call whose answers are lost, as the sandbox counts it. */
  route: string;
  query: string;
  input(i: number): Record<string, unknown>;
}

export async function runRetriesBench(): Promise<void> {
  const sandboxes = await startSandboxes({ scale: 0.2, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', OPSGRAPH_DATA_DIR: benchDataDir() });
  // Half the write answers lost in a row would open the write breaker (the soak's subject): here
  // every send must reach the idempotency store and the vendor, so the breaker never opens.
  const breaker = { breaker: { failureThreshold: 1_000_000, openMs: 1_000 } };
  const httpOverrides = { ISOLOCITY: breaker, PHARUS: breaker, DISTRU: breaker, HAPIHUB: breaker };
  const gateway = await startGateway(config, { vendors: sandboxConnections(sandboxes), crosswalk: new Crosswalk(worldCrosswalk(sandboxes.world)), httpOverrides });
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  };
  try {
    const sku = sandboxes.world.skus.find((s) => Object.keys(s.vendorCodes).length === 4 && s.vendorCodes.pharus === s.code && s.vendorCodes.hapihub === s.code)?.code as string;
    const pharusStock = (await gql('query($code: String!) { sku(code: $code) { inventory(vendors: [PHARUS]) { location { id } } } }', { code: sku })) as { data: { sku: { inventory: { location: { id: string } }[] } } };
    const pharusLocation = pharusStock.data.sku.inventory[0]?.location.id;
    const parts = ((await gql('query { parts(first: 2) { nodes { id } } }', {})) as { data: { parts: { nodes: { id: string }[] } } }).data.parts.nodes;
    const inspection = (await gql('mutation($input: CreateInspectionInput!) { createInspection(input: $input) { inspection { vendorId } } }', { input: { partId: parts[0]?.id, sampleSize: 1 } })) as {
      data: { createInspection: { inspection: { vendorId: string } } };
    };
    const inspectionId = toGlobalId('Inspection', 'ISOLOCITY', inspection.data.createInspection.inspection.vendorId);
    const ADJUST = 'mutation($input: AdjustInventoryInput!) { adjustInventory(input: $input) { vendor } }';
    const scenarios: Scenario[] = [
      { mutation: 'adjustInventory (HAPIHub)', vendor: 'hapihub', route: 'POST /inventory-transactions', query: ADJUST, input: (i) => ({ idempotencyKey: `bench-hapihub-${i}`, vendor: 'HAPIHUB', skuCode: sku, locationId: warehouseIdOf('LOC-1'), quantity: '1' }) },
      { mutation: 'adjustInventory (Pharus)', vendor: 'pharus', route: 'POST /api/finished-goods-inventory/adjustments', query: ADJUST, input: (i) => ({ idempotencyKey: `bench-pharus-${i}`, vendor: 'PHARUS', skuCode: sku, locationId: pharusLocation, quantity: '1' }) },
      {
        mutation: 'createInventoryTransaction',
        vendor: 'hapihub',
        route: 'POST /inventory-transactions',
        query: 'mutation($input: CreateInventoryTransactionInput!) { createInventoryTransaction(input: $input) { transaction { vendorId } } }',
        input: (i) => ({ idempotencyKey: `bench-tx-${i}`, type: 'PURCHASE', warehouseId: warehouseIdOf('LOC-1'), items: [{ skuCode: sku, quantity: '1' }] }),
      },
      {
        mutation: 'createInspection',
        vendor: 'isolocity',
        route: 'POST /api/v2/inspections',
        query: 'mutation($input: CreateInspectionInput!) { createInspection(input: $input) { inspection { vendorId } } }',
        input: (i) => ({ idempotencyKey: `bench-inspection-${i}`, partId: parts[1]?.id, sampleSize: 1 }),
      },
      {
        mutation: 'createNcr',
        vendor: 'isolocity',
        route: 'POST /api/v2/ncrs',
        query: 'mutation($input: CreateNcrInput!) { createNcr(input: $input) { ncr { vendorId } } }',
        input: (i) => ({ idempotencyKey: `bench-ncr-${i}`, number: `NCR-BENCH-${i}`, source: 'INTERNAL', partId: parts[0]?.id, quantity: 1 }),
      },
      {
        mutation: 'addInspectionSample (numbered)',
        vendor: 'isolocity',
        route: 'POST /api/v2/inspections/',
        query: 'mutation($input: AddInspectionSampleInput!) { addInspectionSample(input: $input) { sample { vendorId } } }',
        input: (i) => ({ idempotencyKey: `bench-sample-${i}`, inspectionId, sampleNumber: 100 + i }),
      },
    ];

    const rows: Record<string, string | number>[] = [];
    for (const s of scenarios) {
      const handle = sandboxes.handles[s.vendor];
      handle?.stats.reset();
      handle?.faults.add({ match: s.route.replace(/^(\w+) /, '$1 '), loseResponse: true, rate: LOSS_RATE });
      let sends = 0;
      let unknown = 0;
      let acknowledged = 0;
      for (let i = 0; i < KEYS; i++) {
        for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
          sends++;
          const answer = await gql(s.query, { input: s.input(i) });
          const code = answer.errors?.[0]?.extensions?.code;
          if (code === 'OUTCOME_UNKNOWN') unknown++;
          if (!answer.errors) {
            acknowledged++;
            break;
          }
        }
      }
      handle?.faults.clear();
      const applied = Object.entries(handle?.stats.snapshot().requests ?? {})
        .filter(([route]) => route === s.route || (s.route.endsWith('/') && route.startsWith(s.route.split(' ')[0] ?? '') && route.includes('/samples')))
        .reduce((n, [, count]) => n + count, 0);
      const duplicates = Math.max(0, applied - KEYS);
      const lost = Math.max(0, acknowledged - applied);
      rows.push({
        mutation: s.mutation,
        keys: KEYS,
        'retried sends': sends - KEYS,
        'vendor writes applied': applied,
        duplicates: `${duplicates} (target 0: ${duplicates === 0 ? 'met' : 'NOT met'})`,
        OUTCOME_UNKNOWN: unknown,
        'keys acknowledged': acknowledged,
        'lost acknowledged writes': `${lost} (target 0: ${lost === 0 ? 'met' : 'NOT met'})`,
      });
    }
    printTable(`Retries over lost answers (loss rate ${LOSS_RATE}, ${KEYS} keys × up to ${ATTEMPTS} sends per mutation)`, rows);
  } finally {
    await gateway.close();
    await sandboxes.close();
  }
}
