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
  it('lets the vendor see at most 2 of 10 concurrent calls in any 250 ms window (sliding window, no burst)', async () => {
    const http = clients.make(toyOptions(sandbox.url, { rateLimit: { maxCalls: 2, windowMs: 250, guardMs: 20, maxQueue: 10 } }));
    const sent = Date.now();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => http.request({ method: 'GET', path: `/items/${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const arrivals = seen(sandbox).map((r) => r.at);
    expect(arrivals).toHaveLength(10);
    // Two per window: the i-th cannot arrive before floor(i / 2) windows of 270 ms have passed.
    arrivals.forEach((at, i) => expect(at - sent).toBeGreaterThanOrEqual(Math.floor(i / 2) * 270));
    // As the vendor counts: no 250 ms window of its own clock holds a third arrival.
    for (let i = 2; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 2]!).toBeGreaterThanOrEqual(250);
  });

  it('sends a call under a place reserved beforehand without queueing again, and refuses a second reservation while the window is spent', async () => {
    // A window of a minute: a call that queued again behind the reserved place could not go out.
    const http = clients.make(toyOptions(sandbox.url, { rateLimit: { maxCalls: 1, windowMs: 60_000, maxQueue: 5 } }));
    const reserved = await http.reserve({}, 'GET /items/:id');
    expect(seen(sandbox)).toHaveLength(0);
    const answer = await http.request({ method: 'GET', path: '/items/1' }, { reserved, deadline: Date.now() + 2_000 });
    expect(answer.status).toBe(200);
    expect(seen(sandbox)).toHaveLength(1);
    const error = await rejection(http.reserve({ deadline: Date.now() + 100 }, 'GET /items/:id'));
    expect(error.extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'hapihub' });
    expect(error.message).toBe("hapihub: GET /items/:id: the request's deadline passed before the vendor answered");
    expect(seen(sandbox)).toHaveLength(1);
  });

  it('rejects at once with VENDOR_RATE_LIMITED, sending nothing, when the queue is full', async () => {
    const http = clients.make(toyOptions(sandbox.url, { rateLimit: { maxCalls: 1, windowMs: 200, maxQueue: 2 } }));
    const trace = new UpstreamTrace();
    const answered: number[] = [];
    const calls = Array.from({ length: 4 }, (_, i) => {
      const call = http.request({ method: 'GET', path: `/items/${i}` }, { trace });
      call.then(() => answered.push(i), () => undefined);
      return call;
    });
    const error = await rejection(calls[3]!);
    // At once: refused before the vendor answered even the first call, let alone the two that wait
    // for the window (an order of events, so a loaded machine cannot make it fail).
    expect(answered).toEqual([]);
    expect(error.extensions).toEqual({ code: 'VENDOR_RATE_LIMITED', vendor: 'hapihub', retryAfterMs: expect.any(Number) });
    // Two callers ahead, one per 200 ms window: about 3 windows.
    expect(error.extensions.retryAfterMs).toBe(600);
    expect((await Promise.all(calls.slice(0, 3))).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(sandbox.stats.snapshot().total).toBe(3);
    expect(trace.calls).toBe(3);
  });

  it('rejects a queued caller with VENDOR_TIMEOUT when its deadline passes while it waits', async () => {
    // A window of a minute: the caller can only leave before it opens because of its deadline.
    const WINDOW_MS = 60_000;
    const http = clients.make(toyOptions(sandbox.url, { rateLimit: { maxCalls: 1, windowMs: WINDOW_MS, maxQueue: 5 } }));
    await http.request({ method: 'GET', path: '/items/1' });
    const started = Date.now();
    const error = await rejection(http.request({ method: 'GET', path: '/items/2' }, { deadline: started + 100 }));
    expect(error.extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'hapihub' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(WINDOW_MS);
    expect(sandbox.stats.snapshot().total).toBe(1);
  });

  it('makes retries wait for the window too', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 503 });
    const http = clients.make(toyOptions(sandbox.url, { rateLimit: { maxCalls: 1, windowMs: 250, maxQueue: 5 } }));
    await rejection(http.request({ method: 'GET', path: '/items' }));
    const arrivals = seen(sandbox).map((r) => r.at);
    expect(arrivals).toHaveLength(3);
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThanOrEqual(2 * 250 - 10);
  });
});
