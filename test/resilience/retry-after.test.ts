import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { countOf, errorTable, expectedFailure, expectOthersResolved, handleOf, logOf, quickHttp, resetStack, startResilienceStack, twoOrders, until } from './harness.js';

// A vendor that answers 429: the gateway waits as long as `Retry-After` says (not its own
// shorter backoff) before the one retry of a read, unless that wait would pass the request's
// deadline; then the fields fail at once with VENDOR_RATE_LIMITED.

const DEADLINE_MS = 5_000;
let stack: Stack;

beforeAll(async () => {
  // Backoff without Retry-After is at most 40 ms here, so a 1 s gap can only come from the header.
  stack = await startResilienceStack({ env: { REQUEST_DEADLINE_MS: String(DEADLINE_MS) }, http: quickHttp({}, { retries: 1 }) });
});
afterAll(() => stack?.close());
beforeEach(() => resetStack(stack));

/** HAPIHub calls a healthy TwoOrders costs with cold caches. */
async function healthyHapihubCalls(): Promise<number> {
  const response = await twoOrders(stack);
  expect(response.errors).toBeUndefined();
  const n = countOf(stack, 'HAPIHUB');
  await resetStack(stack);
  return n;
}

describe('429 with Retry-After', () => {
  it('waits the Retry-After second before retrying, then succeeds with exactly one extra call', async () => {
    const healthy = await healthyHapihubCalls();
    const hapihub = handleOf(stack, 'HAPIHUB');
    hapihub.faults.add({ match: 'GET /inventory-transactions', status: 429, retryAfter: 1 });
    const pending = twoOrders(stack);
    // The vendor stops rate limiting once it has refused the first call (well inside the 1 s wait).
    await until(() => countOf(stack, 'HAPIHUB') >= 1, 5_000, 'the first HAPIHub call');
    hapihub.faults.clear();
    const response = await pending;

    expect(response.errors).toBeUndefined();
    expectOthersResolved(stack, response, null);
    const log = logOf(stack, 'HAPIHUB');
    expect(log.length).toBe(healthy + 1);
    const [refused, retried] = log;
    expect(retried?.path).toBe(refused?.path);
    // Honoured: not before the second Retry-After asked for (a little slack for clock reads).
    expect((retried?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(980);
  });

  it('fails the fields at once with VENDOR_RATE_LIMITED when Retry-After would pass the request deadline', async () => {
    handleOf(stack, 'HAPIHUB').faults.add({ match: '*', status: 429, retryAfter: 60 });
    const started = Date.now();
    const response = await twoOrders(stack);
    const elapsed = Date.now() - started;

    expect(errorTable(response)).toEqual(expectedFailure(response, 'HAPIHUB', 'VENDOR_RATE_LIMITED'));
    for (const error of response.errors ?? []) {
      expect(error.extensions).toMatchObject({ code: 'VENDOR_RATE_LIMITED', vendor: 'hapihub', upstreamStatus: 429, retryAfterMs: 60_000 });
    }
    expectOthersResolved(stack, response, 'HAPIHUB');
    // One call, no retry, and no waiting out the deadline.
    expect(countOf(stack, 'HAPIHUB')).toBe(1);
    expect(elapsed).toBeLessThan(DEADLINE_MS);
  });

  it('without Retry-After retries once with backoff, then gives VENDOR_RATE_LIMITED', async () => {
    handleOf(stack, 'PHARUS').faults.add({ match: '*', status: 429 });
    const response = await twoOrders(stack);

    expect(errorTable(response)).toEqual(expectedFailure(response, 'PHARUS', 'VENDOR_RATE_LIMITED'));
    for (const error of response.errors ?? []) {
      expect(error.extensions).toMatchObject({ code: 'VENDOR_RATE_LIMITED', vendor: 'pharus', upstreamStatus: 429 });
      expect(error.extensions).not.toHaveProperty('retryAfterMs');
    }
    expectOthersResolved(stack, response, 'PHARUS');
    const perPath = new Map<string, number>();
    for (const r of logOf(stack, 'PHARUS')) perPath.set(r.path, (perPath.get(r.path) ?? 0) + 1);
    expect(perPath.size).toBeGreaterThan(0);
    for (const [path, n] of perPath) expect(n, `attempts on ${path}`).toBe(2);
  });
});
