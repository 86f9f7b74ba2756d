import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { notFound } from '../errors.js';
import { body, created, ok, params, query, route } from '../http.js';
import { toPage } from '../paging.js';
import { FULFILLMENT_STATUSES, ORDER_STATUSES, STATUS_TIMESTAMP, type SalesOrderItemRecord, type SalesOrderRecord, type TimelineNoteRecord } from '../records.js';
import { applyStatus, checkDistinctSkus, checkItemsEditable, checkSkuNotOnOrder, checkTransition, nextSoNumber } from '../sales-orders.js';
import { idParams, salesOrderCreate, salesOrderItemCreate, salesOrderItemUpdate, salesOrderListQuery, salesOrderUpdate, timelineNoteCreate } from '../schemas.js';
import { salesOrderDetailJson, salesOrderItemJson, salesOrderJson, timelineNoteJson } from '../serialize.js';
import type { PharusStore } from '../store.js';
import { runImport } from './bulk.js';
import { assignDefined, pageArgs, pathRecord, referenced, referencedOptional } from './common.js';

type OrderInput = z.output<typeof salesOrderCreate>;
type OrderPatch = z.output<typeof salesOrderUpdate>;
type ItemInput = z.output<typeof salesOrderItemCreate>;

/**
 * Document 001, "SalesOrders": orders, their items and timeline notes, order channels (see
 * lookups.ts) and the status enums. Lists come in `soNumber` order. Every id a body names is checked
 * before anything changes, so a refused write leaves the order as it was.
 */
export function registerSalesOrderRoutes(app: FastifyInstance, store: PharusStore): void {
  const orgId = store.orgId;

  route(app, 'GET', '/sales-orders', (request) => {
    const q = query(request, salesOrderListQuery);
    return ok(toPage('sales-orders', store.salesOrders.page(pageArgs('sales-orders', q)), (o) => salesOrderJson(orgId, o)));
  });

  route(app, 'POST', '/sales-orders', (request) => created(salesOrderDetailJson(orgId, createOrder(store, body(request, salesOrderCreate)))));

  route(app, 'POST', '/sales-orders/import', (request) => runImport(request, salesOrderCreate, (row) => createOrder(store, row).id));

  route(app, 'GET', '/sales-orders/:id', (request) => ok(salesOrderDetailJson(orgId, pathRecord(request, store.salesOrders, 'Sales order'))));

  route(app, 'PATCH', '/sales-orders/:id', (request) => {
    const order = pathRecord(request, store.salesOrders, 'Sales order');
    const patch = body(request, salesOrderUpdate);
    checkOrderReferences(store, patch);
    if (patch.status !== undefined) checkTransition(order, patch.status);
    applyOrderPatch(order, patch, new Date());
    return ok(salesOrderJson(orgId, order));
  });

  route(app, 'DELETE', '/sales-orders/:id', (request) => {
    const order = pathRecord(request, store.salesOrders, 'Sales order');
    for (const item of order.items) store.salesOrderItems.delete(item.id);
    for (const note of [...store.timelineNotes.values()]) if (note.salesOrderId === order.id) store.timelineNotes.delete(note.id);
    store.salesOrders.remove(order.id);
    return ok({ deletedId: order.id });
  });

  route(app, 'GET', '/sales-orders/:id/items', (request) => {
    const order = pathRecord(request, store.salesOrders, 'Sales order');
    return ok({ data: order.items.map((i) => salesOrderItemJson(orgId, i)) });
  });

  route(app, 'POST', '/sales-orders/:id/items', (request) => {
    const order = pathRecord(request, store.salesOrders, 'Sales order');
    const input = body(request, salesOrderItemCreate);
    checkItemsEditable(order);
    const item = newItem(store, order.id, input);
    checkSkuNotOnOrder(order, item.skuId, 'skuId');
    order.items.push(item);
    store.salesOrderItems.set(item.id, item);
    order.updatedAt = new Date();
    return created(salesOrderItemJson(orgId, item));
  });

  route(app, 'PATCH', '/sales-order-items/:id', (request) => {
    const { item, order } = itemAt(store, request);
    const patch = body(request, salesOrderItemUpdate);
    checkItemsEditable(order);
    if (patch.skuId !== undefined) referenced(store.skus, 'SKU', patch.skuId, 'skuId');
    if (patch.skuId !== undefined) checkSkuNotOnOrder(order, patch.skuId, 'skuId', item.id);
    if (patch.skuId !== undefined) item.skuId = patch.skuId;
    if (patch.quantity !== undefined) item.quantity = patch.quantity;
    if (patch.unitPrice !== undefined) item.unitPrice = patch.unitPrice;
    order.updatedAt = new Date();
    return ok(salesOrderItemJson(orgId, item));
  });

  route(app, 'DELETE', '/sales-order-items/:id', (request) => {
    const { item, order } = itemAt(store, request);
    checkItemsEditable(order);
    order.items = order.items.filter((i) => i.id !== item.id);
    store.salesOrderItems.delete(item.id);
    order.updatedAt = new Date();
    return ok({ deletedId: item.id });
  });

  route(app, 'GET', '/sales-orders/:id/notes', (request) => {
    const order = pathRecord(request, store.salesOrders, 'Sales order');
    const notes = [...store.timelineNotes.values()].filter((n) => n.salesOrderId === order.id);
    return ok({ data: notes.map((n) => timelineNoteJson(orgId, n)) });
  });

  route(app, 'POST', '/sales-orders/:id/notes', (request) => {
    const order = pathRecord(request, store.salesOrders, 'Sales order');
    const input = body(request, timelineNoteCreate);
    const note: TimelineNoteRecord = { id: randomUUID(), salesOrderId: order.id, orderStatus: input.statusAtTime ?? order.orderStatus, note: input.body, createdAt: new Date() };
    store.timelineNotes.set(note.id, note);
    return created(timelineNoteJson(orgId, note));
  });

  route(app, 'DELETE', '/sales-order-notes/:id', (request) => {
    const { id } = params(request, idParams);
    if (!store.timelineNotes.delete(id)) throw notFound('Timeline note', id);
    return ok({ deletedId: id });
  });

  route(app, 'GET', '/order-statuses', () => ok({ data: ORDER_STATUSES }));
  route(app, 'GET', '/fulfillment-statuses', () => ok({ data: FULFILLMENT_STATUSES }));
}

