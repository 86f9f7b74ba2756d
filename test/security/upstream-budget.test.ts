import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startSecuredStack, type SecuredStack } from './harness.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { distruId } from '../../sandbox/distru/ids.js';
import { pharusId } from '../../sandbox/pharus/project.js';

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
    // Pharus reads orders one by one: 40 of them by id need more than 10 calls. (Lists cost no
    // vendor call: they answer from the synced store.)
    const world = s.sandboxes.world;
    const pharusIds = world.orders
      .filter((o) => o.vendor === 'pharus')
      .slice(0, 40)
      .map((o) => toGlobalId('Order', 'PHARUS', pharusId('order', o.key)));
    const distruOrder = world.orders.find((o) => o.vendor === 'distru');
    const heavy = s.post('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: pharusIds }, KEYS.reader, { 'x-opsgraph-trace': '1' });
    const light = s.post('query($id: ID!) { order(id: $id) { id number } }', { id: toGlobalId('Order', 'DISTRU', distruId('order', distruOrder?.key ?? '')) }, KEYS.readWriter, { 'x-opsgraph-trace': '1' });
    const [h, l] = await Promise.all([heavy, light]);

    expect(h.status).toBe(200);
    const codes = new Set(h.json?.errors?.map((e) => e.extensions?.code));
    expect(codes).toEqual(new Set(['UPSTREAM_BUDGET_EXCEEDED']));
    expect(h.json?.errors?.[0]?.path?.[0]).toBe('nodes');
    expect(h.json?.errors?.[0]?.extensions).toMatchObject({ vendor: 'pharus', limit: 10 });
    const upstream = h.json?.extensions?.upstream as { calls: number };
    expect(upstream.calls).toBeLessThanOrEqual(10);

    expect(l.json?.errors).toBeUndefined();
    expect((l.json?.data?.order as { number: string } | null)?.number).toBe(distruOrder?.number);
  });
});
