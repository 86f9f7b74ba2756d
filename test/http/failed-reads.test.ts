import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { UpstreamTrace, type CallScope } from '../../src/http/index.js';
import { Clients, rejection, startToy, toyOptions } from './toy-vendor.js';

// A read that failed for good (retries spent) in one GraphQL request is not sent again in that
// request: the second lookup fails at once with the same error. Another request asks afresh.

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

describe('failed reads within one request', () => {
  it('fails a repeated read at once with the first error, sending nothing more', async () => {
    sandbox.faults.add({ match: '*', status: 503 });
    const http = clients.make(toyOptions(sandbox.url, { retries: { max: 1, baseDelayMs: 1, maxDelayMs: 1 } }));
    const scope: CallScope = { trace: new UpstreamTrace() };
    const first = await rejection(http.request({ method: 'GET', path: '/items' }, scope));
    expect(first.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', upstreamStatus: 503 });
    expect(sandbox.stats.snapshot().total).toBe(2);

    sandbox.faults.clear();
    const again = await rejection(http.request({ method: 'GET', path: '/items' }, scope));
    expect(again).toBe(first);
    expect(sandbox.stats.snapshot().total).toBe(2);
    expect(scope.trace?.calls).toBe(2);

    // A different read in the same request, and the same read in another request, are sent.
    expect((await http.request({ method: 'GET', path: '/items/1' }, scope)).status).toBe(200);
    expect((await http.request({ method: 'GET', path: '/items' }, { trace: new UpstreamTrace() })).status).toBe(200);
    expect(sandbox.stats.snapshot().total).toBe(4);
  });

  it('never applies to writes: a failed POST is the caller’s to retry', async () => {
    sandbox.faults.add({ match: '*', status: 503 });
    const http = clients.make(toyOptions(sandbox.url));
    const scope: CallScope = {};
    await rejection(http.request({ method: 'POST', path: '/items', body: { a: 1 } }, scope));
    sandbox.faults.clear();
    expect((await http.request({ method: 'POST', path: '/items', body: { a: 1 } }, scope)).status).toBe(200);
    expect(sandbox.stats.snapshot().total).toBe(2);
  });
});
