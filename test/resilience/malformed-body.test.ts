import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VENDORS } from '../../src/model/records.js';
import type { Stack } from '../support/stack.js';
import { errorTable, expectedFailure, expectOthersResolved, handleOf, logOf, lower, quickHttp, resetStack, startResilienceStack, twoOrders } from './harness.js';

// One vendor answers 200 with a truncated JSON body: its fields come back null with
// VENDOR_BAD_RESPONSE, the call is not retried (the vendor did answer; asking again would only
// repeat the load), and the breaker does not count it as the vendor being down.

let stack: Stack;

beforeAll(async () => {
  // A breaker that would open on the first failure: a malformed body must not count as one.
  stack = await startResilienceStack({ http: quickHttp({}, { retries: 2, breaker: { failureThreshold: 1, openMs: 60_000 } }) });
});
afterAll(() => stack?.close());
beforeEach(() => resetStack(stack));

describe('a vendor that sends a body that is not JSON', () => {
  for (const vendor of VENDORS) {
    it(`${vendor} answering malformed JSON nulls only its fields with VENDOR_BAD_RESPONSE, each call sent once`, async () => {
      handleOf(stack, vendor).faults.add({ match: '*', malformed: true });
      const response = await twoOrders(stack);

      expect(response.status).toBe(200);
      expect(errorTable(response)).toEqual(expectedFailure(response, vendor, 'VENDOR_BAD_RESPONSE'));
      for (const error of response.errors ?? []) {
        expect(error.extensions).toMatchObject({ code: 'VENDOR_BAD_RESPONSE', vendor: lower(vendor), upstreamStatus: 200 });
        expect(error.message).toMatch(new RegExp(`^${lower(vendor)}: GET /\\S+: the 200 answer is not valid JSON$`));
        // The body is never echoed into the error.
        expect(error.message).not.toContain('trunc');
      }
      expectOthersResolved(stack, response, vendor);

      const log = logOf(stack, vendor);
      expect(log.length).toBeGreaterThan(0);
      expect(new Set(log.map((r) => r.path)).size).toBe(log.length);
      expect(stack.gateway.runtime.vendors[vendor]?.http.health().breaker).toBe('closed');
    });
  }
});
