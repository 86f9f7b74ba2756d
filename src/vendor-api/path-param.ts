import { z } from 'zod';
import type { VendorName } from '../errors.js';
import { fromVendorGlobalId } from './global-id.js';

const FORMATS = {
  integer: { pattern: /^[1-9]\d*$/, message: 'must be a positive integer id (or the global id of one)' },
  uuid: { pattern: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, message: 'must be a UUID (or the global id of a record)' },
  string: { pattern: /^.+$/s, message: 'must not be empty' },
} as const;

/**
 * A path id in GraphQL input: the vendor's own id or the global id (`Query.node`) of one of this
 * vendor's records, checked against the id format the vendor documents before any call (a
 * malformed id is the client's mistake, not a vendor 404).
 */
export function pathParam(vendor: VendorName, format: keyof typeof FORMATS): z.ZodType<string> {
  const { pattern, message } = FORMATS[format];
  return z
    .union([z.string(), z.number()])
    .transform((value) => {
      const text = String(value);
      const global = fromVendorGlobalId(text);
      return global && global.vendor === vendor ? global.key : text;
    })
    .pipe(z.string().regex(pattern, message));
}
