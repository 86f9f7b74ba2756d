import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startSecuredStack, type SecuredStack } from './harness.js';

/**
 * MAX_VENDOR_CALLS_PER_REQUEST: a request that would need more vendor calls stops calling vendors
 * and answers the fields that needed more with UPSTREAM_BUDGET_EXCEEDED; another client's request
 * at the same time is answered in full. (Sharing each vendor's rate budget fairly between clients
 * is the vendor scheduler's, src/http/rate-limiter.ts; every call carries its client's name.)
 */
let s: SecuredStack;
beforeAll(async () => {
  s = await startSecuredStack({ MAX_VENDOR_CALLS_PER_REQUEST: '10' });
});
afterAll(async () => {
  await s?.close();
});

describe('the upstream call budget of a request', () => {
  it('stops the heavy request at the budget, on the fields that needed more, while another client is answered in full', async () => {
    // Listing Pharus orders reads each one: 40 orders need more than 10 calls.
    const heavy = s.post('{ orders(first: 40, filter: { vendors: [PHARUS] }) { nodes { id } } }', undefined, KEYS.reader, { 'x-opsgraph-trace': '1' });
    const light = s.post('{ orders(first: 2, filter: { vendors: [DISTRU] }) { nodes { id number } } }', undefined, KEYS.readWriter, { 'x-opsgraph-trace': '1' });
    const [h, l] = await Promise.all([heavy, light]);

    expect(h.status).toBe(200);
    expect(h.json?.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_BUDGET_EXCEEDED']);
    expect(h.json?.errors?.[0]?.path).toEqual(['orders']);
    expect(h.json?.errors?.[0]?.extensions).toMatchObject({ vendor: 'pharus', limit: 10 });
    const upstream = h.json?.extensions?.upstream as { calls: number };
    expect(upstream.calls).toBeLessThanOrEqual(10);

    expect(l.json?.errors).toBeUndefined();
    expect((l.json?.data?.orders as { nodes: unknown[] }).nodes).toHaveLength(2);
  });
});
