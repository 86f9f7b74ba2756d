import type { NodeResolvers, ResolversTypes } from '../src/generated/resolvers.generated.js';
import type { GatewayContext } from '../src/server/context.js';
import { opsError, quoteInput } from '../src/errors.js';
import { fromGlobalId } from '../src/model/global-id.js';
import type { OrderVendor } from '../src/model/records.js';
import { vendorRecordsOf } from '../src/catalog/sku-view.js';
import { expectVendorKey, notFound } from '../src/server/ids.js';
import { loadVendorNode } from '../src/vendor-api/node.js';
import { invoiceById, orderById } from '../src/lists/single-object.js';

type NodeValue = ResolversTypes['Node'];

/** Resolves any global id to its object; the id says which vendor and relation to ask. */
export async function loadNode(id: string, ctx: GatewayContext): Promise<NodeValue> {
  const parsed = fromGlobalId(id);
  if (!parsed) {
    // A generated vendor type's id (`IsolocityCar`, `PharusPurchaseOrder`, …).
    const record = await loadVendorNode(id, ctx);
    if (record) return record as unknown as NodeValue;
    if (record === null) throw opsError(`${quoteInput(id)} was not found`, { code: 'NOT_FOUND' });
  }
  if (!parsed) throw opsError(`id: ${quoteInput(id)} is not an opsgraph id`, { code: 'BAD_USER_INPUT', field: 'id' });
  const { type, vendor, key } = expectVendorKey(parsed, id);
  let found: NodeValue | null = null;
  switch (type) {
    case 'Order':
      found = vendor === 'DISTRU' || vendor === 'PHARUS' || vendor === 'ISOLOCITY' ? await orderById(ctx, vendor as OrderVendor, key) : null;
      break;
    case 'Invoice':
      found = vendor === 'DISTRU' ? await invoiceById(ctx, key) : null;
      break;
    case 'Part':
      found = vendor === 'ISOLOCITY' ? await ctx.loaders.part(key) : null;
      break;
    case 'Inspection':
      found = vendor === 'ISOLOCITY' ? await ctx.loaders.inspection(key) : null;
      break;
    case 'Ncr':
      found = vendor === 'ISOLOCITY' ? await ctx.loaders.ncr(key) : null;
      break;
    case 'Sku': {
      const records = await vendorRecordsOf(ctx, key);
      found = records.some((r) => !(r instanceof Error)) ? { code: key } : null;
      break;
    }
  }
  return found ?? notFound(type, id);
}

/** Which GraphQL type a record is: records are plain data, so tell them apart by their fields. */
export const Node: NodeResolvers = {
  __resolveType(value) {
    // Generated vendor records come tagged by loadVendorNode.
    if ('__typename' in value && typeof value.__typename === 'string') return value.__typename as never;
    // Invoices have lines too: told apart by the order they bill first.
    if ('orderVendorId' in value) return 'Invoice';
    if ('lines' in value) return 'Order';
    if ('identification' in value) return 'Part';
    if ('sampleSize' in value) return 'Inspection';
    if ('partVendorId' in value) return 'Ncr';
    return 'Sku';
  },
};
