import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseIdOf } from '../../sandbox/hapihub/index.js';
import type { HapihubStore } from '../../sandbox/hapihub/store.js';
import type { VendorName } from '../../sandbox/world/index.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { startStack, type GqlResponse, type Stack } from '../support/stack.js';

/**
 * The network drops the answer after the vendor wrote (the sandbox fault `loseResponse` applies the
 * write, then destroys the connection). A client retries with its idempotency key: the vendor must
 * hold exactly one record, and every answer after the first is the first write's.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.2 } });
});
afterAll(() => stack?.close());

const RETRIES = 100;
const MAIN = warehouseIdOf('LOC-1');

const ADJUST = `mutation($input: AdjustInventoryInput!) { adjustInventory(input: $input) { vendor levels { location { id } lotNumber onHand } } }`;
const CREATE_TX = `mutation($input: CreateInventoryTransactionInput!) { createInventoryTransaction(input: $input) { transaction { vendorId } levels { onHand } } }`;
const CREATE_INSPECTION = `mutation($input: CreateInspectionInput!) { createInspection(input: $input) { inspection { vendorId } } }`;
const CREATE_NCR = `mutation($input: CreateNcrInput!) { createNcr(input: $input) { ncr { vendorId number } } }`;
const ADD_SAMPLE = `mutation($input: AddInspectionSampleInput!) { addInspectionSample(input: $input) { sample { vendorId sampleNumber } } }`;
const STOCK = 'query($code: String!, $vendors: [Vendor!]) { sku(code: $code) { inventory(vendors: $vendors) { location { id } lotNumber onHand } } }';
/** Three ISOlocity parts, read live through their SKUs (lists answer from the synced store, which this stack does not run). */
async function threeParts(): Promise<GqlResponse<{ parts: { nodes: { id: string; identification: string }[] } }>> {
  const codes = stack.sandboxes.world.skus.filter((s) => s.vendorCodes.isolocity).slice(0, 3).map((s) => s.code);
  const r = await stack.gql<Record<string, { part: { id: string; identification: string } | null }>>(`{ ${codes.map((c, i) => `p${i}: sku(code: "${c}") { part { id identification } }`).join(' ')} }`);
  const nodes = codes.flatMap((_, i) => {
    const part = r.data?.[`p${i}`]?.part;
    return part ? [part] : [];
  });
  return { ...r, data: r.data ? { parts: { nodes } } : null };
}

function loseAnswers(vendor: VendorName, match: string): void {
  stack.sandboxes.handles[vendor]?.faults.add({ match, loseResponse: true });
}
function heal(): void {
  for (const handle of Object.values(stack.sandboxes.handles)) handle?.faults.clear();
}

/** Sends the same mutation `times` times, one after the other, as a retrying client does. */
async function retry<T>(query: string, input: Record<string, unknown>, times = RETRIES): Promise<GqlResponse<T>[]> {
  const answers: GqlResponse<T>[] = [];
  for (let i = 0; i < times; i++) answers.push(await stack.gql<T>(query, { input }));
  return answers;
}

