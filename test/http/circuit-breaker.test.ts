import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { UpstreamTrace } from '../../src/http/index.js';
import { Clients, rejection, startToy, toyOptions } from './toy-vendor.js';
import { SkippingClock } from '../support/skipping-clock.js';

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

// The open period passes on the breaker's own clock, skipped at once; real time never reaches it.
const OPEN_MS = 60_000;
let clock: SkippingClock;
beforeEach(() => {
  clock = new SkippingClock();
});
const breakerOptions = (url: string) => toyOptions(url, { retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 }, breaker: { failureThreshold: 3, openMs: OPEN_MS, now: clock.now } });

describe('circuit breaker', () => {
  it('opens after 3 consecutive 5xx, fails fast without HTTP, then a successful probe closes it', async () => {
    sandbox.faults.add({ match: '*', status: 503 });
    const http = clients.make(breakerOptions(sandbox.url));
    for (let i = 0; i < 3; i++) await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(http.health().breaker).toBe('open');
    expect(sandbox.stats.snapshot().total).toBe(3);

    const trace = new UpstreamTrace();
    const started = Date.now();
    const fast = await rejection(http.request({ method: 'GET', path: '/items' }, { trace }));
    expect(Date.now() - started).toBeLessThan(100);
    expect(fast.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'hapihub', breaker: 'open' });
    expect(fast.message).toBe('hapihub: GET /items: failing fast, the circuit breaker is open after repeated failures');
    expect(sandbox.stats.snapshot().total).toBe(3);
    expect(trace.calls).toBe(0);

    clock.skip(OPEN_MS);
    expect(http.health().breaker).toBe('half-open');
    sandbox.faults.clear();
    expect((await http.request({ method: 'GET', path: '/items' })).status).toBe(200);
    expect(http.health().breaker).toBe('closed');
    expect(sandbox.stats.snapshot().total).toBe(4);
  });

  it('opens again for another openMs when the half-open probe fails', async () => {
    sandbox.faults.add({ match: '*', status: 500 });
    const http = clients.make(breakerOptions(sandbox.url));
    for (let i = 0; i < 3; i++) await rejection(http.request({ method: 'GET', path: '/items' }));
    clock.skip(OPEN_MS);
    await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(sandbox.stats.snapshot().total).toBe(4);
    expect(http.health().breaker).toBe('open');
    await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(sandbox.stats.snapshot().total).toBe(4);
  });

  it('lets only one probe through while half-open', async () => {
    sandbox.faults.add({ match: '*', status: 500 });
    const http = clients.make(breakerOptions(sandbox.url));
    for (let i = 0; i < 3; i++) await rejection(http.request({ method: 'GET', path: '/items' }));
    clock.skip(OPEN_MS);
    sandbox.faults.clear();
    sandbox.faults.add({ match: '*', latencyMs: 50 });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => http.request({ method: 'GET', path: `/items/${i}` })));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(sandbox.stats.snapshot().total).toBe(4);
    expect(http.health().breaker).toBe('closed');
  });

  it('does not count 4xx answers as failures', async () => {
    const http = clients.make(breakerOptions(sandbox.url));
    for (let i = 0; i < 5; i++) expect((await http.request({ method: 'GET', path: '/nowhere' })).status).toBe(404);
    expect(http.health()).toEqual({
      vendor: 'hapihub',
      breaker: 'closed',
      writeBreaker: 'closed',
      recentCalls: 5,
      recentErrorRate: 0,
      recentTimeouts: 0,
      hanging: false,
      timeoutMs: 2_000,
      recentStatuses: { 401: 0, 403: 0, 404: 5 },
    });
  });

  it('counts a run of per-call timeouts as failures', async () => {
    sandbox.faults.add({ match: '*', hang: true });
    const http = clients.make({ ...breakerOptions(sandbox.url), timeoutMs: 30 });
    for (let i = 0; i < 3; i++) expect((await rejection(http.request({ method: 'GET', path: '/items' }))).extensions.code).toBe('VENDOR_TIMEOUT');
    expect(http.health()).toMatchObject({ breaker: 'open', recentTimeouts: 3, hanging: true, timeoutMs: 30 });
  });
});

describe('hung vendor', () => {
  it('counts an attempt whose caller left at the request deadline as a failure once it hangs past its own timeout, then fails fast', async () => {
    sandbox.faults.add({ match: '*', hang: true });
    const http = clients.make({ ...breakerOptions(sandbox.url), timeoutMs: 120 });
    for (let i = 0; i < 3; i++) {
      // The request's deadline is shorter than the per-call timeout: the caller leaves first.
      const error = await rejection(http.request({ method: 'GET', path: '/items' }, { deadline: Date.now() + 30 }));
      expect(error.extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'hapihub' });
    }
    // Each attempt goes on until its own 120 ms timeout, and only that says the vendor hangs.
    await vi.waitFor(() => expect(http.health()).toMatchObject({ breaker: 'open', recentTimeouts: 3, hanging: true }), { timeout: 2_000, interval: 20 });
    const fast = await rejection(http.request({ method: 'GET', path: '/items' }, { deadline: Date.now() + 30 }));
    expect(fast.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', breaker: 'open' });
    expect(sandbox.stats.snapshot().total).toBe(3);
  });

  it('counts a hang as a failure even when the client went away before the timeout', async () => {
    sandbox.faults.add({ match: '*', hang: true });
    const http = clients.make({ ...breakerOptions(sandbox.url), timeoutMs: 100, breaker: { failureThreshold: 1, openMs: 10_000 } });
    const controller = new AbortController();
    const pending = rejection(http.request({ method: 'GET', path: '/items' }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 10);
    expect((await pending).extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'hapihub', cancelled: true });
    await vi.waitFor(() => expect(http.health().breaker).toBe('open'), { timeout: 2_000, interval: 20 });
  });

  it('stops attempts still running for callers that left when it is closed', async () => {
    sandbox.faults.add({ match: '*', hang: true });
    const http = clients.make({ ...breakerOptions(sandbox.url), timeoutMs: 60_000 });
    await rejection(http.request({ method: 'GET', path: '/items' }, { deadline: Date.now() + 20 }));
    // pool.close() would wait a minute for the hung attempt if close() did not abort it.
    await http.close();
    expect(http.health().breaker).toBe('closed');
  });
});

describe('health', () => {
  it('reports the recent error rate and the last error', async () => {
    const http = clients.make(breakerOptions(sandbox.url));
    await http.request({ method: 'GET', path: '/items' });
    sandbox.faults.add({ match: '*', status: 503 });
    await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(http.health()).toEqual({
      vendor: 'hapihub',
      breaker: 'closed',
      writeBreaker: 'closed',
      recentCalls: 2,
      recentErrorRate: 0.5,
      recentTimeouts: 0,
      hanging: false,
      timeoutMs: 2_000,
      recentStatuses: { 401: 0, 403: 0, 404: 0 },
      lastError: 'hapihub: GET /items: the vendor answered 503',
    });
  });
});
