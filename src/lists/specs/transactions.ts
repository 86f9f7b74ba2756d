import { transactionSchema } from '../../vendors/hapihub/schemas.js';
import { toTransactionRecord, type InventoryTransactionRecord } from '../../vendors/hapihub/mapping.js';
import { instantFilter, rangeFilter, refuse, skuCodeParts, textFilter, vendorsFilter } from '../filter-rules.js';
import type { ListContext, ListSpec, RowFilter } from '../list-spec.js';

/** `InventoryTransactionFilter` (schema/transactions.graphql); types are the GraphQL enum's values. */
export interface TransactionListFilter {
  types?: readonly string[] | null;
  warehouse?: string | null;
  skuCode?: string | null;
  lotNumber?: string | null;
  createdAt?: { from?: string | null; to?: string | null } | null;
  updatedSince?: string | null;
}

const TYPES = new Set(['ADJUSTMENT', 'PURCHASE', 'SALES', 'TRANSFER', 'RECEIVING', 'PACKAGING', 'RETURN']);

/** A stored transaction: the unified record, or HAPIHub's own (parsed as every HAPIHub answer is). */
export function transactionNode(data: unknown, ctx: Pick<ListContext, 'crosswalk'>): InventoryTransactionRecord {
  if (data !== null && typeof data === 'object' && 'vendorId' in data) return data as InventoryTransactionRecord;
  return toTransactionRecord(transactionSchema.parse(data), (code) => ctx.crosswalk.toCanonical('HAPIHUB', code));
}

export const transactionsList: ListSpec<TransactionListFilter, InventoryTransactionRecord> = {
  name: 'transactions',
  relation: 'transactions',
  vendors: ['HAPIHUB'],
  orderFields: ['TIME', 'UPDATED'],
  defaultOrder: { field: 'TIME', direction: 'DESC' },
  plan(filter, ctx, field) {
    const vendors = vendorsFilter(null, ['HAPIHUB'], ctx, `${field}.vendors`);
    const types = filter?.types && filter.types.length > 0 ? filter.types.map((t) => t.toUpperCase()) : undefined;
    for (const t of types ?? []) if (!TYPES.has(t)) throw opsTypeError(field, t);
    const warehouse = textFilter(filter?.warehouse, `${field}.warehouse`);
    const lot = textFilter(filter?.lotNumber, `${field}.lotNumber`);
    const sku = textFilter(filter?.skuCode, `${field}.skuCode`);
    const updatedSince = instantFilter(filter?.updatedSince, `${field}.updatedSince`);
    // The store's status of a transaction is its type as HAPIHub names it (lower case, document 003).
    const base: RowFilter = {
      ...rangeFilter(filter?.createdAt, `${field}.createdAt`),
      ...(updatedSince !== undefined ? { updatedSince } : {}),
      ...(types ? { statuses: types.map((t) => t.toLowerCase()) } : {}),
    };
    const residualChecks: ((t: InventoryTransactionRecord) => boolean)[] = [];
    if (warehouse !== undefined) residualChecks.push((t) => t.warehouseId === warehouse || t.sourceWarehouseId === warehouse || t.destinationWarehouseId === warehouse);
    let parts: RowFilter[];
    if (lot !== undefined) {
      parts = [{ ...base, vendors, tag: { kind: 'lot', value: lot } }];
      if (sku !== undefined) {
        const canonical = ctx.crosswalk.canonicalOfAny(sku);
        residualChecks.push((t) => t.items.some((i) => i.sku?.code === canonical));
      }
    } else parts = skuCodeParts(base, vendors, sku, ctx);
    return {
      parts,
      ...(residualChecks.length > 0 ? { residual: (t: InventoryTransactionRecord) => residualChecks.every((check) => check(t)) } : {}),
      empty: vendors.length === 0,
    };
  },
  node: (_vendor, _key, data, ctx) => transactionNode(data, ctx),
};

function opsTypeError(field: string, value: string) {
  return refuse(`${field}.types`, `unknown type ${JSON.stringify(value.slice(0, 100))}; one of ${[...TYPES].join(', ')}`);
}
