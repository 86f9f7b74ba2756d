import type { SkuResolvers, VendorSkuResolvers, InventoryLevelResolvers } from '../src/generated/resolvers.generated.js';
import { toGlobalId } from '../src/model/global-id.js';
import { inventoryOf, partOf, unitOfMeasureOf, vendorRecordsOf } from '../src/catalog/sku-view.js';
import { inspectionsOfPart, ncrsOfPart } from '../src/lists/store-relations.js';

export const Sku: SkuResolvers = {
  id: (sku) => toGlobalId('Sku', null, sku.code),
  code: (sku) => sku.code,
  name: async (sku, _args, ctx) => {
    if (sku.knownName) return sku.knownName;
    const records = await vendorRecordsOf(ctx, sku.code);
    for (const r of records) if (!(r instanceof Error) && r.name) return r.name;
    return null;
  },
  unitOfMeasure: async (sku, _args, ctx) => {
    for (const r of await vendorRecordsOf(ctx, sku.code)) if (!(r instanceof Error) && r.unitOfMeasure) return r.unitOfMeasure;
    return null;
  },
  vendorRecords: (sku, _args, ctx) => vendorRecordsOf(ctx, sku.code),
  part: (sku, _args, ctx) => partOf(ctx, sku.code),
  inventory: (sku, args, ctx) => inventoryOf(ctx, sku.code, args.vendors),
  inspections: async (sku, _args, ctx) => {
    const part = await partOf(ctx, sku.code);
    return part ? inspectionsOfPart(ctx, part.vendorId) : [];
  },
  openNcrs: async (sku, _args, ctx) => {
    const part = await partOf(ctx, sku.code);
    if (!part) return [];
    const ncrs = await ncrsOfPart(ctx, part.vendorId);
    return ncrs.filter((n) => (n.status ?? '').toLowerCase() !== 'closed');
  },
};

export const VendorSku: VendorSkuResolvers = {
  // Records indexed or stored before units were read lack the field.
  unitOfMeasure: (record) => record.unitOfMeasure ?? null,
};

export const InventoryLevel: InventoryLevelResolvers = {
  sku: (level, _args, ctx) => (level.vendorSkuCode === null ? null : { code: ctx.crosswalk.toCanonical(level.vendor, level.vendorSkuCode) }),
  // Only Pharus's summary says what is allocated; the other vendors leave it unknown.
  allocated: (level) => level.allocated ?? null,
  expiresAt: (level) => level.expiresAt ?? null,
  unitOfMeasure: (level, _args, ctx) => unitOfMeasureOf(ctx, level.vendor, level.vendorSkuCode, level.unitOfMeasure),
};
