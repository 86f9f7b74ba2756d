import { createHash, randomUUID } from 'node:crypto';
import { opsError } from '../../errors.js';
import type { InputPath } from '../../mutations/field-path.js';
import type { InvoiceRecord, OrderRecord } from '../../model/records.js';
import type { SkuRef } from '../../model/sku.js';
import type { GatewayContext } from '../../server/context.js';
import { DistruClient, type WriteOutcome } from './client.js';
import { toInvoiceRecord, toOrderRecord, toPurchaseRecord, type DistruPurchaseLineRecord, type DistruPurchaseRecord } from './mapping.js';
import { isDistruRuntime, type DistruRuntime } from './runtime.js';
import type { DistruErrorEntry, DistruOrder } from './schemas.js';
import { matchInvoiceItem, withDeletedOffset, type ItemMatch } from './invoice-item-pointers.js';
import { CHARGE_FIELDS, linePath, refusalError, tablePath, type PathOf } from './write-errors.js';
import { forbiddenOnWrite } from '../../mutations/forbidden.js';
import type { ChargeInput, UpsertInvoiceInput, UpsertOrderInput, UpsertPurchaseInput } from './write-inputs.js';
import { vendorNotConfigured } from '../not-configured.js';
import { storeWritten } from '../../sync/store-written.js';

/**
 * Distru's writes (seed 002, "Upsert an order / an invoice / a purchase order"): one POST each.
 * opsgraph always sends an `id` — the record's own when updating, a new one when creating — so a
 * retried POST repeats the same full replacement instead of creating a second record. With an
 * idempotency key the new id is derived from the key, so even a retry after the idempotency window
 * (or from another replica) lands on the same record.
 */

/** What a write needs of the GraphQL request: the runtimes, the HTTP scope, the crosswalk. */
export type DistruWriteContext = Pick<GatewayContext, 'runtime' | 'scope' | 'crosswalk'>;

export interface DistruPurchaseLinePayload extends DistruPurchaseLineRecord {
  sku: SkuRef | null;
}
export interface DistruPurchasePayload extends Omit<DistruPurchaseRecord, 'lines'> {
  lines: DistruPurchaseLinePayload[];
}

const ROUTES = { order: 'POST /public/v1/orders', invoice: 'POST /public/v1/invoices', purchase: 'POST /public/v1/purchases' } as const;

function distruRuntimeOf(ctx: DistruWriteContext): DistruRuntime {
  const runtime = ctx.runtime.vendors.DISTRU;
  if (!runtime) throw vendorNotConfigured('DISTRU');
  if (!isDistruRuntime(runtime)) throw new TypeError('the DISTRU runtime was not made by createDistruRuntime');
  return runtime;
}

/** The id a create sends: derived from the idempotency key when there is one, else new. */
export function newRecordId(kind: keyof typeof ROUTES, idempotencyKey: string | null | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`opsgraph:distru:${kind}:${idempotencyKey}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * `id` names a record to update: one that Distru does not hold is NOT_FOUND, before anything is
 * written (Distru's upsert would quietly create it under that id). 1 call.
 */
async function assertExists(route: string, field: string, read: () => Promise<unknown>): Promise<void> {
  if ((await read()) === null) throw opsError(`${route}: ${field}: no such record in Distru`, { code: 'NOT_FOUND', vendor: 'distru', field: `input.${field}` });
}

async function send<T>(route: string, write: () => Promise<WriteOutcome<T>>): Promise<WriteOutcome<T>> {
  try {
    return await write();
  } catch (error) {
    throw forbiddenOnWrite('distru', route, error);
  }
}

/**
 * Distru product ids of the items' SKU codes (canonical or Distru's spelling, through the
 * crosswalk). A code Distru does not carry is refused on `input.items[i].skuCode` before any write.
 */
async function productIdsOf(ctx: DistruWriteContext, runtime: DistruRuntime, route: string, codes: readonly (string | null | undefined)[]): Promise<(string | null)[]> {
  const wanted = codes.map((code) => (code ? ctx.crosswalk.toVendor('DISTRU', code) : null));
  const known = await runtime.productIdsOf(wanted.flatMap((c) => (c === null ? [] : [c])), ctx.scope);
  let next = 0;
  const ids = wanted.map((code) => (code === null ? null : (known[next++] ?? null)));
  const unknown = codes.flatMap((code, i) => (code && ids[i] === null ? [i] : []));
  if (unknown.length > 0) {
    const fields = unknown.map((i) => ({ field: `input.items[${i}].skuCode`, message: `Distru has no product with SKU code "${codes[i]}"` }));
    throw opsError(`${route}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, { code: 'VALIDATION_FAILED', vendor: 'distru', field: fields[0]?.field, fields });
  }
  return ids;
}

