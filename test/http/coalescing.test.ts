import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { UpstreamTrace, type VendorResponse } from '../../src/http/index.js';
import { Clients, rejection, startToy, toyOptions } from './toy-vendor.js';

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

describe('coalescing', () => {
  it('sends one request for 5 concurrent identical GETs and gives each caller its own body', async () => {
    sandbox.faults.add({ match: 'GET /items', latencyMs: 50 });
    const http = clients.make(toyOptions(sandbox.url, { coalesce: true }));
    const traces = Array.from({ length: 5 }, () => new UpstreamTrace());
    const results = await Promise.all(traces.map((trace) => http.request({ method: 'GET', path: '/items', query: [['a', '1']] }, { trace })));
    expect(sandbox.stats.snapshot().requests).toEqual({ 'GET /items': 1 });
    for (const r of results) expect(r.body).toEqual({ data: [{ id: '1', name: 'widget', tags: ['a'] }] });
    // Distinct objects all the way down: one caller's mutation is invisible to the others.
    const tagsOf = (r: VendorResponse | undefined): string[] => (r?.body as { data: Array<{ tags: string[] }> }).data[0]!.tags;
    tagsOf(results[0]).push('mutated');
    expect(results.slice(1).map(tagsOf)).toEqual([['a'], ['a'], ['a'], ['a']]);
    expect(new Set(results.map((r) => r.body)).size).toBe(5);
    // The attempt is recorded once, in the trace of the caller that sent it.
    expect(traces.map((t) => t.calls)).toEqual([1, 0, 0, 0, 0]);
  });

  it('does not coalesce GETs with different queries', async () => {
    const http = clients.make(toyOptions(sandbox.url, { coalesce: true }));
    await Promise.all([http.request({ method: 'GET', path: '/echo', query: [['a', '1']] }), http.request({ method: 'GET', path: '/echo', query: [['a', '2']] })]);
    expect(sandbox.stats.snapshot().total).toBe(2);
  });

  it('never coalesces POSTs', async () => {
    sandbox.faults.add({ match: 'POST /items', latencyMs: 30 });
    const http = clients.make(toyOptions(sandbox.url, { coalesce: true }));
    await Promise.all([1, 2, 3].map(() => http.request({ method: 'POST', path: '/items', body: { n: 1 } })));
    expect(sandbox.stats.snapshot().total).toBe(3);
  });

  it('sends again once the shared request has settled', async () => {
    const http = clients.make(toyOptions(sandbox.url, { coalesce: true }));
    await http.request({ method: 'GET', path: '/items' });
    await http.request({ method: 'GET', path: '/items' });
    expect(sandbox.stats.snapshot().total).toBe(2);
  });

  it('lets a joiner leave on its own deadline while the shared request goes on for the others', async () => {
    sandbox.faults.add({ match: 'GET /items', latencyMs: 300 });
    const http = clients.make(toyOptions(sandbox.url, { coalesce: true }));
    const leader = http.request({ method: 'GET', path: '/items' });
    const impatient = rejection(http.request({ method: 'GET', path: '/items' }, { deadline: Date.now() + 50 }));
    expect((await impatient).extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'hapihub' });
    expect((await leader).status).toBe(200);
    expect(sandbox.stats.snapshot().total).toBe(1);
  });

  it('shares a failure with every caller', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 500, latencyMs: 20 });
    const http = clients.make(toyOptions(sandbox.url, { coalesce: true, retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 } }));
    const errors = await Promise.all([1, 2, 3].map(() => rejection(http.request({ method: 'GET', path: '/items' }))));
    expect(errors.map((e) => e.extensions.code)).toEqual(['VENDOR_UNAVAILABLE', 'VENDOR_UNAVAILABLE', 'VENDOR_UNAVAILABLE']);
    expect(sandbox.stats.snapshot().total).toBe(1);
  });
});
