import type { z } from 'zod';
import { vendorError, type VendorName } from '../errors.js';

/**
 * Parses a vendor body at the boundary. A body that does not match is the vendor's fault, not the
 * client's: it becomes VENDOR_BAD_RESPONSE naming the route and the first mismatching field, but
 * never echoing the body (it may hold data the caller may not see in an error).
 */
export function parseVendorBody<S extends z.ZodType>(vendor: VendorName, route: string, schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw vendorError(vendor, 'VENDOR_BAD_RESPONSE', `unexpected response from ${route}${where}: ${issue?.message ?? 'invalid'}`);
}
