import { PharusApiError } from './errors.js';
import { STATUS_TIMESTAMP, type OrderStatus, type SalesOrderRecord } from './records.js';

/**
 * Sales order status transitions. Document 001 lists the statuses ("Received", "Entered",
 * "Shipped", "Invoiced", "Paid", "Rejected", "In-Dispute", "Completed") and the `invalid_transition`
 * code, but not the allowed moves; ours: forward along Received → Entered → Shipped → Invoiced →
 * Paid → Completed (steps may be skipped), Rejected only before shipping, In-Dispute from shipped
 * on, and out of In-Dispute back to billing, to Completed or to Rejected. Rejected and Completed
 * are final. Setting the status an order already has is a no-op, so a retried update succeeds.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  Received: ['Entered', 'Shipped', 'Invoiced', 'Paid', 'Completed', 'Rejected'],
  Entered: ['Shipped', 'Invoiced', 'Paid', 'Completed', 'Rejected'],
  Shipped: ['Invoiced', 'Paid', 'Completed', 'In-Dispute'],
  Invoiced: ['Paid', 'Completed', 'In-Dispute'],
  Paid: ['Completed', 'In-Dispute'],
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
