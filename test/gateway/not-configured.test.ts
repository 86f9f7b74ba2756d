import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { toGlobalId } from '../../src/model/global-id.js';

// A gateway configured for Distru and ISOlocity only: Pharus and HAPIHub ids answer
// VENDOR_NOT_CONFIGURED naming the vendor and the settings to set; lists skip those vendors and
// say so in `extensions`, while the configured vendors answer.

let stack: Stack;
beforeAll(async () => {
  // Synced: lists answer from the store, where only the configured vendors are kept.
  stack = await startStack({ sandbox: { scale: 0.2 }, unconfigured: ['PHARUS', 'HAPIHUB'], synced: true });
});
afterAll(() => stack?.close());

const PHARUS_ORDER = toGlobalId('Order', 'PHARUS', '00000000-0000-4000-8000-000000000000');

describe('a vendor the gateway is not configured for', () => {
  it('answers its ids with VENDOR_NOT_CONFIGURED naming the vendor and its settings, calling no vendor', async () => {
    await stack.resetStats();
    const r = await stack.gql('query($id: ID!) { order(id: $id) { id } node(id: $id) { id } }', { id: PHARUS_ORDER });
    expect(r.data).toEqual({ order: null, node: null });
    for (const error of r.errors ?? []) {
      expect(error.extensions).toMatchObject({ code: 'VENDOR_NOT_CONFIGURED', vendor: 'pharus', settings: ['PHARUS_BASE_URL', 'PHARUS_TOKEN', 'PHARUS_ORG_ID'] });
      expect(error.message).toContain('PHARUS_BASE_URL');
    }
    expect(r.errors).toHaveLength(2);
    const stats = await stack.stats();
    expect(Object.values(stats).reduce((n, s) => n + s.total, 0)).toBe(0);
  });

  it('refuses its mutations the same way, writing nothing', async () => {
    await stack.resetStats();
    const r = await stack.gql('mutation($input: AddPharusSalesOrderItemInput!) { addPharusSalesOrderItem(input: $input) { line { vendorId } } }', {
      input: { orderId: PHARUS_ORDER, skuCode: 'ANY', quantity: 1 },
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_NOT_CONFIGURED', vendor: 'pharus' });
    const adjust = await stack.gql('mutation($input: AdjustInventoryInput!) { adjustInventory(input: $input) { vendor } }', {
      input: { vendor: 'HAPIHUB', skuCode: 'ANY', locationId: '63b0cd000670f21551ff4d07', quantity: '1' },
    });
    expect(adjust.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_NOT_CONFIGURED', vendor: 'hapihub', settings: ['HAPIHUB_BASE_URL', 'HAPIHUB_TOKEN'] });
    expect((await stack.stats()).pharus.total + (await stack.stats()).hapihub.total).toBe(0);
  });

  it('skips it in lists, saying so in extensions, while the configured vendors answer', async () => {
    const r = await stack.gql<{ orders: { nodes: { vendor: string }[] } }>('{ orders(first: 5, filter: { vendors: [DISTRU, PHARUS] }) { nodes { vendor } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data?.orders.nodes.length).toBe(5);
    expect(new Set(r.data?.orders.nodes.map((n) => n.vendor))).toEqual(new Set(['DISTRU']));
    expect((r as { extensions?: Record<string, unknown> }).extensions?.skippedVendors).toEqual([
      { vendor: 'pharus', code: 'VENDOR_NOT_CONFIGURED', settings: ['PHARUS_BASE_URL', 'PHARUS_TOKEN', 'PHARUS_ORG_ID'] },
    ]);
    const stock = await stack.gql('{ inventoryLevels(skuCodes: ["NO-SUCH"]) { vendor } }');
    expect((stock as { extensions?: Record<string, unknown> }).extensions?.skippedVendors).toEqual([
      { vendor: 'pharus', code: 'VENDOR_NOT_CONFIGURED', settings: ['PHARUS_BASE_URL', 'PHARUS_TOKEN', 'PHARUS_ORG_ID'] },
      { vendor: 'hapihub', code: 'VENDOR_NOT_CONFIGURED', settings: ['HAPIHUB_BASE_URL', 'HAPIHUB_TOKEN'] },
    ]);
  });
});