function chargesBody(charges: readonly ChargeInput[] | null | undefined): Record<string, unknown>[] {
  return (charges ?? []).map((c) => ({
    ...(c.vendorId ? { id: c.vendorId } : {}),
    ...(c.name ? { name: c.name } : {}),
    type: c.type,
    unit_type: c.unitType,
    ...(c.unitType === 'PERCENT' ? { percent: c.percent } : { price: c.price }),
  }));
}

/** Drops absent values: Distru replaces the whole record, and an absent field is a cleared one. */
function compact(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== null));
}

const ORDER_FIELDS = {
  id: 'id',
  company_id: 'companyId',
  billing_location_id: 'billingLocationId',
  shipping_location_id: 'shippingLocationId',
  status: 'status',
  order_datetime: 'orderedAt',
  due_datetime: 'dueAt',
  delivery_datetime: 'deliveredAt',
  external_notes: 'externalNotes',
  items: 'items',
  charges: 'charges',
};
const ORDER_ITEM_FIELDS = { id: 'vendorId', product_id: 'skuCode', batch_id: 'batchId', package_id: 'packageId', location_id: 'locationId', price_base: 'unitPrice', quantity: 'quantity' };

/** Distru names the product of a line even when the caller gave its batch or package: point at what was given. */
function productField(item: { skuCode?: string | null; batchId?: string | null; packageId?: string | null } | undefined): string {
  return item?.skuCode ? 'skuCode' : item?.batchId ? 'batchId' : item?.packageId ? 'packageId' : 'skuCode';
}

export async function upsertDistruOrder(ctx: DistruWriteContext, input: UpsertOrderInput): Promise<{ order: OrderRecord }> {
  const runtime = distruRuntimeOf(ctx);
  const client = new DistruClient(runtime.http, ctx.scope);
  const productIds = await productIdsOf(ctx, runtime, ROUTES.order, input.items.map((i) => i.skuCode));
  const existing = input.id;
  if (existing) await assertExists(ROUTES.order, 'id', () => client.getOrder(existing));
  const body = compact({
    id: input.id ?? newRecordId('order', input.idempotencyKey),
    company_id: input.companyId,
    billing_location_id: input.billingLocationId,
    shipping_location_id: input.shippingLocationId,
    status: input.status,
    order_datetime: input.orderedAt,
    due_datetime: input.dueAt,
    delivery_datetime: input.deliveredAt,
    external_notes: input.externalNotes,
    items: input.items.map((item, i) =>
      compact({ id: item.vendorId, product_id: productIds[i], batch_id: item.batchId, package_id: item.packageId, location_id: item.locationId, price_base: item.unitPrice, quantity: item.quantity }),
    ),
    charges: chargesBody(input.charges),
  });
  const outcome = await send(ROUTES.order, () => client.upsertOrder(body));
  const pathOf: PathOf = tablePath(ORDER_FIELDS, {
    items: (index, field) => linePath('items', { ...ORDER_ITEM_FIELDS, product_id: productField(input.items[index]) }, index, field),
    charges: (index, field) => linePath('charges', CHARGE_FIELDS, index, field),
  });
  if (!outcome.ok) throw refusalError(ROUTES.order, outcome.errors, pathOf);
  // Open orders hold stock. A new order touches only its own products; an update may have dropped
  // lines we never saw, so every cached level goes.
  runtime.forgetStock(input.id ? null : productIdsOfOrder(outcome.record));
  return { order: await storeWritten(ctx, 'DISTRU', 'orders', toOrderRecord(outcome.record)) };
}

function productIdsOfOrder(order: DistruOrder): string[] {
  return (order.items ?? []).flatMap((item) => (item.product?.id ? [item.product.id] : []));
}

const INVOICE_FIELDS = { id: 'id', order_id: 'orderId', billing_location_id: 'billingLocationId', invoice_datetime: 'invoicedAt', due_datetime: 'dueAt', items: 'items', charges: 'charges' };
const INVOICE_ITEM_FIELDS = { id: 'vendorId', order_item_id: 'orderItemId', quantity: 'quantity' };

/**
 * Invoices hold no stock and opsgraph caches no invoice across requests: nothing to invalidate
 * (the request's loaders are cleared by runMutation, so the payload's order shows the invoice).
 */
