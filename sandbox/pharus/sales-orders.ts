import { PharusApiError } from './errors.js';
import { STATUS_TIMESTAMP, type OrderStatus, type SalesOrderRecord } from './records.js';

/**
 * Sales order status transitions. Document 001 lists the statuses ("Received", "Entered",
 * "Shipped", "Invoiced", "Paid", "Rejected", "In-Dispute", "Completed") and the `invalid_transition`
 * code. Pharus's W147 (https://docs.pharus.ai/internal/business-logic/workflows/sales-orders/W147-update-sales-order)
 * gives the lifecycle Received → Entered → Shipped → Invoiced → Paid → Completed and says "Terminal
 * statuses (Paid, Rejected, Completed) accept no further transitions"; the rest of its "manual map"
 * is not published, so ours: forward along the lifecycle (steps may be skipped), Rejected only
 * before shipping, In-Dispute from Shipped or Invoiced, and out of In-Dispute to Invoiced, Paid,
 * Completed or Rejected. Setting the status an order already has is a no-op, so a retried update
 * succeeds.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  Received: ['Entered', 'Shipped', 'Invoiced', 'Paid', 'Completed', 'Rejected'],
  Entered: ['Shipped', 'Invoiced', 'Paid', 'Completed', 'Rejected'],
  Shipped: ['Invoiced', 'Paid', 'Completed', 'In-Dispute'],
  Invoiced: ['Paid', 'Completed', 'In-Dispute'],
  Paid: [],
  'In-Dispute': ['Invoiced', 'Paid', 'Completed', 'Rejected'],
  Rejected: [],
  Completed: [],
};

/** Refuses a move the table does not allow, before anything changes. */
export function checkTransition(order: SalesOrderRecord, to: OrderStatus): void {
  if (order.orderStatus === to || TRANSITIONS[order.orderStatus].includes(to)) return;
  throw new PharusApiError('invalid_transition', `Sales order ${order.soNumber} cannot move from ${order.orderStatus} to ${to}`, {
    from: order.orderStatus,
    to,
    allowed: TRANSITIONS[order.orderStatus],
  });
}

/**
 * Items lock once the order ships (W151: "Shipped lines are immutable"; E151: 409
 * `invalid_transition` when the parent order is terminal or shipped): items may be added, changed
 * or removed only while the order is Received or Entered.
 */
export function checkItemsEditable(order: SalesOrderRecord): void {
  if (order.orderStatus === 'Received' || order.orderStatus === 'Entered') return;
  throw new PharusApiError('invalid_transition', `Sales order ${order.soNumber} is ${order.orderStatus}: its items can no longer change`, { status: order.orderStatus });
}

/**
 * One line per SKU per order (W149, the L1 `UNIQUE (sales_order_id, sku_id)`; E149: 409
 * `conflict`). `field` names the body field of the line that repeats the SKU.
 */
export function checkSkuNotOnOrder(order: SalesOrderRecord, skuId: string, field: string, exceptItemId?: string): void {
  const existing = order.items.find((i) => i.skuId === skuId && i.id !== exceptItemId);
  if (existing === undefined) return;
  throw new PharusApiError('conflict', `SKU ${skuId} is already on sales order ${order.soNumber}`, { field, skuId, existingItemId: existing.id });
}

/** The same rule inside one create body: the second line naming a SKU is refused. */
export function checkDistinctSkus(skuIds: readonly string[]): void {
  const seen = new Set<string>();
  skuIds.forEach((skuId, i) => {
    if (seen.has(skuId)) throw new PharusApiError('conflict', `SKU ${skuId} appears on more than one line`, { field: `items.${i}.skuId`, skuId });
    seen.add(skuId);
  });
}

/** Moves the order and stamps the new status's timestamp (`shippedAt` …) with `at`. */
export function applyStatus(order: SalesOrderRecord, to: OrderStatus, at: Date): void {
  if (order.orderStatus === to) return;
  order.orderStatus = to;
  order[STATUS_TIMESTAMP[to]] = at;
}

/** `P` + six digits, continuing the world's order numbers (`P010003`). */
export function nextSoNumber(counter: number): string {
  return `P${String(counter).padStart(6, '0')}`;
}
