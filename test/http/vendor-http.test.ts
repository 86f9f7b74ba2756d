import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { UpstreamTrace } from '../../src/http/index.js';
import { Clients, closedPort, rejection, startToy, toyOptions, TOY_TOKEN } from './toy-vendor.js';

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

describe('answers', () => {
  it('resolves a 2xx with its parsed JSON body, status and headers', async () => {
    const http = clients.make(toyOptions(sandbox.url));
    const res = await http.request({ method: 'GET', path: '/items' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [{ id: '1', name: 'widget', tags: ['a'] }] });
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });

  it('resolves an empty body as null', async () => {
    const http = clients.make(toyOptions(sandbox.url));
    expect(await http.request({ method: 'GET', path: '/empty' })).toMatchObject({ status: 204, body: null });
  });

  it('resolves a 404 for the data source to map, without retrying it', async () => {
    const http = clients.make(toyOptions(sandbox.url));
    const res = await http.request({ method: 'GET', path: '/nowhere' });
    expect(res).toMatchObject({ status: 404, body: { kind: 'not-found', path: '/nowhere' } });
    expect(sandbox.stats.snapshot().total).toBe(1);
  });

  it('sends repeated query keys in order, keeping brackets and dollars literal in keys', async () => {
    const http = clients.make(toyOptions(sandbox.url));
    const res = await http.request({
      method: 'GET',
      path: '/echo',
      query: [
        ['product_ids[]', 'a b'],
        ['product_ids[]', 'c&d'],
        ['$limit', '5'],
      ],
    });
    expect(res.body).toEqual({ url: '/echo?product_ids[]=a%20b&product_ids[]=c%26d&$limit=5', query: { 'product_ids[]': ['a b', 'c&d'], $limit: '5' } });
  });

  it('prefixes every path with the base URL path', async () => {
    const http = clients.make(toyOptions(`${sandbox.url}/api/`));
    const res = await http.request({ method: 'GET', path: '/echo', query: [['x', '1']] });
    expect(res.body).toEqual({ url: '/api/echo?x=1' });
  });

  it('JSON-encodes a body', async () => {
    const http = clients.make(toyOptions(sandbox.url));
    const res = await http.request({ method: 'POST', path: '/items', body: { name: 'gadget', qty: '10.000000000' } });
    expect(res.body).toEqual({ got: { name: 'gadget', qty: '10.000000000' } });
  });

  it('accepts async auth headers', async () => {
    const http = clients.make(toyOptions(sandbox.url, { authHeaders: async () => ({ Authorization: `Bearer ${TOY_TOKEN}` }) }));
    expect((await http.request({ method: 'GET', path: '/items' })).status).toBe(200);
  });

  it('refuses a path without a leading slash or with a query in it', async () => {
    const http = clients.make(toyOptions(sandbox.url));
    await expect(http.request({ method: 'GET', path: 'items' })).rejects.toThrow(/must start with '\/'/);
    await expect(http.request({ method: 'GET', path: '/items?x=1' })).rejects.toThrow(/use query/);
    expect(sandbox.stats.snapshot().total).toBe(0);
  });
});

describe('vendor errors', () => {
  it('rejects a 2xx body that is not JSON with VENDOR_BAD_RESPONSE, without retrying', async () => {
    sandbox.faults.add({ match: 'GET /items', malformed: true });
    const http = clients.make(toyOptions(sandbox.url));
    const error = await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(error.extensions).toMatchObject({ code: 'VENDOR_BAD_RESPONSE', vendor: 'hapihub', upstreamStatus: 200 });
    expect(error.message).toBe('hapihub: GET /items: the 200 answer is not valid JSON');
    expect(sandbox.stats.snapshot().total).toBe(1);
  });

  it('rejects a refused connection with VENDOR_UNAVAILABLE after its retries', async () => {
    const port = await closedPort();
    const http = clients.make(toyOptions(`http://127.0.0.1:${port}`));
    const trace = new UpstreamTrace();
    const error = await rejection(http.request({ method: 'GET', path: '/items' }, { trace }));
    expect(error.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'hapihub' });
    expect(error.message).toBe('hapihub: GET /items: request failed (ECONNREFUSED) (after 3 attempts)');
    expect(trace.calls).toBe(3);
  });

  it('rejects a 401 with VENDOR_AUTH_FAILED, without retrying', async () => {
    const http = clients.make(toyOptions(sandbox.url, { authHeaders: () => ({ authorization: 'Bearer wrong' }) }));
    const error = await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(error.extensions).toMatchObject({ code: 'VENDOR_AUTH_FAILED', vendor: 'hapihub', upstreamStatus: 401 });
    expect(sandbox.stats.snapshot().total).toBe(1);
  });

  it('rejects with VENDOR_AUTH_FAILED when the credentials cannot be obtained, without quoting why', async () => {
    const http = clients.make(
      toyOptions(sandbox.url, {
        authHeaders: () => {
          throw new Error(`login failed for password ${TOY_TOKEN}`);
        },
      }),
    );
    const error = await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(error.extensions).toMatchObject({ code: 'VENDOR_AUTH_FAILED', vendor: 'hapihub' });
    expect(JSON.stringify(error)).not.toContain(TOY_TOKEN);
    expect(sandbox.stats.snapshot().total).toBe(0);
  });

  it('does not put the upstream status where Yoga would turn it into the HTTP status of the whole response', async () => {
    sandbox.faults.add({ match: '*', status: 503 });
    const http = clients.make(toyOptions(sandbox.url, { retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 } }));
    const error = await rejection(http.request({ method: 'GET', path: '/items' }));
    expect(error.extensions).toEqual({ code: 'VENDOR_UNAVAILABLE', vendor: 'hapihub', upstreamStatus: 503 });
  });
});

