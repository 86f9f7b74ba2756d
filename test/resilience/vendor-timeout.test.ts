import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VENDORS } from '../../src/model/records.js';
import type { Stack } from '../support/stack.js';
import { errorTable, expectedFailure, expectOthersResolved, handleOf, healthz, logOf, lower, quickHttp, resetStack, startResilienceStack, twoOrders } from './harness.js';

// One vendor accepts the connection and never answers: its fields come back null with
// VENDOR_TIMEOUT after the per-call timeout (500 ms here), long before the request deadline
// (20 s here), a timed-out call is not retried, and the gateway answers /healthz meanwhile.

const TIMEOUT_MS = 500;
const DEADLINE_MS = 20_000;
let stack: Stack;

beforeAll(async () => {
  stack = await startResilienceStack({ env: { REQUEST_DEADLINE_MS: String(DEADLINE_MS) }, http: quickHttp({}, { timeoutMs: TIMEOUT_MS, retries: 2 }) });
});
afterAll(() => stack?.close());
beforeEach(() => resetStack(stack));

describe('a vendor that hangs', () => {
  for (const vendor of VENDORS) {
    it(`${vendor} never answering nulls only its fields with VENDOR_TIMEOUT after the per-call timeout, without a retry`, async () => {
      handleOf(stack, vendor).faults.add({ match: '*', hang: true });
      const started = Date.now();
      const pending = twoOrders(stack);
      // The process answers other requests while vendor calls hang.
      expect(await healthz(stack)).toBe(200);
      const response = await pending;
      const elapsed = Date.now() - started;

      expect(response.status).toBe(200);
      expect(errorTable(response)).toEqual(expectedFailure(response, vendor, 'VENDOR_TIMEOUT'));
      for (const error of response.errors ?? []) {
        expect(error.extensions).toMatchObject({ code: 'VENDOR_TIMEOUT', vendor: lower(vendor), timeoutMs: TIMEOUT_MS });
        expect(error.message).toMatch(new RegExp(`^${lower(vendor)}: GET /\\S+: no answer within ${TIMEOUT_MS} ms$`));
      }
      expectOthersResolved(stack, response, vendor);

      // Cut by the per-call timeout, not by the deadline: at most a few sequential timeouts.
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS);
      expect(elapsed).toBeLessThan(DEADLINE_MS / 2);
      // Timeouts are not retried (retries.max is 2 here): every path was asked once.
      const log = logOf(stack, vendor);
      expect(log.length).toBeGreaterThan(0);
      expect(new Set(log.map((r) => r.path)).size).toBe(log.length);
    });
  }
});
