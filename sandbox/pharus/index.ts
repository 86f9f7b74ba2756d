import { bearerToken, startVendorSandbox, type SandboxHandle, type SandboxOptions, type VendorSandboxSpec } from '../core/server.js';
import { pharusErrorReply, pharusErrorShapes } from './errors.js';
import { createPharusStore } from './project.js';
import { registerCustomerRoutes } from './routes/customers.js';
import { registerInventoryRoutes } from './routes/inventory.js';
import { registerLocationRoutes } from './routes/locations.js';
import { registerLookupRoutes } from './routes/lookups.js';
import { registerMaterialRoutes } from './routes/materials.js';
import { registerSalesOrderRoutes } from './routes/sales-orders.js';
import { registerSkuRoutes } from './routes/skus.js';
import type { PharusStore } from './store.js';
import { genericFallback } from '../generic/handler.js';

export type { PharusStore } from './store.js';
export { pharusId } from './project.js';

/**
 * The Pharus sandbox (document 001, Pharus API 1.0.0). Auth ("Conventions / Authentication"):
 * `Authorization: Bearer <token>` and `X-Org-Id: <org-id>` on every request. A missing or wrong
 * token is `401 unauthorized`; a good token with a missing or foreign organisation is
 * `403 forbidden` (the caller is known but is no member of that organisation). A personal access
 * token bound to the organisation (`credentials.pat`, `pharus_pat_…`) needs no X-Org-Id: the
 * header is ignored for it (https://docs.pharus.ai/internal/api/endpoints/platform/E005-create-api-token).
 */
export const pharusSpec: VendorSandboxSpec<PharusStore> = {
  vendor: 'pharus',
  defaultPort: 4102,
  defaultCredentials: { token: 'dev-pharus-token', orgId: 'dev-org', pat: 'pharus_pat_DevSandboxDevSandboxDevSandbox01' },
  errors: pharusErrorShapes,
  createStore: createPharusStore,
  authorize(request, _store, credentials) {
    const token = bearerToken(request.headers);
    if (credentials.pat !== undefined && token === credentials.pat) return null;
    if (token !== credentials.token) return pharusErrorShapes.unauthorized();
    const orgId = request.headers['x-org-id'];
    if (typeof orgId !== 'string' || orgId === '') return pharusErrorReply('forbidden', 'X-Org-Id header is required');
    if (orgId !== credentials.orgId) return pharusErrorReply('forbidden', 'Not a member of this organization');
    return null;
  },
  // Every described operation these routes do not serve (docs/vendors/pharus.openapi.yaml).
  fallback: () => genericFallback('pharus', '/api'),
  routes(app, store) {
    registerLocationRoutes(app, store);
    registerLookupRoutes(app, store);
    registerSkuRoutes(app, store);
    registerMaterialRoutes(app, store);
    registerCustomerRoutes(app, store);
    registerSalesOrderRoutes(app, store);
    registerInventoryRoutes(app, store);
  },
};

export function startPharusSandbox(options: SandboxOptions = {}): Promise<SandboxHandle<PharusStore>> {
  return startVendorSandbox(pharusSpec, options);
}
