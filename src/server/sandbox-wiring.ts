import type { VendorConnection } from '../config.js';
import type { Vendor } from '../model/records.js';
import { vendorModules } from '../vendors/registry.js';
import type { Sandboxes } from '../../sandbox/index.js';

/** The vendor connections a user would configure for these sandboxes (base URL, token, org). */
export function sandboxConnections(sandboxes: Sandboxes): Partial<Record<Vendor, VendorConnection>> {
  const vendors: Partial<Record<Vendor, VendorConnection>> = {};
  for (const [name, handle] of Object.entries(sandboxes.handles)) {
    const vendor = name.toUpperCase() as Vendor;
    vendors[vendor] = {
      baseUrl: handle.url + vendorModules[vendor].sandboxBasePath,
      token: handle.credentials.token,
      ...(handle.credentials.orgId ? { orgId: handle.credentials.orgId } : {}),
    };
  }
  return vendors;
}
