import { VENDORS, type Vendor } from '../../model/records.js';
import type { SkuRef } from '../../model/sku.js';
import { countRows, queryRows, type SyncedRelation } from '../../sync/record-store.js';
import { instantFilter, textFilter, vendorsFilter } from '../filter-rules.js';
import type { ListContext, ListSpec, RowFilter } from '../list-spec.js';

/** `SkuFilter` (schema/catalog.graphql). */
export interface SkuListFilter {
  vendors?: readonly string[] | null;
  code?: string | null;
  updatedSince?: string | null;
}


/**
 * Where each vendor's products are stored: Distru products and Pharus SKUs (VendorSkuRecord), ISOlocity
 * parts (PartRecord, by identification), HAPIHub's items as its stock folded from transactions
 * (InventoryLevelRecord, one row per SKU, lot and warehouse). Each row's `number` is the vendor's code.
 */
const SKU_RELATIONS: Readonly<Record<Vendor, SyncedRelation>> = { DISTRU: 'skus', PHARUS: 'skus', ISOLOCITY: 'parts', HAPIHUB: 'inventory' };

/** The code a stored row carries: `code` (VendorSkuRecord), `identification` (PartRecord), `vendorSkuCode` (InventoryLevelRecord). */
function codeOf(data: unknown): string {
  const record = (data ?? {}) as { code?: unknown; identification?: unknown; vendorSkuCode?: unknown };
  for (const value of [record.code, record.identification, record.vendorSkuCode]) if (typeof value === 'string' && value !== '') return value;
  return '';
}

/** One row filter per relation the vendors' products live in. */
function partsOf(vendors: readonly Vendor[], base: RowFilter, number?: (vendor: Vendor) => string): RowFilter[] {
  const parts: RowFilter[] = [];
  for (const vendor of vendors) {
    const relation = SKU_RELATIONS[vendor];
    if (number) parts.push({ ...base, relation, vendors: [vendor], number: number(vendor) });
    else {
      const same = parts.find((p) => p.relation === relation && p.number === undefined);
      if (same) same.vendors = [...(same.vendors ?? []), vendor];
      else parts.push({ ...base, relation, vendors: [vendor] });
    }
  }
  return parts;
}

/**
 * Every SKU once per canonical code. Each vendor's products are rows of the store's `skus`; a code
 * several vendors hold is listed at the row of the first of them in vendor order (the order ties are
 * broken in), wherever the ordering puts it, so paging never shows it twice.
 */
export const skusList: ListSpec<SkuListFilter, SkuRef> = {
  name: 'skus',
  relation: 'skus',
  vendors: VENDORS,
  orderFields: ['NUMBER', 'UPDATED'],
  defaultOrder: { field: 'NUMBER', direction: 'ASC' },
  plan(filter, ctx, field) {
    const vendors = vendorsFilter(filter?.vendors, VENDORS, ctx, `${field}.vendors`);
    const code = textFilter(filter?.code, `${field}.code`);
    const updatedSince = instantFilter(filter?.updatedSince, `${field}.updatedSince`);
    const base: RowFilter = updatedSince !== undefined ? { updatedSince } : {};
    const parts = partsOf(vendors, base, code === undefined ? undefined : (vendor) => ctx.crosswalk.toVendor(vendor, ctx.crosswalk.canonicalOfAny(code)));
    const earlier = (vendor: Vendor) => vendors.filter((v) => v < vendor);
    return {
      parts,
      // Listed once: at the first vendor (in tie order) holding the code, and there at its first row
      // (HAPIHub holds one stock row per lot and warehouse).
      residual: async (node, vendor, key) => {
        for (const other of earlier(vendor)) {
          const spelling = ctx.crosswalk.toVendor(other, node.code);
          if ((await countRows(ctx.db, { relation: SKU_RELATIONS[other], vendors: [other], number: spelling, ...base })) > 0) return false;
        }
        const own = ctx.crosswalk.toVendor(vendor, node.code);
        const firstOwn = await queryRows(ctx.db, { relation: SKU_RELATIONS[vendor], vendors: [vendor], number: own, ...base, orderBy: 'number', direction: 'asc', first: 1 });
        return firstOwn.rows[0]?.key === key;
      },
      count: () => countDistinctCodes(ctx, parts),
      empty: vendors.length === 0,
    };
  },
  node: (vendor, _key, data, ctx) => {
    const name = (data as { name?: unknown } | null)?.name;
    return { code: ctx.crosswalk.toCanonical(vendor, codeOf(data)), knownName: typeof name === 'string' ? name : null };
  },
};

/** Distinct canonical codes over the rows (read in pages of 5,000: SKUs are tens of thousands at most). */
async function countDistinctCodes(ctx: ListContext, parts: readonly RowFilter[]): Promise<number> {
  const codes = new Set<string>();
  for (const part of parts) {
    let after: { value: string; vendor: string; key: string } | null = null;
    for (;;) {
      const page = await queryRows(ctx.db, { relation: 'skus', ...part, orderBy: 'number', direction: 'asc', after, first: 5000 });
      for (const row of page.rows) codes.add(ctx.crosswalk.toCanonical(row.vendor, codeOf(row.data)));
      const last = page.rows[page.rows.length - 1];
      if (!page.hasNext || !last) break;
      after = { value: last.value, vendor: last.vendor, key: last.key };
    }
  }
  return codes.size;
}
