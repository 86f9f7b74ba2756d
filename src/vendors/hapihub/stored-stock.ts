import type { SourceScope } from '../../cache/scope.js';
import type { InventoryLevelRecord, PageRequest, PageResult, VendorSkuRecord } from '../../model/records.js';
import type { StoreLookups } from '../../sync/store-lookups.js';
import { toSkuRecord } from './mapping.js';
import type { HapihubStock } from './runtime.js';

/** A stored stock level: the sync keeps the item's name beside it (src/sync/relations/hapihub.ts). */
type StoredLevel = InventoryLevelRecord & { name?: string | null };

/** Levels read per store query while collecting a page of distinct SKU codes. */
const SCAN = 500;

/**
 * SYNC=on: HAPIHub's stock and SKUs from the synced store — the sync's `inventory` relation, the
 * fold of every stored transaction (one row per SKU, lot and warehouse, its parent the SKU code).
 * 0 vendor calls; as fresh as the last transactions pass (SYNC_INTERVAL_MS), and opsgraph's own
 * writes move it at once (src/sync/apply-write.ts). Before the first pass: SYNC_IN_PROGRESS.
 */
export function storedStock(lookups: StoreLookups): HapihubStock {
  const levelsOf = async (codes: readonly string[], scope: SourceScope): Promise<StoredLevel[][]> => {
    const found = await lookups.byParent<StoredLevel>('HAPIHUB', 'inventory', codes, scope);
    return codes.map((code) => found.get(code) ?? []);
  };
  const skuOf = (code: string, levels: readonly StoredLevel[]): VendorSkuRecord => toSkuRecord(code, levels.find((l) => l.name)?.name ?? null);

  return {
    levelsOf: async (codes, scope) => (await levelsOf(codes, scope)).map((levels) => levels.map(({ name: _name, ...level }) => level)),
    async skusOf(codes, scope) {
      const levels = await levelsOf(codes, scope);
      return codes.map((code, i) => (levels[i]?.length ? skuOf(code, levels[i]) : null));
    },
    async lotExpiries(lotNumbers, scope) {
      // Every stored level of the lot (tagged by lot number), in any warehouse and of any SKU: the
      // expiry the most recently moved one states, as the fold keeps the latest stated.
      const found = await lookups.byTag<StoredLevel>('HAPIHUB', 'inventory', 'lot', lotNumbers, scope);
      return lotNumbers.map((lot) => {
        const stated = (found.get(lot) ?? []).filter((level) => level.expiresAt);
        stated.sort((a, b) => (a.updatedAt ?? '').localeCompare(b.updatedAt ?? ''));
        return stated.at(-1)?.expiresAt ?? null;
      });
    },
    async listSkus(page: PageRequest, scope: SourceScope): Promise<PageResult<VendorSkuRecord>> {
      // Levels in code order, collapsed to one SKU per code; one code more than asked says whether a page follows.
      const codes = new Map<string, StoredLevel[]>();
      let after = page.after === null ? null : { value: page.after, vendor: 'HAPIHUB', key: '' };
      let more = true;
      while (codes.size <= page.first && more) {
        const found = await lookups.page('HAPIHUB', { relation: 'inventory', orderBy: 'number', direction: 'asc', first: SCAN, after }, scope);
        for (const row of found.rows) {
          if (row.value === page.after || row.value === '') continue;
          const list = codes.get(row.value) ?? [];
          list.push(row.data as StoredLevel);
          codes.set(row.value, list);
        }
        const last = found.rows.at(-1);
        more = found.hasNext && last !== undefined;
        if (last) after = { value: last.value, vendor: last.vendor, key: last.key };
      }
      const items = [...codes].slice(0, page.first).map(([code, levels]) => skuOf(code, levels));
      return { items, endCursor: items.at(-1)?.code ?? page.after, hasNextPage: codes.size > page.first };
    },
    // The write reaches the store through storeWritten (the transaction and the stock it moves).
    applyWritten: () => undefined,
  };
}
