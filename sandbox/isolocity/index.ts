import type { FastifyInstance } from 'fastify';
import { bearerToken, startVendorSandbox, type SandboxHandle, type SandboxOptions, type VendorSandboxSpec } from '../core/server.js';
import { isolocityErrors } from './errors.js';
import { directoryRoutes } from './routes/directory.js';
import { inspectionRoutes } from './routes/inspections.js';
import { inventoryRoutes } from './routes/inventory.js';
import { ncrRoutes } from './routes/ncrs.js';
import { orderRoutes } from './routes/orders.js';
import { partRoutes } from './routes/parts.js';
import { statusRoutes } from './routes/status.js';
import { createIsolocityStore, type IsolocityStore } from './store.js';
import { genericFallback } from '../generic/handler.js';

/**
 * Every ISOlocity route lives under this prefix. The document dropped the paths; "2" is the major
 * version its system status reports (`"version": "2.0.0"`). See docs/vendors/isolocity.md.
 */
export const ISOLOCITY_PREFIX = '/api/v2';

/**
 * Laravel reads an empty body as "no input"; Fastify would refuse it when the client still sends
 * `Content-Type: application/json` (common on DELETE and on "add a sample", which has no body).
 * Invalid JSON stays a 400, answered by the framework in ISOlocity's shape.
 */
function acceptEmptyJsonBodies(api: FastifyInstance): void {
  api.removeContentTypeParser('application/json');
  api.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('Request body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
}

export const isolocitySpec: VendorSandboxSpec<IsolocityStore> = {
  vendor: 'isolocity',
  defaultPort: 4101,
  defaultCredentials: { token: 'dev-isolocity-token' },
  errors: isolocityErrors,
  createStore: (world) => createIsolocityStore(world),
  // "Authentication: bearerAuth" applies to every operation, the system status included.
  authorize: (request, _store, credentials) => (bearerToken(request.headers) === credentials.token ? null : isolocityErrors.unauthorized()),
  // Every described operation these routes do not serve (docs/vendors/isolocity.openapi.yaml).
  fallback: () => genericFallback('isolocity', ISOLOCITY_PREFIX),
  routes(app, store) {
    void app.register(
      async (api: FastifyInstance) => {
        acceptEmptyJsonBodies(api);
        statusRoutes(api);
        partRoutes(api, store);
        inspectionRoutes(api, store);
        ncrRoutes(api, store);
        inventoryRoutes(api, store);
        orderRoutes(api, store);
        directoryRoutes(api, store);
      },
      { prefix: ISOLOCITY_PREFIX },
    );
  },
};

export function startIsolocitySandbox(options: SandboxOptions = {}): Promise<SandboxHandle<IsolocityStore>> {
  return startVendorSandbox(isolocitySpec, options);
}

export type { IsolocityStore } from './store.js';
