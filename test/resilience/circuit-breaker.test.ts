import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VENDORS } from '../../src/model/records.js';
import type { Stack } from '../support/stack.js';
import { countOf, errorTable, expectedFailure, expectOthersResolved, handleOf, healthz, quickHttp, readyz, resetStack, SkippingClock, startResilienceStack, twoOrders } from './harness.js';

// The breaker of a failing vendor opens after `failureThreshold` consecutive failures, then fails
// fast (no call to the vendor) for `openMs`, lets one probe through, and closes when the probe
// succeeds. /readyz shows each step; it turns 503 only when every vendor's breaker is open, while
// /healthz and GraphQL keep answering.
//
// The open period passes on the breakers' own simulated clock (SkippingClock): a minute that real
// time never reaches during the test, skipped at once where the test says so.

const OPEN_MS = 60_000;
const clock = new SkippingClock();
let stack: Stack;

beforeAll(async () => {
  // No retries, so each failing read is one failure; two in a row open the breaker.
  stack = await startResilienceStack({ http: quickHttp({}, { retries: 0, breaker: { failureThreshold: 2, openMs: OPEN_MS, now: clock.now } }) });
});
afterAll(() => stack?.close());
beforeEach(() => resetStack(stack));

async function breakerOf(vendor: (typeof VENDORS)[number]) {
  const { body } = await readyz(stack);
  return body.vendors.find((v) => v.vendor === vendor);
}

describe('circuit breaker', () => {
  it('opens after two failures, fails fast without calling the vendor, probes once after openMs and closes', async () => {
    const hapihub = handleOf(stack, 'HAPIHUB');
    hapihub.faults.add({ match: '*', status: 503 });

    // Two failing requests: one HAPIHub call each (the stock fold is read once per request).
    for (let i = 1; i <= 2; i++) {
      const response = await twoOrders(stack);
      expect(errorTable(response)).toEqual(expectedFailure(response, 'HAPIHUB', 'VENDOR_UNAVAILABLE'));
      expect(countOf(stack, 'HAPIHUB')).toBe(i);
    }
    const opened = await readyz(stack);
    expect(opened.status).toBe(200);
    expect(opened.body.ready).toBe(true);
    expect(opened.body.vendors.find((v) => v.vendor === 'HAPIHUB')).toMatchObject({ configured: true, breaker: 'open', recentCalls: 2, recentErrorRate: 1 });
    expect(opened.body.vendors.find((v) => v.vendor === 'HAPIHUB')?.lastError).toMatch(/^hapihub: GET \/inventory-transactions: the vendor answered 503$/);
    for (const vendor of ['ISOLOCITY', 'PHARUS', 'DISTRU'] as const) expect((await breakerOf(vendor))?.breaker).toBe('closed');

    // Open: the fields fail fast, with no call to HAPIHub, while the others still resolve.
    const fast = await twoOrders(stack);
    expect(errorTable(fast)).toEqual(expectedFailure(fast, 'HAPIHUB', 'VENDOR_UNAVAILABLE'));
    for (const error of fast.errors ?? []) {
      expect(error.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'hapihub', breaker: 'open', retryAfterMs: expect.any(Number) });
      expect(error.message).toMatch(/failing fast, the circuit breaker is open after repeated failures$/);
    }
    expectOthersResolved(stack, fast, 'HAPIHUB');
    expect(countOf(stack, 'HAPIHUB')).toBe(2);

    // The vendor recovers; after openMs the breaker is half-open and the next call is the probe.
    hapihub.faults.clear();
    expect((await breakerOf('HAPIHUB'))?.breaker).toBe('open');
    clock.skip(OPEN_MS);
    expect((await breakerOf('HAPIHUB'))?.breaker).toBe('half-open');
    expect(countOf(stack, 'HAPIHUB')).toBe(2);
    const probed = await twoOrders(stack);
    expect(probed.errors).toBeUndefined();
    expectOthersResolved(stack, probed, null);
    expect(countOf(stack, 'HAPIHUB')).toBeGreaterThan(2);
    expect(await breakerOf('HAPIHUB')).toMatchObject({ breaker: 'closed' });
  });

  it('reopens for another openMs when the half-open probe fails', async () => {
    const pharus = handleOf(stack, 'PHARUS');
    pharus.faults.add({ match: '*', status: 503 });
    await twoOrders(stack);
    await twoOrders(stack);
    expect((await breakerOf('PHARUS'))?.breaker).toBe('open');
    const failures = countOf(stack, 'PHARUS');

    clock.skip(OPEN_MS);
    expect((await breakerOf('PHARUS'))?.breaker).toBe('half-open');
    const probe = await twoOrders(stack);
    // The probe is one call; it fails, and everything else Pharus was asked for failed fast.
    expect(countOf(stack, 'PHARUS')).toBe(failures + 1);
    expect(errorTable(probe)).toEqual(expectedFailure(probe, 'PHARUS', 'VENDOR_UNAVAILABLE'));
    expect((await breakerOf('PHARUS'))?.breaker).toBe('open');
    const again = await twoOrders(stack);
    expect(errorTable(again)).toEqual(expectedFailure(again, 'PHARUS', 'VENDOR_UNAVAILABLE'));
    expect(countOf(stack, 'PHARUS')).toBe(failures + 1);
  });
});

describe('readiness', () => {
  it('reports not ready (503) once every breaker is open, while /healthz and GraphQL still answer', async () => {
    // Its own stack, with breakers that stay open for the whole test once opened.
    const stack = await startResilienceStack({ http: quickHttp({}, { retries: 0, breaker: { failureThreshold: 2, openMs: 60_000 } }) });
    try {
      for (const vendor of VENDORS) handleOf(stack, vendor).faults.add({ match: '*', status: 503 });
      const everything = 'query All($codes: [String!]!) { inventoryLevels(skuCodes: $codes) { vendor onHand } }';
      const codes = stack.sandboxes.world.skus.slice(0, 3).map((s) => s.code);
      // Each request fails one read per vendor; a few are enough to open all four breakers.
      for (let i = 0; i < 6; i++) {
        const { body } = await readyz(stack);
        if (body.vendors.every((v) => v.breaker === 'open')) break;
        await stack.gql(everything, { codes });
      }
      const down = await readyz(stack);
      expect(down.status).toBe(503);
      expect(down.body.ready).toBe(false);
      expect(down.body.vendors.map((v) => [v.vendor, v.configured, v.breaker, v.recentErrorRate])).toEqual(VENDORS.map((v) => [v, true, 'open', 1]));

      expect(await healthz(stack)).toBe(200);
      await stack.resetStats();
      const response = await stack.gql<{ inventoryLevels: unknown[] }>(everything, { codes });
      expect(response.status).toBe(200);
      expect(response.data?.inventoryLevels).toEqual([null, null, null, null]);
      expect(response.errors?.map((e) => [e.extensions?.vendor, e.extensions?.code, e.extensions?.breaker])).toEqual(
        VENDORS.map((v) => [v.toLowerCase(), 'VENDOR_UNAVAILABLE', 'open']),
      );
      for (const vendor of VENDORS) expect(countOf(stack, vendor), `${vendor} calls while open`).toBe(0);
    } finally {
      await stack.close();
    }
  });
});
