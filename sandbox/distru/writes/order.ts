import { randomUUID } from 'node:crypto';
import { formatShort, percentOf, type Decimal } from '../decimal.js';
import type { DistruErrorEntry } from '../errors.js';
import type { Order, OrderItem, Product } from '../records.js';
import type { OrderItemRequest, OrderRequest } from '../schemas.js';
import type { DistruStore } from '../store.js';
import { WriteChecks } from './checks.js';

export type WriteResult<T> = { ok: true; record: T } | { ok: false; errors: DistruErrorEntry[] };

/** price_base less the best-fit price tier: the one with the highest minimum the quantity reaches (seed 002). */
export function tierPrice(product: Product, priceBase: Decimal, quantity: Decimal): Decimal {
  let best: Product['priceTiers'][number] | undefined;
  for (const tier of product.priceTiers) if (quantity >= tier.minQuantity && (!best || tier.minQuantity > best.minQuantity)) best = tier;
  return best ? priceBase - percentOf(priceBase, best.percentOff) : priceBase;
}

/**
 * Upserts a sales order (seed 002, "Upsert an order"): an existing id updates, any other id (or
 * none) creates. No sparse update: items and charges not sent are deleted, absent fields cleared.
 * Everything is checked before anything is written.
 */
export function upsertOrder(store: DistruStore, body: OrderRequest): WriteResult<Order> {
  const checks = new WriteChecks(store);
  const existing = body.id === undefined ? undefined : store.orders.get(body.id);
  const orderId = body.id ?? randomUUID();

  if (body.company_id && !store.companies.has(body.company_id)) checks.fail('The provided customer does not exist', ['company_id']);
  if (body.company_id === store.self.id) checks.fail('The provided customer does not exist', ['company_id']);
  checks.location(body.billing_location_id, ['billing_location_id'], orderId, false);
  checks.location(body.shipping_location_id, ['shipping_location_id'], orderId, false);

  const seen = new Set<string>();
  const items = body.items.map((request, index) => orderItem(store, checks, request, index, orderId, seen));
  const charges = checks.charges(body.charges, orderId);

  for (const item of items) {
    if (!item) continue;
    const invoiced = store.invoicedQuantity(orderId, item.record.id, null);
    if (item.record.quantity < invoiced) checks.fail(`Must be greater than or equal to ${formatShort(invoiced)} (already invoiced)`, ['items', item.index, 'quantity']);
  }
  for (const old of existing?.items ?? []) {
    if (!seen.has(old.id) && store.invoicedQuantity(orderId, old.id, null) > 0n) checks.fail('Cannot delete an order item that has been invoiced', ['items'], { id: old.id });
  }
  if (checks.errors.length > 0) return { ok: false, errors: checks.errors };

  const now = store.now();
  const insertedAt = existing?.insertedAt ?? now;
  const orderAt = body.order_datetime ?? insertedAt;
  const order: Order = {
    id: orderId,
    number: existing?.number ?? store.nextNumber('order'),
    companyId: body.company_id ?? null,
    billingLocationId: body.billing_location_id ?? null,
    shippingLocationId: body.shipping_location_id ?? null,
    status: body.status,
    orderAt,
    // Every recorded order has a due date: without one, the order is due when placed.
    dueAt: body.due_datetime ?? orderAt,
    deliveryAt: body.delivery_datetime ?? null,
    insertedAt,
    updatedAt: now,
    externalNotes: body.external_notes ?? null,
    items: items.flatMap((item) => (item ? [item.record] : [])),
    charges,
    creatorId: existing?.creatorId ?? store.apiUser.id,
    ownerId: existing?.ownerId ?? null,
  };
  store.putOrder(order);
  return { ok: true, record: order };
}

/**
 * One order line. The product comes from `product_id`, `batch_id` or `package_id` (whichever the
 * product is tracked by); when only the product is given and it has exactly one batch, that batch
 * is used, as the recorded "product-tracked item" example shows.
 */
function orderItem(store: DistruStore, checks: WriteChecks, request: OrderItemRequest, index: number, orderId: string, seen: Set<string>): { index: number; record: OrderItem } | null {
  const at = (field: string) => ['items', index, field];
  const id = checks.lineId(request.id, store.orderItemOwner, orderId, seen, at('id'));
  const pkg = request.package_id ? checks.package(request.package_id, at('package_id'), id) : null;
  const batchId = request.batch_id ?? pkg?.batchId ?? null;
  const batch = batchId ? checks.batch(batchId, at('batch_id'), at('product_id'), id) : null;
  if (pkg && request.batch_id && pkg.batchId !== request.batch_id) checks.fail('Does not match the package', at('batch_id'));
  const productId = request.product_id ?? batch?.productId ?? null;
  if (productId === null) {
    if (!request.batch_id && !request.package_id) checks.fail("can't be blank", at('product_id'));
    return null;
  }
  const product = checks.product(productId, at('product_id'), id);
  if (batch && batch.productId !== productId) checks.fail('Does not match the product', at('batch_id'));
  checks.location(request.location_id, at('location_id'), id, true);
  checks.positive(request.quantity, at('quantity'));
  checks.notNegative(request.price_base, at('price_base'));
  if (!product) return null;
  const onlyBatch = product.batchIds.length === 1 ? (product.batchIds[0] ?? null) : null;
  return {
    index,
    record: {
      id,
      productId,
      batchId: batch?.id ?? (pkg ? null : onlyBatch),
      packageId: pkg?.id ?? null,
      locationId: request.location_id ?? null,
      priceBase: request.price_base,
      price: tierPrice(product, request.price_base, request.quantity),
      quantity: request.quantity,
      complianceQuantity: request.compliance_quantity ?? null,
    },
  };
}
