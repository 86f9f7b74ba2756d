import type { PharusStore } from './store.js';

/**
 * The demand side of the finished-goods summary (https://docs.pharus.ai/modules/finished-goods-inventory,
 * E108, W147): a sales order line is open demand at its order's fulfilment location while the order
 * is Received (DEMAND), allocated while it is Entered (ALLOCATE relieves the demand), and neither
 * once it has shipped (CONSUME relieves the allocation) or was rejected (REVERSE_*).
 *
 * Simplification, recorded in docs/vendors/pharus.md: the sandbox derives these two figures from
 * the orders themselves instead of writing DEMAND / ALLOCATE / CONSUME rows to the ledger (the
 * seeded stock is already what remains after the world's shipments, so CONSUME rows would count
 * them twice).
 */
export interface DemandCell {
  demand: number;
  allocated: number;
}

export const demandKey = (skuId: string, locationId: string) => `${skuId}:${locationId}`;

/** Demand and allocation per `skuId:locationId`, quantities scaled like the ledger's. */
export function demandBySkuAndLocation(store: PharusStore, scale: number): Map<string, DemandCell> {
  const cells = new Map<string, DemandCell>();
  for (const order of store.salesOrders.all()) {
    const open = order.orderStatus === 'Received' ? 'demand' : order.orderStatus === 'Entered' ? 'allocated' : null;
    if (open === null || order.fulfillmentLocationId === null) continue;
    for (const item of order.items) {
      const key = demandKey(item.skuId, order.fulfillmentLocationId);
      const cell = cells.get(key) ?? { demand: 0, allocated: 0 };
      cell[open] += item.quantity * scale;
      cells.set(key, cell);
    }
  }
  return cells;
}
