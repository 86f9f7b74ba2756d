import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { countOf, errorTable, expectedFailure, expectOthersResolved, handleOf, quickHttp, startResilienceStack, twoOrders } from './harness.js';

// ISOlocity's parts live in a cross-request index (reference data). When it is due for a refresh
// and ISOlocity fails, the older copy is served while it is within STALE_MAX_MS, and the response
// says so in `extensions.stale`; past that bound the fields are null with the vendor's error.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const PARTS = 'GET /api/v2/parts';

describe('stale serving from a cross-request index', () => {
  it('serves the warm parts index within STALE_MAX_MS when ISOlocity fails, naming it in extensions.stale', async () => {
    // Parts are due for a refresh after 300 ms; everything else stays fresh for the test.
    stack = await startResilienceStack({
      env: { REFERENCE_MAX_AGE_MS: '300', QUALITY_MAX_AGE_MS: '600000', LIVE_STOCK_MAX_AGE_MS: '600000', STALE_MAX_MS: '60000' },
      http: quickHttp({}, { retries: 0 }),
    });
    const warm = await twoOrders(stack);
    expect(warm.errors).toBeUndefined();
    expect(warm.extensions?.stale).toBeUndefined();

    await sleep(400);
    handleOf(stack, 'ISOLOCITY').faults.add({ match: PARTS, status: 503 });
    await stack.resetStats();
    const response = await twoOrders(stack);

    expect(response.errors).toBeUndefined();
    // The same answer as when ISOlocity was healthy: parts, and what hangs off them, all there.
    expect(response.data).toEqual(warm.data);
    const stale = response.extensions?.stale as { vendor: string; source: string; ageMs: number; reason: string }[];
    expect(stale).toEqual([{ vendor: 'isolocity', source: 'isolocity.parts', ageMs: expect.any(Number), reason: 'VENDOR_UNAVAILABLE' }]);
    expect(stale[0]?.ageMs).toBeGreaterThanOrEqual(400);
    expect(stale[0]?.ageMs).toBeLessThanOrEqual(60_000);
    // One refresh was tried (single-flight), and nothing else was asked of ISOlocity.
    expect(handleOf(stack, 'ISOLOCITY').stats.snapshot().requests).toEqual({ [`${PARTS}`]: countOf(stack, 'ISOLOCITY') });
    expect(countOf(stack, 'ISOLOCITY')).toBe(1);
  });

  it('does not serve the copy once it is older than STALE_MAX_MS: the parts are null with VENDOR_UNAVAILABLE', async () => {
    stack = await startResilienceStack({
      env: { REFERENCE_MAX_AGE_MS: '100', QUALITY_MAX_AGE_MS: '600000', LIVE_STOCK_MAX_AGE_MS: '600000', STALE_MAX_MS: '300' },
      http: quickHttp({}, { retries: 0 }),
    });
    const warm = await twoOrders(stack);
    expect(warm.errors).toBeUndefined();

    await sleep(500);
    handleOf(stack, 'ISOLOCITY').faults.add({ match: PARTS, status: 503 });
    const response = await twoOrders(stack);

    expect(response.extensions?.stale).toBeUndefined();
    // As if ISOlocity were down: its parts and its stock entries are null, nothing else.
    expect(errorTable(response)).toEqual(expectedFailure(response, 'ISOLOCITY', 'VENDOR_UNAVAILABLE'));
    expectOthersResolved(stack!, response, 'ISOLOCITY');
  });
});
