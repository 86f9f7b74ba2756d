import type { GraphQLError } from 'graphql';
import { errorCode, vendorError, type VendorName } from '../errors.js';

/**
 * The HTTP layer rejects 401/403 as VENDOR_AUTH_FAILED (on a read, our credentials are wrong). On a
 * write, a 403 means these credentials may not make this write: FORBIDDEN, for the client to see.
 */
export function forbiddenOnWrite(vendor: VendorName, route: string, error: unknown): unknown {
  if (errorCode(error) === 'VENDOR_AUTH_FAILED' && (error as GraphQLError).extensions?.upstreamStatus === 403) {
    return vendorError(vendor, 'FORBIDDEN', `${route}: the vendor does not allow this write for our credentials`, { upstreamStatus: 403 });
  }
  return error;
}

/** Awaits a vendor write, turning a 403 into FORBIDDEN (see `forbiddenOnWrite`). */
export async function forbiddenAware<T>(vendor: VendorName, call: Promise<T>, route: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw forbiddenOnWrite(vendor, route, error);
  }
}
