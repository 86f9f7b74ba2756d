import type { Kysely } from 'kysely';
import type { InspectionRecord, InvoiceRecord, NcrRecord, OrderRecord, PartRecord, Vendor, VendorSkuRecord } from '../model/records.js';
import type { StoreSchema } from '../store/schema.js';
import type { DistruPurchaseRecord } from '../vendors/distru/mapping.js';
import type { InventoryTransactionRecord } from '../vendors/hapihub/mapping.js';
import { inOneTransaction, upsertRows, type StoredRow, type SyncedRelation } from './record-store.js';
import { moveStoredStock } from './stock-moves.js';
import { inspectionRow, invoiceRow, ncrRow, orderRow, partRow, purchaseRow, skuRow, transactionRow } from './rows.js';

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
  await inOneTransaction(db, async (trx) => {
    if (relation === 'transactions' && vendor === 'HAPIHUB') await moveStoredStock(trx, records as InventoryTransactionRecord[], now, 'now');
    await upsertRows(trx, vendor, relation, records.map((r) => toRow(r, at)), now);
  });
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
