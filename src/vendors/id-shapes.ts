import type { Vendor } from '../model/records.js';

/**
 * What a vendor's own ids look like, where its document says. An id of another shape cannot name a
 * record there, so opsgraph refuses it before any call (sending it would only come back as a vendor
 * error, e.g. Distru answering a malformed UUID with a 400 that reads as VENDOR_BAD_RESPONSE).
 */
export interface IdShape {
  pattern: RegExp;
  /** Completes "… is not …". */
  description: string;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const VENDOR_ID_SHAPES: Partial<Record<Vendor, IdShape>> = {
  // Seed 002: every Distru id is a UUID ("id": "6a1d1f7e-…").
  DISTRU: { pattern: UUID, description: 'a UUID, as every Distru id is' },
  // Seed README: ISOlocity has integer ids.
  ISOLOCITY: { pattern: /^[1-9]\d{0,15}$/, description: 'a positive integer, as every ISOlocity id is' },
};

/** The problem with a vendor id's shape, or null when the vendor has no rule or the id fits it. */
export function idShapeProblem(vendor: Vendor, key: string): string | null {
  const shape = VENDOR_ID_SHAPES[vendor];
  return shape && !shape.pattern.test(key) ? `names ${vendor.toLowerCase()} id "${key}", which is not ${shape.description}` : null;
}