export async function upsertDistruInvoice(ctx: DistruWriteContext, input: UpsertInvoiceInput): Promise<{ invoice: InvoiceRecord }> {
  const runtime = distruRuntimeOf(ctx);
  const client = new DistruClient(runtime.http, ctx.scope);
  const existing = input.id;
  if (existing) await assertExists(ROUTES.invoice, 'id', () => client.getInvoice(existing));
  const body = compact({
    id: input.id ?? newRecordId('invoice', input.idempotencyKey),
    order_id: input.orderId,
    billing_location_id: input.billingLocationId,
    invoice_datetime: input.invoicedAt,
    due_datetime: input.dueAt,
    items: input.items.map((item) => compact({ id: item.vendorId, order_item_id: item.orderItemId, quantity: item.quantity })),
    charges: chargesBody(input.charges),
  });
  const outcome = await send(ROUTES.invoice, () => client.upsertInvoice(body));
  if (outcome.ok) return { invoice: await storeWritten(ctx, 'DISTRU', 'invoices', toInvoiceRecord(outcome.record)) };

  // Which request item each item error names: the rule and its evidence are in invoice-item-pointers.ts.
  const matches = new Map<DistruErrorEntry, ItemMatch>();
  for (const error of outcome.errors) if (error.pointer?.[0] === 'items') matches.set(error, matchInvoiceItem(error, input.items, Boolean(input.id)));
  const invoiceId = input.id;
  if (invoiceId && [...matches.values()].some((m) => m.kind === 'needs-offset')) {
    // Only when an index fits nothing else: read the unchanged invoice once for the items the update deletes.
    const kept = new Set(input.items.flatMap((item) => (item.vendorId ? [item.vendorId] : [])));
    const before = await client.getInvoice(invoiceId);
    const deleted = (before?.items ?? []).filter((item) => !item.id || !kept.has(item.id)).length;
    for (const [error, match] of matches) if (match.kind === 'needs-offset') matches.set(error, withDeletedOffset(match.pointerIndex, deleted, input.items));
  }
  const pathOf: PathOf = tablePath(INVOICE_FIELDS, {
    items: (_index, field, error): InputPath | null => {
      const match = matches.get(error);
      return match?.kind === 'item' ? linePath('items', INVOICE_ITEM_FIELDS, match.index, field) : ['items'];
    },
    charges: (index, field) => linePath('charges', CHARGE_FIELDS, index, field),
  });
  throw refusalError(ROUTES.invoice, outcome.errors, pathOf);
}

const PURCHASE_FIELDS = {
  id: 'vendorId',
  // "Cannot change this PO … beyond Pending status" points at the purchase's status: the purchase named by vendorId.
  status: 'vendorId',
  company_id: 'supplierId',
  location_id: 'locationId',
  billing_location_id: 'billingLocationId',
  description: 'description',
  order_datetime: 'orderedAt',
  due_datetime: 'dueAt',
  items: 'items',
  charges: 'charges',
};
const PURCHASE_ITEM_FIELDS = { id: 'vendorId', product_id: 'skuCode', batch_id: 'batchId', location_id: 'locationId', price: 'unitPrice', quantity: 'quantity' };

/** A new purchase is Pending and receives nothing yet: no stock moves, nothing to invalidate. */
export async function upsertDistruPurchase(ctx: DistruWriteContext, input: UpsertPurchaseInput): Promise<{ purchase: DistruPurchasePayload }> {
  const runtime = distruRuntimeOf(ctx);
  const productIds = await productIdsOf(ctx, runtime, ROUTES.purchase, input.items.map((i) => i.skuCode));
  const body = compact({
    id: input.vendorId ?? newRecordId('purchase', input.idempotencyKey),
    company_id: input.supplierId,
    location_id: input.locationId,
    billing_location_id: input.billingLocationId,
    description: input.description,
    order_datetime: input.orderedAt,
    due_datetime: input.dueAt,
    items: input.items.map((item, i) => compact({ id: item.vendorId, product_id: productIds[i], batch_id: item.batchId, location_id: item.locationId, price: item.unitPrice, quantity: item.quantity })),
    charges: chargesBody(input.charges),
  });
  const outcome = await send(ROUTES.purchase, () => new DistruClient(runtime.http, ctx.scope).upsertPurchase(body));
  const pathOf: PathOf = tablePath(PURCHASE_FIELDS, {
    items: (index, field) => linePath('items', { ...PURCHASE_ITEM_FIELDS, product_id: productField(input.items[index]) }, index, field),
    charges: (index, field) => linePath('charges', CHARGE_FIELDS, index, field),
  });
  if (!outcome.ok) throw refusalError(ROUTES.purchase, outcome.errors, pathOf);
  const record = await storeWritten(ctx, 'DISTRU', 'purchases', toPurchaseRecord(outcome.record));
  return {
    purchase: {
      ...record,
      lines: record.lines.map((line) => ({ ...line, sku: line.vendorSkuCode === null ? null : { code: ctx.crosswalk.toCanonical('DISTRU', line.vendorSkuCode), knownName: line.productName } })),
    },
  };
}
