import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVendorSandbox, bearerToken, type SandboxHandle, type VendorSandboxSpec } from '../../sandbox/core/server.js';
import { generateWorld } from '../../sandbox/world/index.js';

// A minimal vendor, so the framework's hooks are tested apart from any one vendor's rules.
const toySpec: VendorSandboxSpec<{ items: string[] }> = {
  vendor: 'hapihub',
  defaultPort: 0,
  defaultCredentials: { token: 'toy-token' },
  errors: {
    unauthorized: () => ({ status: 401, body: { kind: 'unauthorized' } }),
    routeNotFound: (method, path) => ({ status: 404, body: { kind: 'not-found', method, path } }),
    badRequest: (message) => ({ status: 400, body: { kind: 'bad-request', message } }),
    injected: (status) => ({ status, body: { kind: 'injected', status } }),
    internal: () => ({ status: 500, body: { kind: 'internal' } }),
  },
  createStore: () => ({ items: ['a', 'b'] }),
  authorize: (request, _store, credentials) => (bearerToken(request.headers) === credentials.token ? null : toySpec.errors.unauthorized()),
  routes(app, store) {
    app.get('/items', async () => store.items);
    app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    app.post('/items', async (request) => ({ got: request.body }));
    app.get('/boom', async () => {
      throw new Error('secret internals');
    });
  },
};

let sandbox: SandboxHandle<{ items: string[] }>;
const auth = { authorization: 'Bearer toy-token' };

beforeAll(async () => {
  sandbox = await startVendorSandbox(toySpec, { port: 0, world: generateWorld({ scale: 0.2 }) });
});
afterAll(() => sandbox.close());

const get = (path: string, headers: Record<string, string> = auth) => fetch(sandbox.url + path, { headers });

describe('sandbox framework', () => {
  it('counts requests by method and route pattern, and resets the counts', async () => {
    await fetch(sandbox.url + '/__sandbox/stats', { method: 'DELETE' });
    await get('/items');
    await get('/items/1');
    await get('/items/2');
    const stats = await (await fetch(sandbox.url + '/__sandbox/stats')).json();
    expect(stats).toEqual({ total: 3, requests: { 'GET /items': 1, 'GET /items/:id': 2 } });
    await fetch(sandbox.url + '/__sandbox/stats', { method: 'DELETE' });
    expect(await (await fetch(sandbox.url + '/__sandbox/stats')).json()).toEqual({ total: 0, requests: {} });
  });

  it('rejects a missing or wrong token in the vendor shape', async () => {
    const missing = await get('/items', {});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ kind: 'unauthorized' });
    expect((await get('/items', { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('answers unknown routes, bad JSON and handler crashes in the vendor shape without internals', async () => {
    const unknown = await get('/nowhere');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ kind: 'not-found', method: 'GET', path: '/nowhere' });
    const badJson = await fetch(sandbox.url + '/items', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"a":' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).kind).toBe('bad-request');
    const boom = await get('/boom');
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain('secret internals');
    expect(JSON.parse(text)).toEqual({ kind: 'internal' });
  });

  it('injects a status with Retry-After on matching requests only, until cleared', async () => {
    const add = await fetch(sandbox.url + '/__sandbox/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ match: 'GET /items/', status: 429, retryAfter: 3 }) });
    expect(add.status).toBe(201);
    const hit = await get('/items/7');
    expect(hit.status).toBe(429);
    expect(hit.headers.get('retry-after')).toBe('3');
    expect((await get('/items')).status).toBe(200);
    await fetch(sandbox.url + '/__sandbox/faults', { method: 'DELETE' });
    expect((await get('/items/7')).status).toBe(200);
  });

  it('injects a malformed body, latency and a hang', async () => {
    sandbox.faults.add({ match: 'GET /items', malformed: true });
    const malformed = await get('/items');
    await expect(malformed.json()).rejects.toThrow();
    sandbox.faults.clear();

    sandbox.faults.add({ match: '*', latencyMs: 150 });
    const started = Date.now();
    await get('/items');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    sandbox.faults.clear();

    sandbox.faults.add({ match: 'GET /items', hang: true });
    await expect(fetch(sandbox.url + '/items', { headers: auth, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    sandbox.faults.clear();
  }, 10_000);

  it('applies a fault to the given share of requests', async () => {
    sandbox.faults.add({ match: '*', status: 503, rate: 0 });
    expect((await get('/items')).status).toBe(200);
    sandbox.faults.clear();
    sandbox.faults.add({ match: '*', status: 503, rate: 1 });
    expect((await get('/items')).status).toBe(503);
    sandbox.faults.clear();
  });

  it('refuses an invalid fault in the vendor shape', async () => {
    const r = await fetch(sandbox.url + '/__sandbox/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ match: 'FETCH /x', status: 418 }) });
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.kind).toBe('bad-request');
    expect(body.message).toMatch(/match/);
    expect(body.message).toMatch(/status/);
  });
});