describe('timeouts', () => {
  it('rejects a hung call with VENDOR_TIMEOUT at the per-call timeout, without retrying, and frees the socket', async () => {
    sandbox.faults.add({ match: 'GET /items', hang: true });
    // One socket: if the hung one were kept, the next call could not go out.
    const http = clients.make(toyOptions(sandbox.url, { timeoutMs: 200, connections: 1 }));
    const started = Date.now();
    const error = await rejection(http.request({ method: 'GET', path: '/items' }));
    const elapsed = Date.now() - started;
    expect(error.extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'hapihub', timeoutMs: 200 });
    expect(error.message).toBe('hapihub: GET /items: no answer within 200 ms');
    expect(elapsed).toBeGreaterThanOrEqual(195);
    expect(elapsed).toBeLessThan(1_000);
    expect(sandbox.stats.snapshot().total).toBe(1);

    sandbox.faults.clear();
    expect((await http.request({ method: 'GET', path: '/items' }, { deadline: Date.now() + 1_000 })).status).toBe(200);
  });

  it('rejects with VENDOR_TIMEOUT when the scope deadline passes before the per-call timeout', async () => {
    sandbox.faults.add({ match: 'GET /items', latencyMs: 1_000 });
    const http = clients.make(toyOptions(sandbox.url, { timeoutMs: 5_000 }));
    const started = Date.now();
    const error = await rejection(http.request({ method: 'GET', path: '/items' }, { deadline: started + 150 }));
    const elapsed = Date.now() - started;
    expect(error.extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'hapihub' });
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(800);
    expect(sandbox.stats.snapshot().total).toBe(1);
  });

  it('rejects with VENDOR_TIMEOUT and sends nothing when the deadline has already passed', async () => {
    const http = clients.make(toyOptions(sandbox.url));
    const trace = new UpstreamTrace();
    const error = await rejection(http.request({ method: 'GET', path: '/items' }, { trace, deadline: Date.now() - 1 }));
    expect(error.extensions).toMatchObject({ code: 'VENDOR_TIMEOUT' });
    expect(sandbox.stats.snapshot().total).toBe(0);
    expect(trace.calls).toBe(0);
  });

  it('stops at once when the caller cancels', async () => {
    sandbox.faults.add({ match: 'GET /items', hang: true });
    const http = clients.make(toyOptions(sandbox.url));
    const controller = new AbortController();
    const pending = rejection(http.request({ method: 'GET', path: '/items' }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await pending;
    expect(error.extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'hapihub', cancelled: true });
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('trace', () => {
  it('counts every attempt sent, retries included, with their summed time', async () => {
    sandbox.faults.add({ match: 'GET /items', status: 503, latencyMs: 20 });
    const http = clients.make(toyOptions(sandbox.url));
    const trace = new UpstreamTrace();
    await rejection(http.request({ method: 'GET', path: '/items' }, { trace }));
    await http.request({ method: 'GET', path: '/echo' }, { trace });
    expect(sandbox.stats.snapshot().total).toBe(4);
    const json = trace.toJSON();
    expect(json).toMatchObject({ calls: 4, byVendor: { isolocity: 0, pharus: 0, distru: 0, hapihub: 4 } });
    expect(json.ms).toBeGreaterThanOrEqual(60);
  });
});

describe('credentials', () => {
  it('never puts the token in an error, whatever went wrong', async () => {
    const port = await closedPort();
    const cases: Array<() => Promise<unknown>> = [
      () => clients.make(toyOptions(sandbox.url, { authHeaders: () => ({ authorization: `Bearer ${TOY_TOKEN}-revoked` }) })).request({ method: 'GET', path: '/items', query: [['api_key', TOY_TOKEN]] }),
      () => clients.make(toyOptions(`http://127.0.0.1:${port}`)).request({ method: 'GET', path: '/items', query: [['api_key', TOY_TOKEN]] }),
      () => {
        sandbox.faults.add({ match: 'POST /items', status: 500 });
        return clients.make(toyOptions(sandbox.url)).request({ method: 'POST', path: '/items', body: { token: TOY_TOKEN }, headers: { 'x-api-key': TOY_TOKEN } });
      },
      () => {
        sandbox.faults.add({ match: 'GET /echo', hang: true });
        return clients.make(toyOptions(sandbox.url, { timeoutMs: 50 })).request({ method: 'GET', path: '/echo', query: [['token', TOY_TOKEN]] });
      },
    ];
    const codes: unknown[] = [];
    for (const run of cases) {
      const error = await rejection(run());
      codes.push(error.extensions.code);
      expect(error.message).not.toContain(TOY_TOKEN);
      expect(JSON.stringify(error)).not.toContain(TOY_TOKEN);
      expect(JSON.stringify(error)).not.toContain('api_key');
    }
    expect(codes).toEqual(['VENDOR_AUTH_FAILED', 'VENDOR_UNAVAILABLE', 'VENDOR_UNAVAILABLE', 'VENDOR_TIMEOUT']);
  });

  it('never puts the token in health()', async () => {
    sandbox.faults.add({ match: '*', status: 503 });
    const http = clients.make(toyOptions(sandbox.url));
    await rejection(http.request({ method: 'GET', path: '/items', query: [['api_key', TOY_TOKEN]] }));
    const health = http.health();
    expect(health.lastError).toBe('hapihub: GET /items: the vendor answered 503');
    expect(JSON.stringify(health)).not.toContain(TOY_TOKEN);
  });
});
