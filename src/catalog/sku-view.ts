import type { GatewayContext } from '../server/context.js';
import type { InventoryLevelRecord, PartRecord, Vendor, VendorSkuRecord } from '../model/records.js';
import { VENDORS } from '../model/records.js';

/**
 * Cross-vendor views of one SKU. Each asks every configured vendor through the request's
 * DataLoaders (so 50 SKUs cost one batch per vendor, not 50 calls), and turns one vendor's
 * failure into an Error in that vendor's place: in a list of nullable items graphql-js reports it
 * as an error at that index and keeps the other vendors' entries.
 */
export function vendorsToAsk(ctx: GatewayContext, requested?: readonly Vendor[] | null, among: readonly Vendor[] = VENDORS): Vendor[] {
  const configured = ctx.loaders.configuredVendors();
  const wanted = among.filter((v) => !requested || requested.includes(v));
  // A vendor the list would have asked but cannot: skipped, and said so in extensions.skippedVendors.
  for (const v of wanted) if (!configured.includes(v)) ctx.loaders.noteSkipped(v);
  return wanted.filter((v) => configured.includes(v));
}

export async function vendorRecordsOf(ctx: GatewayContext, code: string): Promise<(VendorSkuRecord | Error)[]> {
  const vendors = vendorsToAsk(ctx);
  const settled = await Promise.allSettled(vendors.map((v) => ctx.loaders.vendorSku(v, ctx.crosswalk.toVendor(v, code))));
  const out: (VendorSkuRecord | Error)[] = [];
  for (const result of settled) {
    if (result.status === 'rejected') out.push(asError(result.reason));
    else if (result.value) out.push(result.value);
  }
  return out;
}

export async function inventoryOf(ctx: GatewayContext, code: string, requested?: readonly Vendor[] | null): Promise<(InventoryLevelRecord | Error)[]> {
  const vendors = vendorsToAsk(ctx, requested);
  const settled = await Promise.allSettled(vendors.map((v) => ctx.loaders.levels(v, ctx.crosswalk.toVendor(v, code))));
  const out: (InventoryLevelRecord | Error)[] = [];
  for (const result of settled) {
    if (result.status === 'rejected') out.push(asError(result.reason));
    else out.push(...result.value);
  }
  return out;
}

export async function partOf(ctx: GatewayContext, code: string): Promise<PartRecord | null> {
  if (!ctx.loaders.source('ISOLOCITY')) return null;
  return ctx.loaders.partByIdentification(ctx.crosswalk.toVendor('ISOLOCITY', code));
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
