import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearerToken, startVendorSandbox, type SandboxHandle, type VendorSandboxSpec } from '../../sandbox/core/server.js';
import type { LoggedRequest } from '../../sandbox/core/stats.js';
import { generateWorld } from '../../sandbox/world/index.js';
import { VendorHttp, type VendorHttpOptions } from '../../src/http/index.js';

/** The secret the toy vendor accepts: tests assert it never leaks. */
export const TOY_TOKEN = 'sk-live-TOY-SECRET-7f3a9c';

interface ToyStore {
  items: Array<{ id: string; name: string; tags: string[] }>;
}

/** A minimal vendor, so the HTTP layer is tested apart from any real vendor's rules. */
export const toySpec: VendorSandboxSpec<ToyStore> = {
  vendor: 'hapihub',
  defaultPort: 0,
  defaultCredentials: { token: TOY_TOKEN },
  errors: {
    unauthorized: () => ({ status: 401, body: { kind: 'unauthorized' } }),
    routeNotFound: (method, path) => ({ status: 404, body: { kind: 'not-found', method, path } }),
    badRequest: (message) => ({ status: 400, body: { kind: 'bad-request', message } }),
    injected: (status) => ({ status, body: { kind: 'injected', status } }),
    internal: () => ({ status: 500, body: { kind: 'internal' } }),
  },
  createStore: () => ({ items: [{ id: '1', name: 'widget', tags: ['a'] }] }),
  authorize: (request, _store, credentials) => (bearerToken(request.headers) === credentials.token ? null : toySpec.errors.unauthorized()),
  routes(app, store) {
    app.get('/items', async () => ({ data: store.items }));
    app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    app.post('/items', async (request) => ({ got: request.body }));
    app.get('/echo', async (request) => ({ url: request.url, query: request.query }));
    // For a base URL that carries a path prefix, as Pharus's `/api` does.
    app.get('/api/echo', async (request) => ({ url: request.url }));
    app.get('/empty', async (_request, reply) => reply.code(204).send());
  },
};

export async function startToy(): Promise<SandboxHandle<ToyStore>> {
  return startVendorSandbox(toySpec, { port: 0, world: generateWorld({ scale: 0.2 }) });
}

/** Options for fast tests: small delays, no rate limit, no coalescing unless a test asks. */
export function toyOptions(baseUrl: string, overrides: Partial<VendorHttpOptions> = {}): VendorHttpOptions {
  return {
    vendor: 'hapihub',
    baseUrl,
    authHeaders: () => ({ authorization: `Bearer ${TOY_TOKEN}` }),
    timeoutMs: 2_000,
    retries: { max: 2, baseDelayMs: 10, maxDelayMs: 50 },
    breaker: { failureThreshold: 50, openMs: 200 },
    coalesce: false,
    ...overrides,
  };
}

/** Keeps track of the clients a test made so each is closed after it. */
export class Clients {
  private readonly made: VendorHttp[] = [];
  make(options: VendorHttpOptions): VendorHttp {
    const http = new VendorHttp(options);
    this.made.push(http);
    return http;
  }
  async closeAll(): Promise<void> {
    await Promise.all(this.made.splice(0).map((h) => h.close()));
  }
}

/** Vendor requests the sandbox saw (test hooks excluded), in arrival order. */
export function seen(sandbox: SandboxHandle<ToyStore>): readonly LoggedRequest[] {
  return sandbox.stats.requests();
}

/** Resolves once the sandbox has seen `count` requests (polls the in-process stats). */
export async function untilSeen(sandbox: SandboxHandle<ToyStore>, count: number, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (sandbox.stats.snapshot().total < count) {
    if (Date.now() > until) throw new Error(`sandbox saw ${sandbox.stats.snapshot().total} requests, expected ${count}`);
    await sleep(2);
  }
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** The rejection of a promise that must reject (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<{ message: string; extensions: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error && 'extensions' in error) return error as Error & { extensions: Record<string, unknown> };
    throw error;
  }
  throw new Error('expected the call to reject');
}
