import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { countOf, errorTable, expectedFailure, expectOthersResolved, handleOf, quickHttp, startResilienceStack, twoOrders } from './harness.js';

// A vendor that is slow but not hung (each call answers after 4 s, within its 10 s per-call
// timeout) cannot hold a GraphQL request past REQUEST_DEADLINE_MS: the response arrives by the
// deadline with that vendor's fields null (VENDOR_TIMEOUT) and everything else filled in.

const DEADLINE_MS = 1_500;
const SLOW_MS = 4_000;
let stack: Stack;

beforeAll(async () => {
  // Per-call timeouts far above the deadline, so only the deadline can cut the slow vendor short;
  // Distru's budget lifted so the healthy vendors answer well within the deadline.
  stack = await startResilienceStack({ env: { REQUEST_DEADLINE_MS: String(DEADLINE_MS), LIVE_STOCK_MAX_AGE_MS: '0' }, http: quickHttp({}, { timeoutMs: 10_000, distruBudget: false }) });
  // Warm the reference indexes (products, parts, inspections…) as a running gateway has them; on
  // a loaded machine the first cold read may need a second go within the short deadline.
  let warm = await twoOrders(stack);
  for (let i = 0; i < 3 && warm.errors; i++) warm = await twoOrders(stack);
  expect(warm.errors).toBeUndefined();
});
afterAll(() => stack?.close());

describe('request deadline', () => {
  it('answers by the deadline with the slow vendor\'s fields null (VENDOR_TIMEOUT) and the rest resolved', async () => {
    const hapihub = handleOf(stack, 'HAPIHUB');
    hapihub.faults.add({ match: '*', latencyMs: SLOW_MS });
    stack.gateway.runtime.vendors.HAPIHUB?.invalidateAll();
    await stack.resetStats();

    const started = Date.now();
    const response = await twoOrders(stack);
    const elapsed = Date.now() - started;

    expect(response.status).toBe(200);
    expect(errorTable(response)).toEqual(expectedFailure(response, 'HAPIHUB', 'VENDOR_TIMEOUT'));
    for (const error of response.errors ?? []) {
      // The stock fold is a shared read (SingleFlight): the request stops waiting, the read goes on.
      expect(error.message).toMatch(/^hapihub: hapihub\.stockFold: the request's deadline passed before the vendor answered \(the shared read goes on for later requests\)$/);
      // The deadline, not the per-call timeout, ended it.
      expect(error.extensions).not.toHaveProperty('timeoutMs');
    }
    expectOthersResolved(stack, response, 'HAPIHUB');
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
    // By the deadline (plus generous room for a loaded machine), long before the vendor answers.
    expect(elapsed).toBeLessThan(SLOW_MS - 500);
    // One attempt: a retry could not have finished before the deadline, so none was sent.
    expect(countOf(stack, 'HAPIHUB')).toBe(1);
  });
});
