import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { UpstreamTrace } from '../../src/http/index.js';
import { Clients, rejection, seen, startToy, toyOptions } from './toy-vendor.js';

let sandbox: SandboxHandle<Awaited<ReturnType<typeof startToy>>['store']>;
const clients = new Clients();

beforeAll(async () => {
  sandbox = await startToy();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.stats.reset();
  sandbox.faults.clear();
});
afterEach(() => clients.closeAll());

describe('client-side rate limit', () => {
  it('spreads 10 calls at 2/s with a burst of 2 over at least 4 s, as the vendor sees them', async () => {
    const http = clients.make(toyOptions(sandbox.url, { rateLimit: { perSecond: 2, burst: 2, maxQueue: 10 } }));
    const sent = Date.now();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => http.request({ method: 'GET', path: `/items/${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const arrivals = seen(sandbox).map((r) => r.at);
    expect(arrivals).toHaveLength(10);
    // Two go at once, then one every 500 ms: the i-th cannot arrive before (i - 1) * 500 ms, so the
    // last arrives at least 4 s after the calls were made.
    arrivals.forEach((at, i) => expect(at - sent).toBeGreaterThanOrEqual(Math.max(0, i - 1) * 500));
    // Between the vendor's own first and last arrival; the slack is the first call's trip, which on
    // a loaded machine (the whole suite in parallel) can lag by tens of milliseconds.
    expect(arrivals[9]! - arrivals[0]!).toBeGreaterThanOrEqual(4_000 - 200);
  }, 15_000);

  it('rejects at once with VENDOR_RATE_LIMITED, sending nothing, when the queue is full', async () => {
    const http = clients.make(toyOptions(sandbox.url, { rateLimit: { perSecond: 5, burst: 1, maxQueue: 2 } }));
    const trace = new UpstreamTrace();
    const calls = Array.from({ length: 4 }, (_, i) => http.request({ method: 'GET', path: `/items/${i}` }, { trace }));
    const started = Date.now();
    const error = await rejection(calls[3]!);
    expect(Date.now() - started).toBeLessThan(100);
    expect(error.extensions).toEqual({ code: 'VENDOR_RATE_LIMITED', vendor: 'hapihub', retryAfterMs: expect.any(Number) });
    // Two callers ahead and no token: about 3 tokens at 5/s.
    expect(error.extensions.retryAfterMs).toBeGreaterThan(500);
    expect(error.extensions.retryAfterMs).toBeLessThanOrEqual(600);
    expect((await Promise.all(calls.slice(0, 3))).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(sandbox.stats.snapshot().total).toBe(3);
    expect(trace.calls).toBe(3);
  });

  it('rejects a queued caller with VENDOR_TIMEOUT when its deadline passes while it waits', async () => {
    const http = clients.make(toyOptions(sandbox.url, { rateLimit: { perSecond: 1, burst: 1, maxQueue: 5 } }));
    await http.request({ method: 'GET', path: '/items/1' });
    const started = Date.now();
    const error = await rejection(http.request({ method: 'GET', path: '/items/2' }, { deadline: started + 100 }));
    expect(error.extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'hapihub' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(600);
    expect(sandbox.stats.snapshot().total).toBe(1);
  });

  it('makes retries wait for a token too', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 503 });
    const http = clients.make(toyOptions(sandbox.url, { rateLimit: { perSecond: 4, burst: 1, maxQueue: 5 } }));
    await rejection(http.request({ method: 'GET', path: '/items' }));
    const arrivals = seen(sandbox).map((r) => r.at);
    expect(arrivals).toHaveLength(3);
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThanOrEqual(2 * 250 - 10);
  });
});