function itemAt(store: PharusStore, request: FastifyRequest): { item: SalesOrderItemRecord; order: SalesOrderRecord } {
  const { id } = params(request, idParams);
  const item = store.salesOrderItems.get(id);
  const order = item === undefined ? undefined : store.salesOrders.get(item.salesOrderId);
  if (item === undefined || order === undefined) throw notFound('Sales order item', id);
  return { item, order };
}

function checkOrderReferences(store: PharusStore, input: Partial<Pick<OrderInput, 'customerId' | 'channelId' | 'fulfillmentLocationId' | 'brokerId'>>): void {
  if (input.customerId !== undefined) referenced(store.customers, 'Customer', input.customerId, 'customerId');
  if (input.channelId !== undefined) referenced(store.lookups.orderChannels, 'Order channel', input.channelId, 'channelId');
  referencedOptional(store.locations, 'Location', input.fulfillmentLocationId, 'fulfillmentLocationId');
  referencedOptional(store.lookups.brokers, 'Broker', input.brokerId, 'brokerId');
}

/** A new item; its price defaults to the SKU's list price. Checks the SKU, changes nothing. */
function newItem(store: PharusStore, salesOrderId: string, input: ItemInput, field = 'skuId'): SalesOrderItemRecord {
  const sku = referenced(store.skus, 'SKU', input.skuId, field);
  return { id: randomUUID(), salesOrderId, skuId: sku.id, quantity: input.quantity, unitPrice: input.unitPrice ?? sku.listPrice };
}

function createOrder(store: PharusStore, input: OrderInput): SalesOrderRecord {
  checkOrderReferences(store, input);
  const id = randomUUID();
  // Every item is checked before the order exists, so a bad item creates nothing.
  const items = input.items.map((item, i) => newItem(store, id, item, `items.${i}.skuId`));
  checkDistinctSkus(items.map((i) => i.skuId));
  const now = new Date();
  const order: SalesOrderRecord = {
    id,
    soNumber: nextSoNumber(store.nextSoNumber),
    customerId: input.customerId,
    orderChannelId: input.channelId,
    orderStatus: input.status,
    fulfillmentStatus: input.fulfillmentStatus,
    fulfillmentLocationId: input.fulfillmentLocationId ?? null,
    brokerId: input.brokerId ?? null,
    brokerFeePercent: input.brokerFeePercent ?? null,
    brokerFees: input.brokerFees ?? 0,
    fulfillmentCosts: input.fulfillmentCosts ?? 0,
    freightCosts: input.freightCosts ?? 0,
    promoCosts: input.promoCosts ?? 0,
    otherCosts: input.otherCosts ?? 0,
    mabd: input.mabd.toISOString().slice(0, 10),
    placedAt: now,
    receivedAt: null,
    enteredAt: null,
    shippedAt: null,
    invoicedAt: null,
    paidAt: null,
    rejectedAt: null,
    inDisputeAt: null,
    completedAt: null,
    notes: input.notes ?? null,
    qboId: input.qboId ?? null,
    createdAt: now,
    updatedAt: now,
    items,
  };
  order[STATUS_TIMESTAMP[input.status]] = now;
  store.nextSoNumber++;
  store.salesOrders.insert(order);
  for (const item of items) store.salesOrderItems.set(item.id, item);
  return order;
}

/** Applies a checked PATCH; explicit timestamps in the body win over the one a status change stamps. */
function applyOrderPatch(order: SalesOrderRecord, patch: OrderPatch, now: Date): void {
  const { status, customerId, channelId, mabd, placedAt, ...rest } = patch;
  if (status !== undefined) applyStatus(order, status, now);
  if (customerId !== undefined) order.customerId = customerId;
  if (channelId !== undefined) order.orderChannelId = channelId;
  if (mabd !== undefined) order.mabd = mabd.toISOString().slice(0, 10);
  if (placedAt !== undefined) order.placedAt = placedAt;
  assignDefined(order, rest);
  order.updatedAt = now;
}
