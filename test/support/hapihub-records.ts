import type { InventoryTransactionRecord } from '../../src/vendors/hapihub/mapping.js';

/** A stored HAPIHub transaction of one item in warehouse W1, untracked (no lot), as the sync stores it. */
export function oneItemTransaction(fields: { id: string; type: string; sku: string; quantity: number; createdAt?: string }): InventoryTransactionRecord {
  return {
    vendor: 'HAPIHUB',
    vendorId: fields.id,
    type: fields.type,
    createdAt: fields.createdAt ?? '2026-01-01T00:00:00.000Z',
    warehouseId: 'W1',
    sourceWarehouseId: null,
    destinationWarehouseId: null,
    relatedTransactionId: null,
    reason: null,
    invoice: null,
    items: [{ vendorSkuCode: fields.sku, sku: { code: fields.sku }, lotNumber: null, quantity: String(fields.quantity), adjustment: null, price: null, note: null, expiresAt: null }],
  };
}
