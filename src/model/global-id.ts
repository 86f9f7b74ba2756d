import type { Vendor } from './records.js';
import { VENDORS } from './records.js';

/**
 * Opaque Relay global ids: base64url of `<Type>:<VENDOR>:<vendorId>` (or `Sku::<code>` for the
 * cross-vendor SKU). Opaque so that clients never build them by hand; parseable so that
 * `Query.node` can route an id to the vendor that owns it.
 */
export type NodeType = 'Order' | 'Invoice' | 'Part' | 'Inspection' | 'Ncr' | 'Sku';
const NODE_TYPES: readonly NodeType[] = ['Order', 'Invoice', 'Part', 'Inspection', 'Ncr', 'Sku'];

export interface GlobalId {
  type: NodeType;
  /** null only for Sku, which belongs to no single vendor. */
  vendor: Vendor | null;
  /** The vendor's id; for Sku, the canonical code. */
  key: string;
}

export function toGlobalId(type: NodeType, vendor: Vendor | null, key: string): string {
  return Buffer.from(`${type}:${vendor ?? ''}:${key}`, 'utf8').toString('base64url');
}

/** Parses a global id; null when it is not one of ours (malformed, unknown type or vendor). */
export function fromGlobalId(id: string): GlobalId | null {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const first = text.indexOf(':');
  const second = text.indexOf(':', first + 1);
  if (first < 0 || second < 0) return null;
  const type = text.slice(0, first) as NodeType;
  const vendorText = text.slice(first + 1, second);
  const key = text.slice(second + 1);
  if (!NODE_TYPES.includes(type) || key === '') return null;
  if (type === 'Sku') return vendorText === '' ? { type, vendor: null, key } : null;
  if (!VENDORS.includes(vendorText as Vendor)) return null;
  return { type, vendor: vendorText as Vendor, key };
}
