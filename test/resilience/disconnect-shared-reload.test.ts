import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../support/stack.js';
import { errorTable, handleOf, quickHttp, showcaseIds, startResilienceStack, TWO_ORDERS } from './harness.js';

// A cross-request reload (here ISOlocity's parts, inspections and NCR indexes) is shared by every
// request that needs it while it runs. It must run on its own: the request that happened to start
// it may go away, and the requests waiting with it must still get their answer from that one read.

let stack: Stack;

beforeAll(async () => {
  stack = await startResilienceStack({ env: { REQUEST_DEADLINE_MS: '20000' }, http: quickHttp({}, { timeoutMs: 10_000, distruBudget: false }) });
});
afterAll(() => stack?.close());

async function postAborted(body: unknown, signal: AbortSignal): Promise<'aborted' | number> {
  try {
    const response = await fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
    return response.status;
  } catch {
    return 'aborted';
  }
}

describe('a shared reload when the request that started it disconnects', () => {
  it('still answers the concurrent healthy request from that same reload, reading ISOlocity once', async () => {
    const isolocity = handleOf(stack, 'ISOLOCITY');
    // Every ISOlocity list read takes 600 ms, so both requests are waiting for the same reload.
    isolocity.faults.add({ match: '*', latencyMs: 600 });
    for (const runtime of Object.values(stack.gateway.runtime.vendors)) runtime.invalidateAll();
    await stack.resetStats();
    const ids = showcaseIds(stack);

    const first = new AbortController();
    const leaving = postAborted({ query: TWO_ORDERS, variables: ids }, first.signal);
    // The first request has started the reloads; the second joins them.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const healthy = stack.gql(TWO_ORDERS, ids);
    await new Promise((resolve) => setTimeout(resolve, 100));
    first.abort();
    expect(await leaving).toBe('aborted');

    const response = await healthy;
    expect(errorTable(response)).toEqual({});
    expect(response.data).not.toBeNull();
    // One read of each ISOlocity list, shared: the second request did not start its own.
    const requests = isolocity.stats.snapshot().requests;
    for (const [route, count] of Object.entries(requests)) expect(count, route).toBe(1);
  }, 30_000);
});
