import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { toGlobalId } from '../../src/model/global-id.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.2 } });
});
afterAll(() => stack?.close());

const ORDER = 'query($id: ID!) { order(id: $id) { id number } }';

describe('bad input to the gateway', () => {
  it('answers a malformed global id with null and BAD_USER_INPUT, calling no vendor', async () => {
    await stack.resetStats();
    const r = await stack.gql(ORDER, { id: 'definitely not an id' });
    expect(r.status).toBe(200);
    expect(r.data).toEqual({ order: null });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.path).toEqual(['order']);
    const stats = await stack.stats();
    expect(Object.values(stats).reduce((n, s) => n + s.total, 0)).toBe(0);
  });

  it('refuses the id of another type, naming both types', async () => {
    const r = await stack.gql(ORDER, { id: toGlobalId('Invoice', 'DISTRU', '00000000-0000-4000-8000-000000000000') });
    expect(r.data).toEqual({ order: null });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(/Invoice.*not of a Order|Invoice/);
  });

  it('answers an unknown order id with null and NOT_FOUND', async () => {
    for (const [vendor, key] of [
      ['DISTRU', '00000000-0000-4000-8000-000000000000'],
      ['PHARUS', '00000000-0000-4000-8000-000000000000'],
      ['ISOLOCITY', '987654321'],
    ] as const) {
      const r = await stack.gql(ORDER, { id: toGlobalId('Order', vendor, key) });
      expect(r.data).toEqual({ order: null });
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('answers a SKU code no vendor knows with null and NOT_FOUND, and no stock levels', async () => {
    const r = await stack.gql('{ sku(code: "NO-SUCH-SKU") { code } inventoryLevels(skuCodes: ["NO-SUCH-SKU"]) { onHand } }');
    expect(r.data).toEqual({ sku: null, inventoryLevels: [] });
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(r.errors?.[0]?.path).toEqual(['sku']);
  });

  it('refuses a page size out of range and a foreign cursor with BAD_USER_INPUT', async () => {
    // As a variable: a literal first: 100000 is refused earlier by the cost limit (MAX_COST_EXCEEDED).
    const big = await stack.gql('query($first: Int) { orders(first: $first) { nodes { id } } }', { first: 100000 });
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const cursor = await stack.gql('{ orders(first: 1, after: "bogus") { nodes { id } } }');
    expect(cursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('never leaks a vendor token in any response', async () => {
    const r = await stack.gql('{ sku(code: "NO-SUCH-SKU") { code } order(id: "x") { id } }');
    const text = JSON.stringify(r);
    for (const token of ['dev-isolocity-token', 'dev-pharus-token', 'dev-distru-token', 'dev-hapihub-token']) expect(text).not.toContain(token);
  });
});
