import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { startGateway, type StartedGateway } from '../../src/server/gateway.js';
import { IDS, PAT, startPharusPagesFixture, type PagesFixture } from './pharus-pages-server.js';
import { testDataDir } from '../support/data-dir.js';

const dataDir = testDataDir();

// Contract: the gateway against a fixture that answers exactly as Pharus's per-endpoint pages show
// (pharus-pages-server.ts), configured as a user would with an org-bound PAT and no PHARUS_ORG_ID.
// Each test pins one fact of issue 12: paths, the summary's figures, the positive ledger with a
// RECEIVE completing a transfer, 422, and the sales-order refusals.

let fixture: PagesFixture;
let gateway: StartedGateway;
/** Every request of the earlier tests (each test starts with an empty `fixture.requests`). */
const seen: string[] = [];

beforeAll(async () => {
  fixture = await startPharusPagesFixture();
  gateway = await startGateway(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SYNC: 'off', OPSGRAPH_DATA_DIR: dataDir }), {
    vendors: { PHARUS: { baseUrl: fixture.baseUrl, token: PAT } },
    httpOverrides: { PHARUS: { retries: { max: 0, baseDelayMs: 5, maxDelayMs: 10 } } },
  });
});
afterAll(async () => {
  await gateway.close();
  await fixture.close();
});
beforeEach(() => {
  seen.push(...fixture.requests);
  fixture.requests.length = 0;
});

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

const TRANSFER = `mutation($input: TransferInventoryInput!) { transferInventory(input: $input) {
  transfer { ref quantity status source { id name } destination { id name } sentAt receivedAt } } }`;
const COMPLETE = `mutation($input: CompleteInventoryTransferInput!) { completeInventoryTransfer(input: $input) {
  transfer { ref quantity status source { id } destination { id } receivedAt } } }`;

describe('Pharus as its endpoint pages show it', () => {
  it('reads stock from GET /finished-goods-inventory/summary (E108) with Pharus’s own available and allocated, naming the location from /locations', async () => {
    const r = await gql<{ inventoryLevels: Record<string, unknown>[] }>('{ inventoryLevels(skuCodes: ["FX-100"], vendors: [PHARUS]) { onHand available allocated location { id name } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data?.inventoryLevels).toEqual([{ onHand: '480', available: '400', allocated: '30', location: { id: IDS.source, name: 'Main plant' } }]);
    expect(fixture.requests.filter((q) => q.startsWith('GET /api/finished-goods-inventory/summary'))).toEqual(['GET /api/finished-goods-inventory/summary']);
  });

  it('reads a transfer by its ledger (E109): positive TRANSFER at the source, completed by a RECEIVE at the destination', async () => {
    fixture.completed = false;
    const sent = await gql<{ transferInventory: { transfer: Record<string, unknown> } }>(TRANSFER, {
      input: { skuCode: 'FX-100', sourceLocationId: IDS.source, destinationLocationId: IDS.destination, quantity: '100', complete: false },
    });
    expect(sent.errors).toBeUndefined();
    expect(sent.data?.transferInventory.transfer).toMatchObject({ ref: 'TFR-FG-042', quantity: '100', status: 'IN_TRANSIT', source: { id: IDS.source, name: 'Main plant' }, destination: { id: IDS.destination } });
    expect(fixture.requests).toContain('POST /api/finished-goods-inventory/transfers');

    const done = await gql<{ completeInventoryTransfer: { transfer: Record<string, unknown> } }>(COMPLETE, { input: { ref: 'TFR-FG-042' } });
    expect(done.errors).toBeUndefined();
    expect(done.data?.completeInventoryTransfer.transfer).toEqual({
      ref: 'TFR-FG-042',
      quantity: '100',
      status: 'COMPLETED',
      source: { id: IDS.source },
      destination: { id: IDS.destination },
      receivedAt: '2026-06-11T00:00:00.000Z',
    });
    expect(fixture.requests).toContain('GET /api/finished-goods-inventory/ledger?ref=TFR-FG-042');

    const again = await gql(COMPLETE, { input: { ref: 'TFR-FG-042' } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', vendor: 'pharus', field: 'input.ref' });
  });

  it('maps 422 validation_failed (E104) to VALIDATION_FAILED', async () => {
    const r = await gql(TRANSFER, { input: { skuCode: 'FX-OLD', sourceLocationId: IDS.source, destinationLocationId: IDS.destination, quantity: '1' } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'pharus', vendorCode: 'validation_failed' });
    expect(r.errors?.[0]?.message).toContain('The SKU is inactive');
  });

  it('maps the sales-order refusals: a SKU already on the order (E149) → CONFLICT on the line, a refused status (E147) → INVALID_TRANSITION on input.status', async () => {
    const id = toGlobalId('Order', 'PHARUS', IDS.order);
    const added = await gql('mutation($input: AddPharusSalesOrderItemInput!) { addPharusSalesOrderItem(input: $input) { line { vendorId } } }', { input: { orderId: id, skuCode: 'FX-100', quantity: 1 } });
    expect(added.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', vendor: 'pharus', field: 'input.skuCode', skuCode: 'FX-100' });
    const moved = await gql('mutation($input: UpdatePharusSalesOrderInput!) { updatePharusSalesOrder(input: $input) { order { id } } }', { input: { id, status: 'COMPLETED' } });
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', vendor: 'pharus', field: 'input.status' });
    expect(fixture.requests).toEqual(expect.arrayContaining([`POST /api/sales-orders/${IDS.order}/items`, `PATCH /api/sales-orders/${IDS.order}`]));
  });

  it('sent no X-Org-Id with the org-bound PAT, and none of the paths we first chose (/inventory/finished-goods/…)', () => {
    expect(seen.length).toBeGreaterThan(8);
    expect(seen.filter((q) => q.includes('/inventory/finished-goods'))).toEqual([]);
    expect(fixture.withOrgHeader).toBe(0);
  });
});
