import type { QueryResolvers } from '../src/generated/resolvers.generated.js';
import { opsError } from '../src/errors.js';
import type { InventoryLevelRecord } from '../src/model/records.js';
import { expectId, notFound } from '../src/server/ids.js';
import { inventoryOf, vendorRecordsOf } from '../src/catalog/sku-view.js';
import { loadNode } from './node.js';
import { serveList } from '../src/lists/serve-list.js';
import { ordersList } from '../src/lists/specs/orders.js';
import { invoicesList } from '../src/lists/specs/invoices.js';
import { skusList } from '../src/lists/specs/skus.js';
import { inspectionsList, ncrsList, partsList } from '../src/lists/specs/quality.js';
import { purchasesList } from '../src/lists/specs/purchases.js';
import { transactionsList } from '../src/lists/specs/transactions.js';
import { invoiceById, orderById } from '../src/lists/single-object.js';

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
    // Distru with the sync on: the store caught up by one shared call (src/lists/single-object.ts).
    return (await orderById(ctx, vendor, key)) ?? notFound('Order', id);
  },
  // Lists answer from the synced store (src/lists/): no vendor call, one ordering across vendors.
  orders: (_root, args, ctx) => serveList(ordersList, args, ctx),

  invoice: async (_root, { id }, ctx) => {
    const { vendor, key } = expectId(id, 'Invoice');
    if (vendor !== 'DISTRU') return notFound('Invoice', id);
    return (await invoiceById(ctx, key)) ?? notFound('Invoice', id);
  },
  invoices: (_root, args, ctx) => serveList(invoicesList, args, ctx),
  purchases: (_root, args, ctx) => serveList(purchasesList, args, ctx),
  transactions: (_root, args, ctx) => serveList(transactionsList, args, ctx),

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
  skus: (_root, args, ctx) => serveList(skusList, args, ctx),
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
  parts: (_root, args, ctx) => serveList(partsList, args, ctx),
  inspection: async (_root, { id }, ctx) => {
    const { vendor, key } = expectId(id, 'Inspection');
    if (vendor !== 'ISOLOCITY') return notFound('Inspection', id);
    return (await ctx.loaders.inspection(key)) ?? notFound('Inspection', id);
  },
  inspections: (_root, args, ctx) => serveList(inspectionsList, args, ctx),
  ncr: async (_root, { id }, ctx) => {
    const { vendor, key } = expectId(id, 'Ncr');
    if (vendor !== 'ISOLOCITY') return notFound('Ncr', id);
    return (await ctx.loaders.ncr(key)) ?? notFound('Ncr', id);
  },
  ncrs: (_root, args, ctx) => serveList(ncrsList, args, ctx),
};
