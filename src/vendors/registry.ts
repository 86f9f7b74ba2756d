import type { VendorConnection } from '../config.js';
import type { VendorRequest } from '../http/types.js';
import type { Vendor } from '../model/records.js';
import type { VendorRuntime, VendorRuntimeOptions, VendorSettings } from './types.js';
import * as isolocity from './isolocity/index.js';
import * as pharus from './pharus/index.js';
import * as distru from './distru/index.js';
import * as hapihub from './hapihub/index.js';

/** How the gateway builds each vendor: its runtime, its auth headers, and where its sandbox serves it. */
export interface VendorModule {
  createRuntime(options: VendorRuntimeOptions): VendorRuntime;
  authHeaders(connection: VendorConnection): () => Record<string, string> | Promise<Record<string, string>>;
  /** Appended to a sandbox's origin to give the base URL a user would configure. */
  sandboxBasePath: string;
  /** The client's endpoint table as route patterns (`GET /orders/:id`), with the settings in use (ISOLOCITY_PATHS_FILE). */
  routes(settings: VendorSettings): readonly string[];
  /** The cheap authenticated read that checks reachability and credentials at start. */
  probe(settings: VendorSettings): VendorRequest;
}

export const vendorModules: Record<Vendor, VendorModule> = {
  ISOLOCITY: { createRuntime: isolocity.createIsolocityRuntime, authHeaders: isolocity.isolocityAuthHeaders, sandboxBasePath: isolocity.SANDBOX_BASE_PATH, routes: isolocity.isolocityRoutes, probe: isolocity.isolocityProbe },
  PHARUS: { createRuntime: pharus.createPharusRuntime, authHeaders: pharus.pharusAuthHeaders, sandboxBasePath: pharus.SANDBOX_BASE_PATH, routes: () => pharus.ROUTES, probe: () => pharus.PROBE },
  DISTRU: { createRuntime: distru.createDistruRuntime, authHeaders: distru.distruAuthHeaders, sandboxBasePath: distru.SANDBOX_BASE_PATH, routes: () => distru.ROUTES, probe: () => distru.PROBE },
  HAPIHUB: { createRuntime: hapihub.createHapihubRuntime, authHeaders: hapihub.hapihubAuthHeaders, sandboxBasePath: hapihub.SANDBOX_BASE_PATH, routes: () => hapihub.ROUTES, probe: () => hapihub.PROBE },
};
