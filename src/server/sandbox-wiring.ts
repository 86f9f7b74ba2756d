import type { VendorConnection } from '../config.js';
import type { Vendor } from '../model/records.js';
import { vendorModules } from '../vendors/registry.js';

/**
 * What the gateway needs to know of a running vendor sandbox. Stated here, structurally, so that
 * the product never imports the simulators (sandbox/ is development-only and absent from the
 * production image); `Sandboxes` from sandbox/index.ts satisfies it.
 */
export interface SandboxEndpoints {
  handles: Partial<Record<string, { url: string; credentials: { token: string; orgId?: string } }>>;
}

/** The vendor connections a user would configure for these sandboxes (base URL, token, org). */
export function sandboxConnections(sandboxes: SandboxEndpoints): Partial<Record<Vendor, VendorConnection>> {
  const vendors: Partial<Record<Vendor, VendorConnection>> = {};
  for (const [name, handle] of Object.entries(sandboxes.handles)) {
    if (!handle) continue;
    const vendor = name.toUpperCase() as Vendor;
    vendors[vendor] = {
      baseUrl: handle.url + vendorModules[vendor].sandboxBasePath,
      token: handle.credentials.token,
      ...(handle.credentials.orgId ? { orgId: handle.credentials.orgId } : {}),
    };
  }
  return vendors;
}
