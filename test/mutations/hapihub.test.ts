import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseIdOf } from '../../sandbox/hapihub/index.js';
import type { HapihubStore } from '../../sandbox/hapihub/store.js';
import { startStack, type Stack } from '../support/stack.js';

// HAPIHub's mutations end to end: GraphQL over HTTP → gateway → HAPIHub sandbox, with the vendor's
// own request counts and records as the witness of what was (not) written.

let stack: Stack;
let store: HapihubStore;
const MAIN = warehouseIdOf('LOC-1');

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateInventoryTransactionInput!) {
    createInventoryTransaction(input: $input) {
      transaction { vendor vendorId type createdAt warehouseId reason items { vendorSkuCode sku { code } lotNumber quantity adjustment } }
      levels { vendor vendorSkuCode location { id } lotNumber onHand }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateInventoryTransactionInput!) {
    updateInventoryTransaction(input: $input) {
      transaction { vendorId type reason items { vendorSkuCode quantity } }
      levels { lotNumber location { id } onHand }
    }
  }
`;
const STOCK = /* GraphQL */ `
  query Stock($code: String!) {
    sku(code: $code) { inventory(vendors: [HAPIHUB]) { location { id } lotNumber onHand } }
  }
`;

interface Level {
  location: { id: string } | null;
  lotNumber: string | null;
  onHand: string;
}
interface CreateData {
  createInventoryTransaction: { transaction: { vendorId: string; items: { vendorSkuCode: string; sku: { code: string } }[] }; levels: Level[] };
}

beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.2 } });
  store = stack.sandboxes.handles.hapihub?.store as HapihubStore;
});
afterAll(() => stack.close());

/** A SKU HAPIHub spells its own way with stock at LOC-1, by canonical code. */
function stocked(): { code: string; hapihub: string; lot: string } {
  const world = stack.sandboxes.world;
  const row = world.stock.find((s) => s.vendor === 'hapihub' && s.locationKey === 'LOC-1' && s.quantity > 20 && world.skuByCode.get(s.skuCode)?.vendorCodes.hapihub !== s.skuCode);
  return { code: row?.skuCode ?? '', hapihub: world.skuByCode.get(row?.skuCode ?? '')?.vendorCodes.hapihub ?? '', lot: row?.lotNumber ?? '' };
}
const at = (levels: readonly Level[], lot: string) => levels.find((l) => l.location?.id === MAIN && l.lotNumber === lot)?.onHand;
const hapihubWrites = async () => {
  const requests = (await stack.stats()).hapihub.requests;
  return (requests['POST /inventory-transactions'] ?? 0) + (requests['PATCH /inventory-transactions/:id'] ?? 0);
};

describe('createInventoryTransaction', () => {
  it('records a sale, answers the stock after it, and a follow-up query shows the same stock', async () => {
    const sku = stocked();
    const before = at(((await stack.gql<{ sku: { inventory: Level[] } }>(STOCK, { code: sku.code })).data?.sku.inventory ?? []), sku.lot);
    const result = await stack.gql<CreateData>(CREATE, { input: { type: 'SALES', warehouseId: MAIN, reason: 'counter sale', items: [{ skuCode: sku.code, lotNumber: sku.lot, quantity: '5' }] } });
    expect(result.errors).toBeUndefined();
    const payload = result.data?.createInventoryTransaction;
    expect(payload?.transaction).toMatchObject({ items: [{ vendorSkuCode: sku.hapihub, sku: { code: sku.code } }] });
    expect(at(payload?.levels ?? [], sku.lot)).toBe(String(Number(before) - 5));
    const after = await stack.gql<{ sku: { inventory: Level[] } }>(STOCK, { code: sku.code });
    expect(at(after.data?.sku.inventory ?? [], sku.lot)).toBe(String(Number(before) - 5));
    expect(store.get(payload?.transaction.vendorId ?? '')?.type).toBe('sales');
  });

  it('refuses invalid input with VALIDATION_FAILED on the field, before any vendor call', async () => {
    await stack.resetStats();
    const result = await stack.gql(CREATE, { input: { type: 'ADJUSTMENT', warehouseId: MAIN, items: [{ skuCode: stocked().code, quantity: '1' }] } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.items[0].adjustment' });
    expect((await stack.stats()).hapihub.total).toBe(0);
  });

  it('maps HAPIHub’s own refusal onto the input field', async () => {
    // A well-formed ObjectId HAPIHub does not know: a malformed one is refused by opsgraph first (issue 10).
    const result = await stack.gql(CREATE, { input: { type: 'RECEIVING', warehouseId: 'ffffffffffffffffffffffff', items: [{ skuCode: stocked().code, quantity: '1' }] } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'hapihub', field: 'input.warehouseId' });
  });

  it('writes once for a retried idempotency key, refuses the key with other input, and writes once for concurrent twins', async () => {
    const sku = stocked();
    const input = { idempotencyKey: 'hh-retry-1', type: 'RECEIVING', warehouseId: MAIN, items: [{ skuCode: sku.code, lotNumber: 'LOT-IDEM', quantity: '3' }] };
    const count = store.all().length;
    await stack.resetStats();
    const first = await stack.gql<CreateData>(CREATE, { input });
    const second = await stack.gql<CreateData>(CREATE, { input });
    expect(second.data?.createInventoryTransaction.transaction.vendorId).toBe(first.data?.createInventoryTransaction.transaction.vendorId);
    expect(store.all().length).toBe(count + 1);
    expect(await hapihubWrites()).toBe(1);

    const conflict = await stack.gql(CREATE, { input: { ...input, items: [{ ...input.items[0], quantity: '4' }] } });
    expect(conflict.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');

    await stack.resetStats();
    const twin = { ...input, idempotencyKey: 'hh-concurrent-1' };
    const [a, b] = await Promise.all([stack.gql<CreateData>(CREATE, { input: twin }), stack.gql<CreateData>(CREATE, { input: twin })]);
    expect(a.data?.createInventoryTransaction.transaction.vendorId).toBe(b.data?.createInventoryTransaction.transaction.vendorId);
    expect(await hapihubWrites()).toBe(1);
    expect(store.all().length).toBe(count + 2);
  });
});

describe('updateInventoryTransaction', () => {
  it('changes the fields given, answers the stock after it, and keeps the rest', async () => {
    const sku = stocked();
    const created = await stack.gql<CreateData>(CREATE, { input: { type: 'RECEIVING', warehouseId: MAIN, items: [{ skuCode: sku.code, lotNumber: 'LOT-UPD', quantity: '9' }] } });
    const vendorId = created.data?.createInventoryTransaction.transaction.vendorId;
    const result = await stack.gql<{ updateInventoryTransaction: { transaction: { type: string; reason: string; items: { quantity: string }[] }; levels: Level[] } }>(UPDATE, {
      input: { vendorId, reason: 'short delivery', items: [{ skuCode: sku.code, lotNumber: 'LOT-UPD', quantity: '6' }] },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateInventoryTransaction.transaction).toMatchObject({ type: 'receiving', reason: 'short delivery', items: [{ quantity: '6' }] });
    expect(at(result.data?.updateInventoryTransaction.levels ?? [], 'LOT-UPD')).toBe('6');
    const after = await stack.gql<{ sku: { inventory: Level[] } }>(STOCK, { code: sku.code });
    expect(at(after.data?.sku.inventory ?? [], 'LOT-UPD')).toBe('6');
  });

  it('answers NOT_FOUND for a transaction HAPIHub does not have, writing nothing', async () => {
    await stack.resetStats();
    const result = await stack.gql(UPDATE, { input: { vendorId: '0123456789abcdef01234567', reason: 'x' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'hapihub' });
    expect(await hapihubWrites()).toBe(0);
  });
});
