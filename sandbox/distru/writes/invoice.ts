import { randomUUID } from 'node:crypto';
import { formatShort } from '../decimal.js';
import type { Invoice, InvoiceItem } from '../records.js';
import type { InvoiceRequest } from '../schemas.js';
import type { DistruStore } from '../store.js';
import { WriteChecks } from './checks.js';
import type { WriteResult } from './order.js';

/**
 * Upserts an invoice of one sales order (seed 002, "Upsert an invoice"). Items bill order items of
 * that order, each at most what is left uninvoiced ("Only N left uninvoiced"); no sparse update.
 */
export function upsertInvoice(store: DistruStore, body: InvoiceRequest): WriteResult<Invoice> {
  const checks = new WriteChecks(store);
  const existing = body.id === undefined ? undefined : store.invoices.get(body.id);
  const invoiceId = body.id ?? randomUUID();

  const orderId = body.order_id ?? existing?.orderId;
  const order = orderId === undefined ? undefined : store.orders.get(orderId);
  if (orderId === undefined) checks.fail("can't be blank", ['order_id']);
  else if (!order) checks.fail('Order not found', ['order_id']);
  else if (existing && existing.orderId !== orderId) checks.fail('Cannot move an invoice to another order', ['order_id']);
  checks.location(body.billing_location_id, ['billing_location_id'], invoiceId, false);
  const charges = checks.charges(body.charges, invoiceId);

  // Distru reports item errors after the existing items the update deletes: an update that drops
  // two items and sends two new ones points at items 2 and 3 (seed 002, the recorded error example).
  const seen = new Set<string>();
  const kept = new Set(body.items.flatMap((item) => (item.id === undefined ? [] : [item.id])));
  const offset = existing ? existing.items.filter((item) => !kept.has(item.id)).length : 0;
  const billedHere = new Map<string, bigint>();
  const items: InvoiceItem[] = [];
  body.items.forEach((request, index) => {
    const at = (field: string) => ['items', index + offset, field];
    const id = checks.lineId(request.id, store.invoiceItemOwner, invoiceId, seen, at('id'));
    checks.positive(request.quantity, at('quantity'));
    const orderItem = order?.items.find((item) => item.id === request.order_item_id);
    if (!order) return;
    if (!orderItem) {
      checks.fail('Order item not found', at('order_item_id'));
      return;
    }
    const before = billedHere.get(orderItem.id) ?? 0n;
    const left = orderItem.quantity - store.invoicedQuantity(order.id, orderItem.id, existing ? invoiceId : null) - before;
    if (request.quantity > left) checks.fail(`Only ${formatShort(left > 0n ? left : 0n)} left uninvoiced`, at('quantity'));
    billedHere.set(orderItem.id, before + request.quantity);
    items.push({ id, orderItemId: orderItem.id, quantity: request.quantity });
  });
  if (checks.errors.length > 0 || !order) return { ok: false, errors: checks.errors };

  const now = store.now();
  const insertedAt = existing?.insertedAt ?? now;
  const invoiceAt = body.invoice_datetime ?? insertedAt;
  const invoice: Invoice = {
    id: invoiceId,
    number: existing?.number ?? store.nextNumber('invoice'),
    orderId: order.id,
    status: existing?.status ?? 'NOT_PAID',
    billingLocationId: body.billing_location_id ?? null,
    invoiceAt,
    // Every recorded invoice has a due date: without one, the invoice is due on its date.
    dueAt: body.due_datetime ?? invoiceAt,
    insertedAt,
    updatedAt: now,
    items,
    charges,
    creatorId: existing?.creatorId ?? store.apiUser.id,
    ownerId: existing?.ownerId ?? null,
  };
  store.putInvoice(invoice);
  return { ok: true, record: invoice };
}
