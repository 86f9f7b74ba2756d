import { afterEach, describe, expect, it } from 'vitest';
import { defaultHttpOptions } from '../../src/http/index.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { FLAGSHIP_QUERY } from '../../src/server/flagship.js';
import { distruId } from '../../sandbox/distru/project.js';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import type { Stack } from '../support/stack.js';
import { countOf, errorTable, handleOf, logOf, maxInWindow, startResilienceStack } from './harness.js';

// Distru asks for at most 2 calls per second. However many GraphQL requests arrive at once, the
// Distru sandbox must never see more than 2 in any one second (a sliding window, no burst),
// callers queue for the window while the queue is short, and are refused with VENDOR_RATE_LIMITED —
// without a call to Distru — once it is full.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe("Distru's client-side rate limit", () => {
  it('holds 20 concurrent flagship queries to 2 Distru calls in any second, against the strict sandbox, and answers every one of them', async () => {
    const budget = defaultHttpOptions('distru').rateLimit;
    expect(budget).toMatchObject({ maxCalls: 2, windowMs: 1_000, maxQueue: 20 });
    // Default HTTP settings for every vendor; a deadline long enough that queueing is all we see.
    // The strict sandbox answers 429 past 2 calls in a second, counting only the calls it accepted:
    // a log with never more than 2 in a second is a log without a 429.
    stack = await startResilienceStack({ env: { REQUEST_DEADLINE_MS: '60000' }, http: {}, strict: true });
    const world = stack.sandboxes.world;
    const sizes = ['oneLine', 'tenLines', 'fiftyLines', 'sixtyLines'] as const;
    const ids = Array.from({ length: 20 }, (_, i) => toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(world, sizes[i % sizes.length] as (typeof sizes)[number])));

    const responses = await Promise.all(ids.map((id) => stack!.gql<{ order: { id: string; lines: unknown[] } | null }>(FLAGSHIP_QUERY, { id })));

    for (const [i, response] of responses.entries()) {
      expect(errorTable(response), `query ${i}`).toEqual({});
      expect(response.data?.order?.id).toBe(ids[i]);
    }
    const log = logOf(stack, 'DISTRU');
    // Enough calls that the limit had something to hold back.
    expect(log.length).toBeGreaterThan(2 * budget!.maxCalls);
    // As Distru counts them, on its own clock: never a third call in any 1-second window.
    expect(maxInWindow(log, 1_000)).toBeLessThanOrEqual(budget!.maxCalls);
    // Dozens of Distru calls at 2 per second: tens of seconds of real time, more on a loaded machine.
  }, 120_000);

  it('refuses calls beyond a full queue at once with VENDOR_RATE_LIMITED on just those fields, never calling Distru for them', async () => {
    // 1 call in any second, two may wait: of 12 requests for different orders at once, 3 are served.
    stack = await startResilienceStack({ env: { REQUEST_DEADLINE_MS: '30000' }, http: { DISTRU: { rateLimit: { maxCalls: 1, windowMs: 1_000, maxQueue: 2 }, retries: { max: 0, baseDelayMs: 10, maxDelayMs: 10 } } } });
    // Distru answers each order after a second: the first call holds its place in the window for
    // two seconds (its answer, then the window), so all 12 requests are in line, however slowly a
    // loaded machine delivers them, before a place frees up.
    handleOf(stack, 'DISTRU').faults.add({ match: 'GET /public/v1/orders', latencyMs: 1_000 });
    const world = stack.sandboxes.world;
    const orders = world.orders.filter((o) => o.vendor === 'distru').slice(0, 12);
    const query = 'query One($id: ID!) { order(id: $id) { id number } }';
    const started = Date.now();
    const responses = await Promise.all(orders.map((o) => stack!.gql<{ order: { id: string } | null }>(query, { id: toGlobalId('Order', 'DISTRU', distruId('order', o.key)) })));
    const elapsed = Date.now() - started;

    const served = responses.filter((r) => r.data?.order !== null && !r.errors);
    const refused = responses.filter((r) => r.data?.order === null);
    expect(served.length).toBe(3);
    expect(refused.length).toBe(9);
    for (const response of refused) {
      expect(errorTable(response)).toEqual({ order: 'VENDOR_RATE_LIMITED/distru' });
      expect(response.errors?.[0]?.extensions?.retryAfterMs).toEqual(expect.any(Number));
      expect(response.errors?.[0]?.message).toMatch(/^distru: GET \S+: too many calls waiting for the client-side rate limit$/);
    }
    expect(countOf(stack, 'DISTRU')).toBe(3);
    // The queued two waited for the window (each sent 1 s after the answer before it, answered 1 s
    // later): about 5 s; nobody waited for the 30 s deadline.
    expect(elapsed).toBeGreaterThanOrEqual(4_900);
    expect(elapsed).toBeLessThan(20_000);
  }, 60_000);
});
