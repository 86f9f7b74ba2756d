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

/** Vendors that document a product's unit of measure (ISOlocity parts, Distru products); Pharus and HAPIHub document none. */
const UNIT_VENDORS: ReadonlySet<Vendor> = new Set(['ISOLOCITY', 'DISTRU']);

/**
 * The unit a vendor counts one of its products in: `known` when the record at hand names it, else
 * the vendor's product record for the code (through the request's `vendorSku` loader: batched and
 * indexed, as `Sku.vendorRecords`); null where the vendor documents no unit.
 */
export async function unitOfMeasureOf(ctx: GatewayContext, vendor: Vendor, vendorCode: string | null, known: string | null | undefined): Promise<string | null> {
  if (known) return known;
  if (vendorCode === null || !UNIT_VENDORS.has(vendor) || !ctx.loaders.source(vendor)) return null;
  return (await ctx.loaders.vendorSku(vendor, vendorCode))?.unitOfMeasure ?? null;
}

export async function partOf(ctx: GatewayContext, code: string): Promise<PartRecord | null> {
  if (!ctx.loaders.source('ISOLOCITY')) return null;
  return ctx.loaders.partByIdentification(ctx.crosswalk.toVendor('ISOLOCITY', code));
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
