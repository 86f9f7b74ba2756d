import { randomUUID } from 'node:crypto';
import type { Purchase, PurchaseItem } from '../records.js';
import type { PurchaseItemRequest, PurchaseRequest } from '../schemas.js';
import type { DistruStore } from '../store.js';
import { WriteChecks } from './checks.js';
import type { WriteResult } from './order.js';

/**
 * Upserts a purchase order (seed 002, "Upsert a purchase order"). Only a Pending purchase may
 * change; the supplier, products, batches and locations must be this company's; every line is
 * received at the purchase's location. No sparse update.
 */
export function upsertPurchase(store: DistruStore, body: PurchaseRequest): WriteResult<Purchase> {
  const checks = new WriteChecks(store);
  const existing = body.id === undefined ? undefined : store.purchases.get(body.id);
  if (existing && existing.status !== 'PENDING') {
    checks.fail("Cannot change this PO through the Distru API because it's beyond Pending status", ['status']);
    return { ok: false, errors: checks.errors };
  }
  const purchaseId = body.id ?? randomUUID();

  // Distru checks a purchase in stages and answers with the first stage that fails: lines first,
  // then the header (seed 002: a foreign location named on both the purchase and its line is
  // reported once, at the line).
  const seen = new Set<string>();
  const items = body.items.flatMap((request, index) => {
    const item = purchaseItem(store, checks, request, index, purchaseId, seen, body.location_id ?? null);
    return item ? [item] : [];
  });
  const charges = checks.charges(body.charges, purchaseId);
  if (checks.errors.length > 0) return { ok: false, errors: checks.errors };

  const supplier = body.company_id ? store.companies.get(body.company_id) : undefined;
  if (body.company_id && (!supplier || supplier.kind === 'self')) checks.fail('The provided supplier does not exist', ['company_id']);
  checks.location(body.location_id, ['location_id'], purchaseId, true);
  checks.location(body.billing_location_id, ['billing_location_id'], purchaseId, false);
  if (checks.errors.length > 0) return { ok: false, errors: checks.errors };

  const now = store.now();
  const insertedAt = existing?.insertedAt ?? now;
  const orderAt = body.order_datetime ?? insertedAt;
  const purchase: Purchase = {
    id: purchaseId,
    number: existing?.number ?? store.nextNumber('purchase'),
    companyId: body.company_id ?? null,
    locationId: body.location_id ?? null,
    billingLocationId: body.billing_location_id ?? null,
    description: body.description ?? null,
    status: 'PENDING',
    orderAt,
    // Every recorded purchase has a due date: without one, it is due when placed.
    dueAt: body.due_datetime ?? orderAt,
    insertedAt,
    updatedAt: now,
    items,
    charges,
  };
  store.putPurchase(purchase);
  return { ok: true, record: purchase };
}

/** One purchase line; like order lines, a product with exactly one batch gets that batch. */
function purchaseItem(store: DistruStore, checks: WriteChecks, request: PurchaseItemRequest, index: number, purchaseId: string, seen: Set<string>, purchaseLocationId: string | null): PurchaseItem | null {
  const at = (field: string) => ['items', index, field];
  const id = checks.lineId(request.id, store.purchaseItemOwner, purchaseId, seen, at('id'));
  const batch = request.batch_id ? checks.batch(request.batch_id, at('batch_id'), at('product_id'), id) : null;
  const productId = request.product_id ?? batch?.productId ?? null;
  if (productId === null && !request.batch_id) checks.fail("can't be blank", at('product_id'));
  const product = productId === null ? null : checks.product(productId, at('product_id'), id);
  if (batch && product && batch.productId !== product.id) checks.fail('Does not match the product', at('batch_id'));
  const itemLocation = checks.location(request.location_id, at('location_id'), id, true);
  if (itemLocation && purchaseLocationId !== null && itemLocation.id !== purchaseLocationId) {
    checks.fail('Purchase item delivery location must be the same as purchase delivery location.', at('location_id'), { id });
  }
  checks.positive(request.quantity, at('quantity'));
  checks.notNegative(request.price, at('price'));
  if (!product) return null;
  const previous = store.purchases.get(purchaseId)?.items.find((item) => item.id === id);
  return {
    id,
    productId: product.id,
    batchId: batch?.id ?? (product.batchIds.length === 1 ? (product.batchIds[0] ?? null) : null),
    locationId: request.location_id ?? purchaseLocationId,
    price: request.price,
    quantity: request.quantity,
    receivedQuantity: previous?.receivedQuantity ?? 0n,
  };
}
