import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { UpstreamTrace } from '../../src/http/index.js';
import { Clients, rejection, seen, startToy, toyOptions, untilSeen } from './toy-vendor.js';

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

/** Clears the faults as soon as the sandbox has seen `count` requests (the fault's latency leaves time). */
function clearFaultsAfter(count: number): Promise<void> {
  return untilSeen(sandbox, count).then(() => sandbox.faults.clear());
}

describe('retries', () => {
  it('retries a GET that got a 503 and resolves with the answer of the second attempt', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 503, latencyMs: 50 });
    const http = clients.make(toyOptions(sandbox.url));
    const trace = new UpstreamTrace();
    const [res] = await Promise.all([http.request({ method: 'GET', path: '/items' }, { trace }), clearFaultsAfter(1)]);
    expect(res.status).toBe(200);
    expect(sandbox.stats.snapshot().requests).toEqual({ 'GET /items': 2 });
    expect(trace.calls).toBe(2);
  });

  it('gives up after retries.max retries of a 503 with VENDOR_UNAVAILABLE', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 503 });
    const http = clients.make(toyOptions(sandbox.url, { retries: { max: 3, baseDelayMs: 5, maxDelayMs: 20 } }));
    const error = await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(error.extensions).toEqual({ code: 'VENDOR_UNAVAILABLE', vendor: 'hapihub', upstreamStatus: 503 });
    expect(error.message).toBe('hapihub: GET /items: the vendor answered 503 (after 4 attempts)');
    expect(sandbox.stats.snapshot().total).toBe(4);
  });

  it('waits at least Retry-After before retrying a 429', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 429, retryAfter: 1, latencyMs: 50 });
    const http = clients.make(toyOptions(sandbox.url));
    const [res] = await Promise.all([http.request({ method: 'GET', path: '/items' }), clearFaultsAfter(1)]);
    expect(res.status).toBe(200);
    const log = seen(sandbox);
    expect(log).toHaveLength(2);
    const [first, second] = log;
    // The 429 left the sandbox 50 ms after the first request arrived; Retry-After counts from then.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000 + 50);
  });

  it('rejects a 429 with VENDOR_RATE_LIMITED and retryAfterMs when Retry-After lies beyond the deadline', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 429, retryAfter: 5 });
    const http = clients.make(toyOptions(sandbox.url));
    const started = Date.now();
    const error = await rejection(http.request({ method: 'GET', path: '/items' }, { deadline: started + 1_000 }));
    expect(error.extensions).toEqual({ code: 'VENDOR_RATE_LIMITED', vendor: 'hapihub', upstreamStatus: 429, retryAfterMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(sandbox.stats.snapshot().total).toBe(1);
  });

  it('rejects a 429 that persists past the retries with VENDOR_RATE_LIMITED', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 429 });
    const http = clients.make(toyOptions(sandbox.url));
    const error = await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(error.extensions).toEqual({ code: 'VENDOR_RATE_LIMITED', vendor: 'hapihub', upstreamStatus: 429 });
    expect(sandbox.stats.snapshot().total).toBe(3);
  });

  it('never retries a POST that got a 503', async () => {
    sandbox.faults.add({ match: 'POST /items', status: 503 });
    const http = clients.make(toyOptions(sandbox.url));
    const error = await rejection(http.request({ method: 'POST', path: '/items', body: { name: 'x' } }));
    // A 5xx does not say whether the write was applied before the vendor failed.
    expect(error.extensions).toEqual({ code: 'VENDOR_UNAVAILABLE', vendor: 'hapihub', upstreamStatus: 503, written: 'unknown' });
    expect(error.message).toBe('hapihub: POST /items: the vendor answered 503');
    expect(sandbox.stats.snapshot().requests).toEqual({ 'POST /items': 1 });
  });

  it('retries a POST the caller declares idempotent', async () => {
    sandbox.faults.add({ match: 'POST /items', status: 503 });
    const http = clients.make(toyOptions(sandbox.url));
    await rejection(http.request({ method: 'POST', path: '/items', body: { name: 'x' }, idempotent: true }));
    expect(sandbox.stats.snapshot().requests).toEqual({ 'POST /items': 3 });
  });

  it('never retries a GET the caller declares non-idempotent', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 500 });
    const http = clients.make(toyOptions(sandbox.url));
    await rejection(http.request({ method: 'GET', path: '/items', idempotent: false }));
    expect(sandbox.stats.snapshot().total).toBe(1);
  });
});
