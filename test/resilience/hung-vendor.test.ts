import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Stack } from '../support/stack.js';
import { countOf, errorTable, expectedFailure, expectOthersResolved, handleOf, quickHttp, readyz, resetStack, startResilienceStack, twoOrders } from './harness.js';

// The case the issue measured: HAPIHub hangs and its per-call timeout (3.5 s here, 10 s by
// default) is no shorter than the request deadline (3 s here, 10 s by default), so every attempt
// used to be cut by the deadline and counted as neutral: the breaker never opened and every
// request waited its whole deadline. Now each attempt runs on to its own timeout after the request
// has answered, counts as a failure, and once the breaker opens HAPIHub's fields fail fast.
// Concurrent and successive requests share one stock reload (SingleFlight), so here one hung
// attempt is all HAPIHub sees until its timeout: a breaker threshold of one opens on it.

const DEADLINE_MS = 3_000;
const HAPIHUB_TIMEOUT_MS = 3_500;
let stack: Stack;

beforeAll(async () => {
  stack = await startResilienceStack({
    // Live stock is re-read by every request, so each one asks HAPIHub.
    env: { REQUEST_DEADLINE_MS: String(DEADLINE_MS), LIVE_STOCK_MAX_AGE_MS: '0' },
    http: quickHttp({ HAPIHUB: { timeoutMs: HAPIHUB_TIMEOUT_MS, breaker: { failureThreshold: 1, openMs: 60_000 } } }, { distruBudget: false }),
  });
  // Warm every index first, so that the requests below wait on HAPIHub alone.
  await resetStack(stack);
  await twoOrders(stack);
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetStats());

describe('a hung vendor', () => {
  it('opens its breaker after hanging past its own timeout, then its fields fail fast while the rest resolves, and /readyz says why', async () => {
    handleOf(stack, 'HAPIHUB').faults.add({ match: '*', hang: true });
    // Two requests: each leaves at its deadline with HAPIHub's stock VENDOR_TIMEOUT (the second joins the first's reload).
    for (let i = 0; i < 2; i++) {
      const response = await twoOrders(stack);
      expect(new Set(Object.values(errorTable(response)))).toEqual(new Set(['VENDOR_TIMEOUT/hapihub']));
    }
    const hungCalls = countOf(stack, 'HAPIHUB');
    expect(hungCalls).toBeGreaterThanOrEqual(1);
    // Their attempts end at HAPIHub's own timeout, after the responses: then the breaker opens.
    await vi.waitFor(async () => expect((await readyz(stack)).body.vendors.find((v) => v.vendor === 'HAPIHUB')?.breaker).toBe('open'), { timeout: 8_000, interval: 50 });

    const fast = await twoOrders(stack);
    expect(errorTable(fast)).toEqual(expectedFailure(fast, 'HAPIHUB', 'VENDOR_UNAVAILABLE'));
    for (const error of fast.errors ?? []) expect(error.extensions).toMatchObject({ vendor: 'hapihub', breaker: 'open' });
    expectOthersResolved(stack, fast, 'HAPIHUB');
    expect(countOf(stack, 'HAPIHUB')).toBe(hungCalls);

    const ready = await readyz(stack);
    expect(ready.status).toBe(200);
    expect(ready.body.ready).toBe(true);
    const hapihub = ready.body.vendors.find((v) => v.vendor === 'HAPIHUB');
    expect(hapihub).toMatchObject({ healthy: false, breaker: 'open' });
    expect(hapihub?.reason).toMatch(new RegExp(`^calls hang past the ${HAPIHUB_TIMEOUT_MS} ms per-call timeout \\(\\d+ in the last minute\\); circuit breaker open$`));
    expect(ready.body.vendors.filter((v) => v.vendor !== 'HAPIHUB').map((v) => v.healthy)).toEqual([true, true, true]);
  });
});
