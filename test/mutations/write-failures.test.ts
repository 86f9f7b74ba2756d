import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PharusStore } from '../../sandbox/pharus/index.js';
import { startStack, type GqlResponse, type Stack } from '../support/stack.js';

/**
 * Two ways a write half-fails, through the gateway over real HTTP (issue 9, items 4 and 5):
 * - the write went through and only reading its result back failed: the key is remembered as
 *   written (never as the read's error), and the next retry reads back again without writing;
 * - write answers are lost: they count against the vendor's write breaker, never against reads.
 */
let stack: Stack;
beforeAll(async () => {
  // Pharus reads are not retried here, so two failed read-backs stay below the read breaker's five
  // failures and the file needs no clock; ISOlocity keeps every default (its breakers are the subject).
  stack = await startStack({ sandbox: { scale: 0.2 }, gateway: { httpOverrides: { PHARUS: { retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 } } } } });
});
afterAll(() => stack?.close());

const ADJUST = 'mutation($input: AdjustInventoryInput!) { adjustInventory(input: $input) { vendor levels { location { id } onHand } } }';
const CREATE_NCR = 'mutation($input: CreateNcrInput!) { createNcr(input: $input) { ncr { vendorId number } } }';
/** A part read live from ISOlocity through its SKU (the `parts` list answers from the synced store, which this stack does not run). */
const PART = 'query($code: String!) { sku(code: $code) { part { id identification } } }';
const ADJUSTMENTS = 'POST /api/finished-goods-inventory/adjustments';

const code = (a: GqlResponse<unknown>) => (a.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK';
const pharusWrites = async () => (await stack.stats()).pharus.requests[ADJUSTMENTS] ?? 0;

describe('a write whose read-back fails', () => {
  it('is remembered as written, not as the error: each retry reads back again, and none writes again', async () => {
    const pharus = stack.sandboxes.handles.pharus?.store as PharusStore;
    const sku = stack.sandboxes.world.skus.find((s) => Object.keys(s.vendorCodes).length === 4 && s.vendorCodes.pharus === s.code);
    const skuId = pharus.skuIdByCode.get(sku?.code ?? '') ?? '';
    const location = pharus.locations.all()[0]?.id ?? '';
    const input = { idempotencyKey: 'read-back-fails', vendor: 'PHARUS', skuCode: sku?.code, locationId: location, quantity: '5', reason: 'found in QA' };
    const onHand = () => pharus.finishedGoods.summary(skuId, location)[0]?.onHand ?? 0;
    // Warm the SKU and location indexes: the write itself needs no summary read.
    expect(code(await stack.gql('query($c: String!) { sku(code: $c) { inventory(vendors: [PHARUS]) { onHand } } }', { c: sku?.code }))).toBe('OK');
    const before = onHand();
    await stack.resetStats();
    stack.sandboxes.handles.pharus?.faults.add({ match: 'GET /api/finished-goods-inventory/summary', status: 503 });

    const first = await stack.gql(ADJUST, { input });
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'pharus', written: true });
    // Still failing: the retry reads back again (written: true again), it does not replay a stored error or write.
    const second = await stack.gql(ADJUST, { input });
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', written: true });
    expect(await pharusWrites()).toBe(1);

    stack.sandboxes.handles.pharus?.faults.clear();
    const healed = await stack.gql<{ adjustInventory: { vendor: string; levels: { onHand: string }[] } }>(ADJUST, { input });
    expect(healed.errors).toBeUndefined();
    expect(healed.data?.adjustInventory.vendor).toBe('PHARUS');
    expect(await pharusWrites()).toBe(1);
    expect(onHand() - before).toBe(5 * 10_000); // the sandbox keeps quantities scaled by 10^4
    // From now on the stored result answers, with no vendor call at all.
    await stack.resetStats();
    expect(await stack.gql(ADJUST, { input })).toEqual(healed);
    expect((await stack.stats()).pharus.total).toBe(0);
  });
});

describe('lost write answers and the circuit breakers', () => {
  it('ten lost createNcr answers open the write breaker only: ISOlocity reads are still served', async () => {
    // Two parts: the second is looked up only after the lost writes.
    const [partCode, laterCode] = stack.sandboxes.world.skus.filter((s) => s.vendorCodes.isolocity).map((s) => s.code);
    const part = await stack.gql<{ sku: { part: { id: string } | null } }>(PART, { code: partCode });
    stack.sandboxes.handles.isolocity?.faults.add({ match: 'POST /api/v2/ncrs', loseResponse: true });
    const lost: string[] = [];
    for (let i = 0; i < 10; i++) lost.push(code(await stack.gql(CREATE_NCR, { input: { number: `NCR-BREAKER-${i}`, source: 'INTERNAL', partId: part.data?.sku.part?.id, quantity: 1 } })));
    stack.sandboxes.handles.isolocity?.faults.clear();
    // Five lost answers open the write breaker; the next five fail fast, never sent (and say so).
    expect(lost).toEqual([...Array<string>(5).fill('OUTCOME_UNKNOWN'), ...Array<string>(5).fill('VENDOR_UNAVAILABLE')]);
    const failingFast = await stack.gql(CREATE_NCR, { input: { number: 'NCR-BREAKER-X', source: 'INTERNAL', quantity: 1 } });
    expect(failingFast.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', breaker: 'open', written: false });

    const read = await stack.gql<{ sku: { part: { id: string } | null } }>(PART, { code: laterCode });
    expect(read.errors).toBeUndefined();
    expect(read.data?.sku.part?.id).toEqual(expect.any(String));
    expect(stack.gateway.runtime.vendors.ISOLOCITY?.http.health().breaker).toBe('closed');
  });
});
