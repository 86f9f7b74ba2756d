import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.2 } });
});
afterAll(() => stack?.close());

const ADJUST = `mutation($input: AdjustInventoryInput!) {
  adjustInventory(input: $input) { vendor sku { code } levels { vendor location { id } lotNumber onHand } }
}`;
const STOCK = 'query($code: String!, $vendors: [Vendor!]) { sku(code: $code) { inventory(vendors: $vendors) { location { id } lotNumber onHand } } }';

interface Level {
  location: { id: string } | null;
  lotNumber: string | null;
  onHand: string;
}

/** A SKU every vendor carries, and one of its stock levels in `vendor`, read through opsgraph. */
async function someLevel(vendor: 'PHARUS' | 'HAPIHUB', skuIndex = 0): Promise<{ code: string; level: Level }> {
  const world = stack.sandboxes.world;
  const skus = world.skus.filter((s) => Object.keys(s.vendorCodes).length === 4 && s.vendorCodes.pharus === s.code && s.vendorCodes.hapihub === s.code);
  const code = (skus[skuIndex] ?? skus[0])?.code as string;
  const r = await stack.gql<{ sku: { inventory: Level[] } }>(STOCK, { code, vendors: [vendor] });
  const level = r.data?.sku.inventory[0];
  if (!level?.location) throw new Error(`no ${vendor} stock for ${code}`);
  return { code, level };
}

const total = (stats: Awaited<ReturnType<Stack['stats']>>) => Object.values(stats).reduce((n, s) => n + s.total, 0);

describe('adjustInventory', () => {
  it('adds stock in HAPIHub with one adjustment transaction, and later reads show it', async () => {
    const { code, level } = await someLevel('HAPIHUB');
    await stack.resetStats();
    const r = await stack.gql<{ adjustInventory: { vendor: string; sku: { code: string }; levels: Level[] } }>(ADJUST, {
      input: { vendor: 'HAPIHUB', skuCode: code, locationId: level.location?.id, lotNumber: level.lotNumber, quantity: '5', reason: 'cycle count' },
    });
    expect(r.errors).toBeUndefined();
    const after = r.data?.adjustInventory.levels.find((l) => l.location?.id === level.location?.id && l.lotNumber === level.lotNumber);
    expect(Number(after?.onHand)).toBe(Number(level.onHand) + 5);
    expect((await stack.stats()).hapihub.requests).toEqual({ 'POST /inventory-transactions': 1 });
    const read = await stack.gql<{ sku: { inventory: Level[] } }>(STOCK, { code, vendors: ['HAPIHUB'] });
    expect(read.data?.sku.inventory.find((l) => l.location?.id === level.location?.id && l.lotNumber === level.lotNumber)?.onHand).toBe(after?.onHand);
  });

  it('takes stock away in Pharus with one disposal, and later reads show it', async () => {
    const { code, level } = await someLevel('PHARUS', 1);
    const before = (await stack.gql<{ sku: { inventory: Level[] } }>(STOCK, { code, vendors: ['PHARUS'] })).data?.sku.inventory.filter((l) => l.location?.id === level.location?.id);
    const onHandBefore = (before ?? []).reduce((n, l) => n + Number(l.onHand), 0);
    await stack.resetStats();
    const r = await stack.gql<{ adjustInventory: { levels: Level[] } }>(ADJUST, { input: { vendor: 'PHARUS', skuCode: code, locationId: level.location?.id, quantity: '-1' } });
    expect(r.errors).toBeUndefined();
    const onHandAfter = (r.data?.adjustInventory.levels ?? []).filter((l) => l.location?.id === level.location?.id).reduce((n, l) => n + Number(l.onHand), 0);
    expect(onHandAfter).toBe(onHandBefore - 1);
    expect((await stack.stats()).pharus.requests['POST /api/finished-goods-inventory/disposals']).toBe(1);
  });

  it('refuses Distru and ISOlocity, whose APIs cannot adjust stock, before any vendor call', async () => {
    await stack.resetStats();
    for (const vendor of ['DISTRU', 'ISOLOCITY']) {
      const r = await stack.gql(ADJUST, { input: { vendor, skuCode: 'OG-00001', locationId: 'anywhere', quantity: '2' } });
      expect(r.data).toBeNull();
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UNSUPPORTED_OPERATION', vendor: vendor.toLowerCase(), field: 'input.vendor' });
      expect(r.errors?.[0]?.message).toMatch(/cannot adjust stock/);
    }
    expect(total(await stack.stats())).toBe(0);
  });

  it('refuses a zero quantity, naming the field, before any vendor call', async () => {
    await stack.resetStats();
    const r = await stack.gql(ADJUST, { input: { vendor: 'HAPIHUB', skuCode: 'OG-00001', locationId: 'w', quantity: '0' } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.quantity' });
    expect(total(await stack.stats())).toBe(0);
  });

  it('refuses an unknown SKU code on input.skuCode without writing', async () => {
    const { level } = await someLevel('PHARUS');
    await stack.resetStats();
    const r = await stack.gql(ADJUST, { input: { vendor: 'PHARUS', skuCode: 'NO-SUCH-SKU', locationId: level.location?.id, quantity: '-1' } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.skuCode' });
    const writes = Object.entries((await stack.stats()).pharus.requests).filter(([route]) => route.startsWith('POST'));
    expect(writes).toEqual([]);
  });

  it('writes once for a retried or concurrent key, and refuses the key with another input', async () => {
    const { code, level } = await someLevel('HAPIHUB', 2);
    const input = { idempotencyKey: 'adjust-retry-1', vendor: 'HAPIHUB', skuCode: code, locationId: level.location?.id, lotNumber: level.lotNumber, quantity: '3' };
    await stack.resetStats();
    const [a, b, c] = await Promise.all([stack.gql(ADJUST, { input }), stack.gql(ADJUST, { input }), stack.gql(ADJUST, { input })]);
    const again = await stack.gql(ADJUST, { input });
    for (const r of [a, b, c, again]) expect(r.errors).toBeUndefined();
    expect(again.data).toEqual(a.data);
    expect((await stack.stats()).hapihub.requests['POST /inventory-transactions']).toBe(1);
    const conflict = await stack.gql(ADJUST, { input: { ...input, quantity: '4' } });
    expect(conflict.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await stack.stats()).hapihub.requests['POST /inventory-transactions']).toBe(1);
  });
});
