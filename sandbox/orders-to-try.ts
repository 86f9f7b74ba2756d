import type { World, WorldOrder } from './world/index.js';

/**
 * The orders a newcomer is shown first: in sandbox mode GraphiQL opens the flagship query on the
 * first, and the start-up banner lists all three. An order worth showing is not cancelled, has
 * lines whose SKUs ISOlocity inspects (so `part.inspections` is not empty) and, for Distru, the
 * only vendor that invoices, has invoices. One per order-holding vendor, Distru first; within a
 * vendor the one with the most such lines (ties: the earlier order), so a seed always shows the
 * same orders.
 */
export interface OrderToTry {
  order: WorldOrder;
  invoices: number;
  /** Lines whose SKU has ISOlocity inspections. */
  inspectedLines: number;
}

const VENDOR_ORDER: readonly WorldOrder['vendor'][] = ['distru', 'pharus', 'isolocity'];

export function ordersToTry(world: World): OrderToTry[] {
  const inspected = new Set<string>();
  for (const inspection of world.inspections) {
    if (world.skuByCode.get(inspection.skuCode)?.vendorCodes.isolocity !== undefined) inspected.add(inspection.skuCode);
  }
  const invoices = new Map<string, number>();
  for (const invoice of world.invoices) invoices.set(invoice.orderKey, (invoices.get(invoice.orderKey) ?? 0) + 1);

  const best = new Map<WorldOrder['vendor'], OrderToTry>();
  for (const order of world.orders) {
    if (order.status === 'cancelled') continue;
    const candidate: OrderToTry = {
      order,
      invoices: invoices.get(order.key) ?? 0,
      inspectedLines: order.lines.filter((line) => inspected.has(line.skuCode)).length,
    };
    if (candidate.inspectedLines === 0 || (order.vendor === 'distru' && candidate.invoices === 0)) continue;
    const current = best.get(order.vendor);
    if (!current || candidate.inspectedLines > current.inspectedLines) best.set(order.vendor, candidate);
  }
  return VENDOR_ORDER.flatMap((vendor) => best.get(vendor) ?? []);
}
