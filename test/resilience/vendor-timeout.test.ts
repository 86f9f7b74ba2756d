import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDORS } from '../../src/model/records.js';
import type { Stack } from '../support/stack.js';
import { errorTable, expectedFailure, expectOthersResolved, handleOf, healthz, logOf, lower, quickHttp, startResilienceStack, twoOrders } from './harness.js';

// One vendor accepts the connection and never answers: its fields come back null with
// VENDOR_TIMEOUT after the per-call timeout (500 ms here), long before the request deadline
// (20 s here), a timed-out call is not retried, and the gateway answers /healthz meanwhile.

const TIMEOUT_MS = 500;
/** The healthy vendors' per-call timeout: a cold read on a loaded machine never comes near it. */
const HEALTHY_TIMEOUT_MS = 10_000;
const DEADLINE_MS = 20_000;

describe('a vendor that hangs', () => {
  for (const vendor of VENDORS) {
    describe(vendor, () => {
      // A stack per hanging vendor: only that vendor has the short per-call timeout, so a healthy
      // vendor's slow cold read on a loaded machine cannot end in a VENDOR_TIMEOUT of its own.
      let stack: Stack;
      beforeAll(async () => {
        const http = quickHttp({ [vendor]: { timeoutMs: TIMEOUT_MS } }, { timeoutMs: HEALTHY_TIMEOUT_MS, retries: 2 });
        stack = await startResilienceStack({ env: { REQUEST_DEADLINE_MS: String(DEADLINE_MS) }, http });
      });
      afterAll(() => stack?.close());

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
    });
  }
});
