import type { QueryResolvers } from '../src/generated/resolvers.generated.js';
import type { GatewayContext } from '../src/server/context.js';
import { opsError } from '../src/errors.js';
import { ORDER_VENDORS, type InventoryLevelRecord, type OrderRecord, type Vendor, type VendorSkuRecord } from '../src/model/records.js';
import { expectId, notFound } from '../src/server/ids.js';
import { paginate, type Segment } from '../src/server/segment-pagination.js';
import { inventoryOf, vendorRecordsOf, vendorsToAsk } from '../src/catalog/sku-view.js';
import { loadNode } from './node.js';
import { vendorNotConfigured } from '../src/vendors/not-configured.js';
import type { VendorSource } from '../src/vendors/types.js';

const MAX_SKU_CODES = 500;

export const Query: QueryResolvers = {
  node: (_root, { id }, ctx) => loadNode(id, ctx),
  nodes: async (_root, { ids }, ctx) => {
    if (ids.length > 100) throw opsError(`ids: at most 100 ids, got ${ids.length}`, { code: 'BAD_USER_INPUT', field: 'ids' });
    // One bad id fails only its own entry.
    return Promise.all(ids.map((id) => loadNode(id, ctx).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
  },

  order: async (_root, { id }, ctx) => {
    const { vendor, key } = expectId(id, 'Order');
    if (vendor !== 'DISTRU' && vendor !== 'PHARUS' && vendor !== 'ISOLOCITY') return notFound('Order', id);
    return (await ctx.loaders.order(vendor, key)) ?? notFound('Order', id);
  },
  orders: (_root, { first, after, filter }, ctx) => {
    const statuses = filter?.statuses && filter.statuses.length > 0 ? filter.statuses : null;
    // Distru, then Pharus, then ISOlocity (as the schema documents), each in its own order.
    const asked = vendorsToAsk(ctx, filter?.vendors ?? null, ORDER_VENDORS);
    const segments: Segment<OrderRecord>[] = ORDER_VENDORS.filter((v) => asked.includes(v)).map((vendor) => ({ name: vendor, list: (page) => sourceOf(ctx, vendor, 'orders').listOrders(page, { statuses }) }));
    return paginate(segments, first, after);
  },

  invoice: async (_root, { id }, ctx) => {
    const { vendor, key } = expectId(id, 'Invoice');
    if (vendor !== 'DISTRU') return notFound('Invoice', id);
    return (await ctx.loaders.invoice(key)) ?? notFound('Invoice', id);
  },
  invoices: (_root, { first, after, filter }, ctx) => {
    const statuses = filter?.statuses && filter.statuses.length > 0 ? filter.statuses : null;
    return paginate([{ name: 'DISTRU', list: (page) => sourceOf(ctx, 'DISTRU', 'invoices').listInvoices(page, { statuses }) }], first, after);
  },

  sku: async (_root, { code }, ctx) => {
    const trimmed = code.trim();
    if (trimmed === '') throw opsError('code: must not be empty', { code: 'BAD_USER_INPUT', field: 'code' });
    const canonical = ctx.crosswalk.canonicalOfAny(trimmed);
    const records = await vendorRecordsOf(ctx, canonical);
    if (records.some((r) => !(r instanceof Error))) return { code: canonical };
    // Nobody answered with the SKU: if some vendor failed we cannot say it does not exist.
    const failure = records.find((r): r is Error => r instanceof Error);
    if (failure) throw failure;
    throw opsError(`No vendor knows SKU code "${trimmed}"`, { code: 'NOT_FOUND', field: 'code' });
  },
  skus: (_root, { first, after }, ctx) => {
    // Each vendor in turn; a SKU already listed under an earlier vendor is skipped, so every
    // canonical code appears once (the earlier vendors' indexes answer that from memory).
    const vendors = vendorsToAsk(ctx);
    const segments: Segment<{ code: string }>[] = vendors.map((vendor, position) => ({
      name: vendor,
      list: async (page) => {
        const result = await sourceOf(ctx, vendor, 'catalog').listSkus(page);
        // All at once, so that the earlier vendors' lookups go out as one DataLoader batch each.
        const codes = result.items.map((record) => ctx.crosswalk.toCanonical(vendor, record.code));
        const seen = await Promise.all(codes.map((code) => seenEarlier(ctx, vendors.slice(0, position), code)));
        return { ...result, items: codes.filter((_, i) => !seen[i]).map((code) => ({ code })) };
      },
    }));
    return paginate(segments, first, after);
  },
  inventoryLevels: async (_root, { skuCodes, vendors }, ctx) => {
    if (skuCodes.length > MAX_SKU_CODES) throw opsError(`skuCodes: at most ${MAX_SKU_CODES} codes, got ${skuCodes.length}`, { code: 'BAD_USER_INPUT', field: 'skuCodes' });
    const codes = [...new Set(skuCodes.map((c) => ctx.crosswalk.canonicalOfAny(c.trim())).filter((c) => c !== ''))];
    const perCode = await Promise.all(codes.map((code) => inventoryOf(ctx, code, vendors)));
    // One error per failing vendor, not one per code.
    const out: (InventoryLevelRecord | Error)[] = [];
    const failed = new Set<string>();
    for (const item of perCode.flat()) {
      if (!(item instanceof Error)) out.push(item);
      else if (!failed.has(item.message)) {
        failed.add(item.message);
        out.push(item);
      }
    }
    return out;
  },

  part: async (_root, { id }, ctx) => {
    const { vendor, key } = expectId(id, 'Part');
    if (vendor !== 'ISOLOCITY') return notFound('Part', id);
    return (await ctx.loaders.part(key)) ?? notFound('Part', id);
  },
  parts: (_root, { first, after }, ctx) => paginate([{ name: 'ISOLOCITY', list: (page) => sourceOf(ctx, 'ISOLOCITY', 'quality').listParts(page) }], first, after),
  inspection: async (_root, { id }, ctx) => {
    const { vendor, key } = expectId(id, 'Inspection');
    if (vendor !== 'ISOLOCITY') return notFound('Inspection', id);
    return (await ctx.loaders.inspection(key)) ?? notFound('Inspection', id);
  },
  inspections: (_root, { first, after }, ctx) =>
    paginate([{ name: 'ISOLOCITY', list: (page) => sourceOf(ctx, 'ISOLOCITY', 'quality').listInspections(page) }], first, after),
  ncr: async (_root, { id }, ctx) => {
    const { vendor, key } = expectId(id, 'Ncr');
    if (vendor !== 'ISOLOCITY') return notFound('Ncr', id);
    return (await ctx.loaders.ncr(key)) ?? notFound('Ncr', id);
  },
  ncrs: (_root, { first, after, filter }, ctx) => {
    const ncrFilter = { status: filter?.status ?? null, source: filter?.source ?? null, keyword: filter?.lotNumber ?? null };
    return paginate(
      [
        {
          name: 'ISOLOCITY',
          list: async (page) => {
            const result = await sourceOf(ctx, 'ISOLOCITY', 'quality').listNcrs(page, ncrFilter);
            // The vendor's keyword also matches numbers and descriptions: keep exact lot matches only.
            return filter?.lotNumber ? { ...result, items: result.items.filter((n) => n.lotNumber === filter.lotNumber) } : result;
          },
        },
      ],
      first,
      after,
    );
  },
};

async function seenEarlier(ctx: GatewayContext, earlier: readonly Vendor[], code: string): Promise<boolean> {
  const found = await Promise.all(earlier.map((v) => ctx.loaders.vendorSku(v, ctx.crosswalk.toVendor(v, code)).catch((): VendorSkuRecord | null => null)));
  return found.some((r) => r !== null);
}

function sourceOf<K extends 'orders' | 'invoices' | 'catalog' | 'quality'>(ctx: GatewayContext, vendor: Vendor, capability: K) {
  const source = ctx.loaders.source(vendor)?.[capability];
  if (!source) throw vendorNotConfigured(vendor);
  return source as NonNullable<VendorSource[K]>;
}
