import type { Logger } from 'pino';
import { credentialSettings } from '../config.js';
import { errorCode } from '../errors.js';
import type { Vendor } from '../model/records.js';
import { vendorModules } from '../vendors/registry.js';
import type { GatewayRuntime } from './runtime.js';

export interface VendorCheck {
  vendor: Vendor;
  ok: boolean;
  /** What the operator should read: what happened and which setting to check. */
  message: string;
}

/** How long the start-up check waits for each vendor. */
const CHECK_DEADLINE_MS = 10_000;

/**
 * At start, one cheap authenticated read per configured vendor (its `probe`: one record of a list)
 * checks that the base URL reaches it and that it takes our credentials. A failure is logged as an
 * `error` naming the setting to check; it does not stop the gateway (a vendor may be down for a
 * while, and the rest still answers), and /readyz keeps reporting it from the same call.
 */
export async function checkVendors(runtime: GatewayRuntime, log: Logger): Promise<VendorCheck[]> {
  const entries = Object.entries(runtime.vendors) as [Vendor, NonNullable<GatewayRuntime['vendors'][Vendor]>][];
  return Promise.all(
    entries.map(async ([vendor, vendorRuntime]): Promise<VendorCheck> => {
      const probe = vendorModules[vendor].probe(runtime.config.vendorSettings);
      const route = `${probe.method} ${probe.path}`;
      let check: VendorCheck;
      try {
        const response = await vendorRuntime.http.request(probe, { deadline: Date.now() + CHECK_DEADLINE_MS });
        check = response.status >= 200 && response.status < 300 ? { vendor, ok: true, message: `${vendor.toLowerCase()} reachable, credentials accepted` } : { vendor, ok: false, message: answered(vendor, route, response.status) };
      } catch (error) {
        check = { vendor, ok: false, message: failed(vendor, route, error, credentialSettings(vendor, runtime.config.vendors[vendor])) };
      }
      if (check.ok) log.info({ vendor: vendor.toLowerCase(), check: route }, check.message);
      else log.error({ vendor: vendor.toLowerCase(), check: route }, check.message);
      return check;
    }),
  );
}

function answered(vendor: Vendor, route: string, status: number): string {
  if (status === 404) return `${vendor.toLowerCase()} answered 404 to ${route}: is ${vendor}_BASE_URL right (it must include the API's path prefix)?`;
  return `${vendor.toLowerCase()} answered ${status} to ${route}: check ${vendor}_BASE_URL`;
}

/** What a failed check says; `credentials` names the settings the vendor's calls use. */
function failed(vendor: Vendor, route: string, error: unknown, credentials: string): string {
  const name = vendor.toLowerCase();
  const status = (error as { extensions?: { upstreamStatus?: unknown } }).extensions?.upstreamStatus;
  switch (errorCode(error)) {
    case 'VENDOR_AUTH_FAILED':
      return `${name} refused our credentials${typeof status === 'number' ? ` (${status})` : ''} on ${route}: check ${credentials}`;
    case 'VENDOR_TIMEOUT':
      return `${name} did not answer ${route} in time: is ${vendor}_BASE_URL right, and is the vendor up?`;
    case 'VENDOR_UNAVAILABLE':
      return `${name} cannot be reached or is failing (${error instanceof Error ? error.message : String(error)}): check ${vendor}_BASE_URL`;
    default:
      return `${name} check ${route} failed (${error instanceof Error ? error.message : String(error)}): check ${vendor}_BASE_URL and ${credentials}`;
  }
}