const codes = (answers: GqlResponse<unknown>[]) => answers.map((a) => (a.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK');

/** A SKU every vendor carries under its canonical code, with a stock level in `vendor`. */
async function someLevel(vendor: 'PHARUS' | 'HAPIHUB', skuIndex: number): Promise<{ code: string; locationId: string; lotNumber: string | null }> {
  const skus = stack.sandboxes.world.skus.filter((s) => Object.keys(s.vendorCodes).length === 4 && s.vendorCodes.pharus === s.code && s.vendorCodes.hapihub === s.code);
  const code = (skus[skuIndex] ?? skus[0])?.code as string;
  const r = await stack.gql<{ sku: { inventory: { location: { id: string } | null; lotNumber: string | null }[] } }>(STOCK, { code, vendors: [vendor] });
  const level = r.data?.sku.inventory.find((l) => l.location);
  if (!level?.location) throw new Error(`no ${vendor} stock for ${code}`);
  return { code, locationId: level.location.id, lotNumber: level.lotNumber };
}

async function writesSent(vendor: VendorName, route: string): Promise<number> {
  return (await stack.stats())[vendor].requests[route] ?? 0;
}

describe(`with an idempotency key, ${RETRIES} sends whose answers are lost make exactly one vendor record`, () => {
  it('adjustInventory on HAPIHub: one adjustment transaction (found again by its metadata marker)', async () => {
    const level = await someLevel('HAPIHUB', 0);
    await stack.resetStats();
    loseAnswers('hapihub', 'POST /inventory-transactions');
    const input = { idempotencyKey: 'lost-hapihub-adjust', vendor: 'HAPIHUB', skuCode: level.code, locationId: level.locationId, lotNumber: level.lotNumber, quantity: '3' };
    const answers = await retry<{ adjustInventory: unknown }>(ADJUST, input);
    heal();
    expect(codes(answers)[0]).toBe('OUTCOME_UNKNOWN');
    expect(answers[0]?.errors?.[0]?.extensions).toMatchObject({ written: 'unknown', vendor: 'hapihub' });
    expect(codes(answers).slice(1)).toEqual(Array(RETRIES - 1).fill('OK'));
    expect(await writesSent('hapihub', 'POST /inventory-transactions')).toBe(1);
    const store = stack.sandboxes.handles.hapihub?.store as HapihubStore;
    expect(store.all().filter((t) => typeof t.metadata?.opsgraphWrite === 'string')).toHaveLength(1);
  });

  it('createInventoryTransaction: one transaction', async () => {
    const level = await someLevel('HAPIHUB', 1);
    await stack.resetStats();
    loseAnswers('hapihub', 'POST /inventory-transactions');
    const input = { idempotencyKey: 'lost-hapihub-create', type: 'PURCHASE', warehouseId: MAIN, items: [{ skuCode: level.code, quantity: '2' }] };
    const answers = await retry<{ createInventoryTransaction: { transaction: { vendorId: string } } }>(CREATE_TX, input);
    heal();
    expect(codes(answers)).toEqual(['OUTCOME_UNKNOWN', ...Array(RETRIES - 1).fill('OK')]);
    expect(new Set(answers.slice(1).map((a) => a.data?.createInventoryTransaction.transaction.vendorId)).size).toBe(1);
    expect(await writesSent('hapihub', 'POST /inventory-transactions')).toBe(1);
  });

  it('adjustInventory on Pharus: one ledger entry (found again by the marker in its notes)', async () => {
    const level = await someLevel('PHARUS', 2);
    await stack.resetStats();
    loseAnswers('pharus', 'POST /api/finished-goods-inventory/adjustments');
    const input = { idempotencyKey: 'lost-pharus-adjust', vendor: 'PHARUS', skuCode: level.code, locationId: level.locationId, quantity: '4', reason: 'recount' };
    const answers = await retry(ADJUST, input);
    heal();
    expect(codes(answers)).toEqual(['OUTCOME_UNKNOWN', ...Array(RETRIES - 1).fill('OK')]);
    expect(await writesSent('pharus', 'POST /api/finished-goods-inventory/adjustments')).toBe(1);
  });

  it('createInspection: one inspection (its id derived from the key)', async () => {
    const parts = await threeParts();
    const partId = parts.data?.parts.nodes[0]?.id;
    await stack.resetStats();
    loseAnswers('isolocity', 'POST /api/v2/inspections');
    const answers = await retry<{ createInspection: { inspection: { vendorId: string } } }>(CREATE_INSPECTION, { idempotencyKey: 'lost-inspection', partId, sampleSize: 2, lotNumber: 'LOT-LOST' });
    heal();
    expect(codes(answers)).toEqual(['OUTCOME_UNKNOWN', ...Array(RETRIES - 1).fill('OK')]);
    expect(await writesSent('isolocity', 'POST /api/v2/inspections')).toBe(1);
    const ids = new Set(answers.slice(1).map((a) => a.data?.createInspection.inspection.vendorId));
    expect(ids.size).toBe(1);
  });

  it('createNcr: one NCR (found again by its unique number)', async () => {
    const parts = await threeParts();
    await stack.resetStats();
    loseAnswers('isolocity', 'POST /api/v2/ncrs');
    const input = { idempotencyKey: 'lost-ncr', number: 'NCR-LOST-1', source: 'INTERNAL', partId: parts.data?.parts.nodes[1]?.id, quantity: 3 };
    const answers = await retry(CREATE_NCR, input);
    heal();
    expect(codes(answers)).toEqual(['OUTCOME_UNKNOWN', ...Array(RETRIES - 1).fill('OK')]);
    expect(await writesSent('isolocity', 'POST /api/v2/ncrs')).toBe(1);
  });

  it('addInspectionSample with its sample number: one sample', async () => {
    const parts = await threeParts();
    const created = await stack.gql<{ createInspection: { inspection: { vendorId: string } } }>(CREATE_INSPECTION, { input: { partId: parts.data?.parts.nodes[2]?.id, sampleSize: 1 } });
    const inspectionId = toGlobalId('Inspection', 'ISOLOCITY', created.data?.createInspection.inspection.vendorId as string);
    await stack.resetStats();
    loseAnswers('isolocity', 'POST /api/v2/inspections/');
    const answers = await retry(ADD_SAMPLE, { idempotencyKey: 'lost-sample', inspectionId, sampleNumber: 7, sampleSerial: 'SN-7' });
    heal();
    expect(codes(answers)).toEqual(['OUTCOME_UNKNOWN', ...Array(RETRIES - 1).fill('OK')]);
    expect(Object.entries((await stack.stats()).isolocity.requests).filter(([route]) => route.startsWith('POST ')).map(([, n]) => n)).toEqual([1]);
  });
});

describe('without an idempotency key', () => {
  it('a lost answer says the outcome is unknown, never that the write failed', async () => {
    const level = await someLevel('HAPIHUB', 3);
    loseAnswers('hapihub', 'POST /inventory-transactions');
    const [answer] = await retry(ADJUST, { vendor: 'HAPIHUB', skuCode: level.code, locationId: level.locationId, quantity: '1' }, 1);
    heal();
    expect(answer?.errors?.[0]?.extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', vendor: 'hapihub', written: 'unknown' });
  });

  it("createNcr's CONFLICT caused by the client's own lost write is answered as the NCR it made", async () => {
    const parts = await threeParts();
    const input = { number: 'NCR-NOKEY-1', source: 'CUSTOMER', partId: parts.data?.parts.nodes[0]?.id, quantity: 2 };
    loseAnswers('isolocity', 'POST /api/v2/ncrs');
    const [lost] = await retry(CREATE_NCR, input, 1);
    heal();
    expect(codes([lost as GqlResponse<unknown>])).toEqual(['OUTCOME_UNKNOWN']);
    const [again] = await retry<{ createNcr: { ncr: { number: string } } }>(CREATE_NCR, input, 1);
    expect(again?.errors).toBeUndefined();
    expect(again?.data?.createNcr.ncr.number).toBe('NCR-NOKEY-1');
    const [different] = await retry(CREATE_NCR, { ...input, quantity: 5 }, 1);
    expect(different?.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.number' });
  });
});

describe('lost write answers and the read circuit breaker', () => {
  it('ten lost createNcr answers leave ISOlocity reads served', async () => {
    const parts = await threeParts();
    loseAnswers('isolocity', 'POST /api/v2/ncrs');
    for (let i = 0; i < 10; i++) await retry(CREATE_NCR, { number: `NCR-BREAKER-${i}`, source: 'INTERNAL', partId: parts.data?.parts.nodes[0]?.id, quantity: 1 }, 1);
    heal();
    const read = await threeParts();
    expect(read.errors).toBeUndefined();
    expect(read.data?.parts.nodes).toHaveLength(3);
    expect(stack.gateway.runtime.vendors.ISOLOCITY?.http.health().breaker).toBe('closed');
  });
});

describe('bad idempotency keys are refused before any vendor call', () => {
  it.each([
    ['longer than 200 characters', 'k'.repeat(201), 'must be at most 200 characters'],
    ['with a control character', 'key\nwith-newline', 'must not contain control characters'],
  ])('a key %s', async (_what, idempotencyKey, message) => {
    await stack.resetStats();
    const [answer] = await retry(CREATE_NCR, { idempotencyKey, number: 'NCR-BADKEY', source: 'INTERNAL', quantity: 1 }, 1);
    expect(answer?.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.idempotencyKey', fields: [{ field: 'input.idempotencyKey', message }] });
    expect((await stack.stats()).isolocity.total).toBe(0);
  });
});
