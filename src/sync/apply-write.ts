import type { Kysely } from 'kysely';
import { addDecimals, toDecimal } from '../model/decimal.js';
import type { InspectionRecord, InventoryLevelRecord, InvoiceRecord, NcrRecord, OrderRecord, PartRecord, Vendor, VendorSkuRecord } from '../model/records.js';
import type { StoreSchema } from '../store/schema.js';
import type { DistruPurchaseRecord } from '../vendors/distru/mapping.js';
import type { InventoryTransactionRecord } from '../vendors/hapihub/mapping.js';
import { stockDeltas, stockKey } from '../vendors/hapihub/stock-rule.js';
import { rowsByKey, upsertRows, type StoredRow, type SyncedRelation } from './record-store.js';
import { toFoldable } from './relations/hapihub.js';
import { inspectionRow, inventoryRow, invoiceRow, ncrRow, orderRow, partRow, purchaseRow, skuRow, transactionRow } from './rows.js';

/**
 * Read-your-writes: unified records a mutation just wrote, put in the store as the sync would.
 * Their vendor update time is taken as now (the vendor has just changed them), so an
 * `updatedSince` pull sees them too. A HAPIHub transaction also moves the stored stock at once:
 * what its previous stored version added is taken back and its own deltas added.
 */
export async function applyWrittenRecords(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, records: readonly unknown[], now: number): Promise<void> {
  const at = new Date(now).toISOString();
  const toRow = ROWS[relation];
  if (!toRow) throw new Error(`applyWrite: the ${relation} relation takes no written records`);
  if (relation === 'transactions' && vendor === 'HAPIHUB') await moveStoredStock(db, records as InventoryTransactionRecord[], now);
  await upsertRows(db, vendor, relation, records.map((r) => toRow(r, at)), now);
}

const ROWS: Partial<Record<SyncedRelation, (record: unknown, at: string) => StoredRow>> = {
  orders: (r, at) => orderRow(r as OrderRecord, at),
  invoices: (r, at) => invoiceRow(r as InvoiceRecord, at),
  purchases: (r, at) => purchaseRow(r as DistruPurchaseRecord, at),
  inspections: (r, at) => inspectionRow(r as InspectionRecord, at),
  ncrs: (r, at) => ncrRow(r as NcrRecord, at),
  skus: (r, at) => skuRow(r as VendorSkuRecord, at),
  parts: (r, at) => partRow(r as PartRecord, at),
  transactions: (r) => transactionRow(r as InventoryTransactionRecord),
};

async function moveStoredStock(db: Kysely<StoreSchema>, written: readonly InventoryTransactionRecord[], now: number): Promise<void> {
  const previous = (await rowsByKey(db, 'HAPIHUB', 'transactions', written.map((t) => t.vendorId))) as Map<string, InventoryTransactionRecord>;
  const moves = new Map<string, { sku: string; control: string | null; warehouse: string; amounts: string[] }>();
  const add = (record: InventoryTransactionRecord, sign: 1 | -1) => {
    for (const d of stockDeltas(toFoldable(record))) {
      const k = stockKey(d.sku, d.control, d.warehouse);
      const move = moves.get(k) ?? { sku: d.sku, control: d.control, warehouse: d.warehouse, amounts: [] };
      move.amounts.push(toDecimal(sign * d.delta));
      moves.set(k, move);
    }
  };
  // A lot's expiry as the written transactions state it (`items.expiresAt`): the latest stated wins, as in the fold.
  const statedExpiry = new Map<string, string>();
  for (const record of written) for (const item of record.items) if (item.lotNumber && item.expiresAt) statedExpiry.set(item.lotNumber, item.expiresAt);
  for (const record of written) {
    const before = previous.get(record.vendorId);
    if (before) add(before, -1);
    add(record, 1);
  }
  if (moves.size === 0) return;
  const levels = (await rowsByKey(db, 'HAPIHUB', 'inventory', [...moves.keys()])) as Map<string, InventoryLevelRecord>;
  const updatedAt = new Date(now).toISOString();
  const rows = [...moves].map(([k, move]) => {
    const level: InventoryLevelRecord = levels.get(k) ?? { vendor: 'HAPIHUB', vendorSkuCode: move.sku, location: { id: move.warehouse, name: null }, lotNumber: move.control, onHand: '0', available: null, updatedAt: null };
    const expiresAt = (move.control === null ? undefined : statedExpiry.get(move.control)) ?? level.expiresAt ?? null;
    return inventoryRow(k, { ...level, onHand: addDecimals([level.onHand, ...move.amounts]), updatedAt, expiresAt });
  });
  await upsertRows(db, 'HAPIHUB', 'inventory', rows, now);
}
