import { startVendorSandbox, type SandboxHandle, type SandboxOptions, type VendorSandboxSpec } from '../core/server.js';
import { PUBLIC_ROUTES, authorizeDistru } from './auth.js';
import { distruErrors } from './errors.js';
import { projectWorld } from './project.js';
import { DistruRenderer } from './render.js';
import { catalogRoutes } from './routes/catalog.js';
import { inventoryRoutes } from './routes/inventory.js';
import { invoiceRoutes } from './routes/invoices.js';
import { orderRoutes } from './routes/orders.js';
import { purchaseRoutes } from './routes/purchases.js';
import { sessionRoutes } from './routes/sessions.js';
import type { DistruStore } from './store.js';
import { genericFallback } from '../generic/handler.js';

export type { DistruStore } from './store.js';
export { distruId } from './ids.js';

/** The Distru sandbox (seed 002): `/public/v1` with API tokens, sessions under `/api/v1/sessions`. */
export const distruSpec: VendorSandboxSpec<DistruStore> = {
  vendor: 'distru',
  defaultPort: 4103,
  defaultCredentials: { token: 'dev-distru-token', email: 'dev@distru.example', password: 'dev-distru-password' },
  errors: distruErrors,
  createStore: (world, credentials) => projectWorld(world, credentials),
  authorize: (request, store) => authorizeDistru(request, store),
  publicRoutes: PUBLIC_ROUTES,
  // Every described operation these routes do not serve (docs/vendors/distru.openapi.yaml).
  fallback: () => genericFallback('distru', ''),
  // Seed README, "What else is known": at most 2 calls per second, and pages may be smaller than
  // asked for (a client "must keep reading until there is no next page"); 25 is the smallest page
  // the issue measured against Distru-like servers.
  strict: { rate: { maxCalls: 2, windowMs: 1_000, retryAfterSeconds: 1 }, maxPageSize: 25 },
  routes(app, store, _credentials, mode) {
    if (mode.strict?.maxPageSize !== undefined) store.maxPageSize = mode.strict.maxPageSize;
    const render = new DistruRenderer(store);
    // HTTP `Date` on the sandbox's clock (the one that stamps `updated_datetime`): the sync bounds
    // its next mark by it (src/sync/relation.ts, nextMark).
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('date', new Date(store.clockNow()).toUTCString());
      return payload;
    });
    sessionRoutes(app, store);
    catalogRoutes(app, store, render);
    inventoryRoutes(app, store, render);
    orderRoutes(app, store, render);
    invoiceRoutes(app, store, render);
    purchaseRoutes(app, store, render);
  },
};

export function startDistruSandbox(options: SandboxOptions = {}): Promise<SandboxHandle<DistruStore>> {
  return startVendorSandbox(distruSpec, options);
}
