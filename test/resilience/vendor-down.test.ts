import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VENDORS } from '../../src/model/records.js';
import type { Stack } from '../support/stack.js';
import { countOf, counts, errorTable, expectedFailure, expectOthersResolved, handleOf, healthz, logOf, lower, resetStack, startResilienceStack, twoOrders } from './harness.js';

// One vendor answers 503 to everything: only the fields that need it are null, each with
// VENDOR_UNAVAILABLE naming it, every idempotent read was tried exactly twice (one retry), and
// the gateway itself kept answering.

let stack: Stack;

beforeAll(async () => {
  stack = await startResilienceStack();
});
afterAll(() => stack?.close());
beforeEach(() => resetStack(stack));

describe('a vendor that is down', () => {
  it('with every vendor healthy the two orders resolve completely, with no error', async () => {
    const response = await twoOrders(stack);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expectOthersResolved(stack, response, null);
    for (const vendor of VENDORS) expect(countOf(stack, vendor), `${vendor} was asked`).toBeGreaterThan(0);
  });

  for (const vendor of VENDORS) {
    it(`${vendor} answering 503 to every call nulls only its fields, each with VENDOR_UNAVAILABLE and vendor "${lower(vendor)}"`, async () => {
      handleOf(stack, vendor).faults.add({ match: '*', status: 503 });
      const response = await twoOrders(stack);

      expect(response.status).toBe(200);
      expect(errorTable(response)).toEqual(expectedFailure(response, vendor, 'VENDOR_UNAVAILABLE'));
      for (const error of response.errors ?? []) {
        expect(error.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: lower(vendor), upstreamStatus: 503 });
        expect(error.message).toMatch(new RegExp(`^${lower(vendor)}: GET /\\S+: the vendor answered 503 \\(after 2 attempts\\)$`));
      }
      expectOthersResolved(stack, response, vendor);

      // Reads only, and each one sent exactly twice: the first attempt and the one retry.
      const log = logOf(stack, vendor);
      expect(log.length).toBeGreaterThan(0);
      expect(log.every((r) => r.method === 'GET')).toBe(true);
      const perPath = new Map<string, number>();
      for (const r of log) perPath.set(r.path, (perPath.get(r.path) ?? 0) + 1);
      for (const [path, n] of perPath) expect(n, `attempts on ${path}`).toBe(2);
      expect(await healthz(stack)).toBe(200);
    });
  }

  it('with all four vendors down the gateway still answers, with each order null and /healthz 200 meanwhile', async () => {
    for (const vendor of VENDORS) handleOf(stack, vendor).faults.add({ match: '*', status: 503 });
    const [response, health] = await Promise.all([twoOrders(stack), healthz(stack)]);
    expect(health).toBe(200);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ distru: null, pharus: null });
    expect(errorTable(response)).toEqual({ distru: 'VENDOR_UNAVAILABLE/distru', pharus: 'VENDOR_UNAVAILABLE/pharus' });
    // Each order read: the first attempt and one retry. No line, so no other vendor was asked.
    expect(counts(stack)).toEqual({ ISOLOCITY: 0, PHARUS: 2, DISTRU: 2, HAPIHUB: 0 });
  });
});
