import type { VendorName } from '../errors.js';

/**
 * Global ids of generated vendor types use the unified model's scheme (src/model/global-id.ts):
 * base64url of `<GraphQL type>:<VENDOR>:<vendor id>`; the type names are the generated ones
 * (`IsolocityCar`), so the two never collide.
 */
export function toVendorGlobalId(type: string, vendor: VendorName, key: string): string {
  return Buffer.from(`${type}:${vendor.toUpperCase()}:${key}`, 'utf8').toString('base64url');
}

export function fromVendorGlobalId(id: string): { type: string; vendor: VendorName; key: string } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const m = /^([A-Z][A-Za-z0-9]*):(ISOLOCITY|PHARUS|DISTRU|HAPIHUB):(.+)$/s.exec(Buffer.from(id, 'base64url').toString('utf8'));
  return m ? { type: m[1]!, vendor: m[2]!.toLowerCase() as VendorName, key: m[3]! } : null;
}
