import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { pharusId, startPharusSandbox, type PharusStore } from '../../sandbox/pharus/index.js';
import { generateWorld, type WorldOrder } from '../../sandbox/world/index.js';
import {
  NO_SUCH_ID,
  PharusTestClient,
  customerSchema,
  deletedSchema,
  first,
  importSchema,
  issuesSchema,
  listOf,
  locationSchema,
  lookupSchema,
  pageOf,
  referenceDetails,
  salesOrderDetailSchema,
  salesOrderItemSchema,
  salesOrderSchema,
  skuSchema,
  timelineNoteSchema,
} from './pharus-helpers.js';

// Pharus sales orders over real loopback HTTP: the world's Pharus orders, their items, status
// transitions, and that every refused write leaves the order as it was.

const world = generateWorld({ scale: 0.2 });
let sandbox: SandboxHandle<PharusStore>;
const api = new PharusTestClient(() => sandbox);

beforeAll(async () => {
  sandbox = await startPharusSandbox({ port: 0, world });
});
afterAll(() => sandbox.close());

const pharusOrders = world.orders.filter((o) => o.vendor === 'pharus');
const worldOrder = (key: string): WorldOrder => {
  const order = world.orderByKey.get(key);
  if (order === undefined) throw new Error(`no world order ${key}`);
  return order;
};
const detail = (id: string) => api.get(salesOrderDetailSchema, `/sales-orders/${id}`);

/** What a new order needs: a customer, a channel, a location and two SKUs. */
async function fixtures() {
  const customer = first((await api.get(pageOf(customerSchema), '/customers?limit=1')).data);
  const channel = first((await api.get(listOf(lookupSchema), '/order-channels')).data);
  const location = first((await api.get(listOf(locationSchema), '/locations')).data);
  const [sku1, sku2] = (await api.get(pageOf(skuSchema), '/skus?limit=2')).data;
  if (sku1 === undefined || sku2 === undefined) throw new Error('need two SKUs');
  return { customer, channel, location, sku1, sku2 };
}

async function newOrder(status = 'Received', items: { skuId: string; quantity: number; unitPrice?: number }[] = []) {
  const f = await fixtures();
  return api.ok(salesOrderDetailSchema, 'POST', '/sales-orders', { customerId: f.customer.id, channelId: f.channel.id, status, fulfillmentStatus: 'Pending', mabd: '2026-07-01', items }, 201);
}

describe('sales orders from the world', () => {
  it('lists every Pharus world order once, in order-number order', async () => {
    const rows = await api.readAll(salesOrderSchema, '/sales-orders', 40, (o) => o.id);
    expect(rows.map((o) => o.soNumber)).toEqual(pharusOrders.map((o) => o.number).sort());
    expect(new Set(rows.map((o) => o.id))).toEqual(new Set(pharusOrders.map((o) => pharusId('sales-order', o.key))));
  });

  it('serves the fifty-line showcase order with its lines: Pharus SKU codes, quantities and prices', async () => {
    const order = worldOrder(world.showcase.pharus.fiftyLines);
    const body = await detail(pharusId('sales-order', order.key));
    expect(body.salesOrder.soNumber).toBe(order.number);
    expect(body.salesOrder.customerId).toBe(pharusId('customer', order.customerKey));
    expect(body.salesOrder.mabd).toBe(order.dueAt.toISOString().slice(0, 10));
    expect(body.items.length).toBe(50);
    const skuCodes = new Map(sandbox.store.skus.all().map((s) => [s.id, s.skuCode]));
    expect(body.items.map((i) => ({ code: skuCodes.get(i.skuId), quantity: i.quantity, unitPrice: i.unitPrice }))).toEqual(
      order.lines.map((l) => ({ code: world.skuByCode.get(l.skuCode)?.vendorCodes.pharus, quantity: l.quantity, unitPrice: l.unitPrice })),
    );
    const items = await api.get(listOf(salesOrderItemSchema), `/sales-orders/${body.salesOrder.id}/items`);
    expect(items.data).toEqual(body.items);
  });

  it('maps world statuses to Pharus statuses with their timestamps', async () => {
    const expected: Record<string, [string, string]> = {
      draft: ['Received', 'receivedAt'],
      open: ['Entered', 'enteredAt'],
      fulfilled: ['Shipped', 'shippedAt'],
      invoiced: ['Invoiced', 'invoicedAt'],
      closed: ['Completed', 'completedAt'],
      cancelled: ['Rejected', 'rejectedAt'],
    };
    const present = Object.entries(expected).filter(([status]) => pharusOrders.some((o) => o.status === status));
    expect(present.length).toBeGreaterThanOrEqual(5);
    for (const [status, [pharusStatus, stampField]] of present) {
      const order = first(pharusOrders.filter((o) => o.status === status));
      const { salesOrder } = await detail(pharusId('sales-order', order.key));
      expect(salesOrder.orderStatus, status).toBe(pharusStatus);
      expect(z.record(z.string(), z.unknown()).parse(salesOrder)[stampField], status).not.toBeNull();
      expect(salesOrder.placedAt).toBe(order.orderedAt.toISOString());
    }
  });
});

describe('creating sales orders', () => {
  it('creates an order with items that reads back and joins the list', async () => {
    const f = await fixtures();
    const count = sandbox.store.salesOrders.size;
    const created = await newOrder('Received', [
      { skuId: f.sku1.id, quantity: 3, unitPrice: 9.5 },
      { skuId: f.sku2.id, quantity: 1 },
    ]);
    expect(created.salesOrder).toMatchObject({ orderStatus: 'Received', fulfillmentStatus: 'Pending', mabd: '2026-07-01', brokerFees: '0.00' });
    expect(created.salesOrder.receivedAt).not.toBeNull();
    expect(created.items.map((i) => [i.skuId, i.quantity, i.unitPrice])).toEqual([
      [f.sku1.id, 3, '9.50'],
      [f.sku2.id, 1, world.skuByCode.get(sandbox.store.skus.get(f.sku2.id)?.skuCode ?? '')?.unitPrice ?? 'list price'],
    ]);
    expect(await detail(created.salesOrder.id)).toEqual(created);
    expect(sandbox.store.salesOrders.size).toBe(count + 1);
    const last = await api.readAll(salesOrderSchema, '/sales-orders', 500, (o) => o.id);
    expect(last.at(-1)?.id).toBe(created.salesOrder.id);
    expect(created.salesOrder.soNumber > (pharusOrders.map((o) => o.number).sort().at(-1) ?? '')).toBe(true);
  });

  it('refuses an order with an unknown SKU in its items, creating nothing', async () => {
    const f = await fixtures();
    const count = sandbox.store.salesOrders.size;
    const items = sandbox.store.salesOrderItems.size;
    const error = await api.fails(404, 'POST', '/sales-orders', {
      customerId: f.customer.id,
      channelId: f.channel.id,
      status: 'Received',
      fulfillmentStatus: 'Pending',
      mabd: '2026-07-01',
      items: [{ skuId: f.sku1.id, quantity: 1 }, { skuId: NO_SUCH_ID, quantity: 1 }],
    });
    expect(referenceDetails.parse(error.details)).toEqual({ field: 'items.1.skuId', id: NO_SUCH_ID });
    expect(sandbox.store.salesOrders.size).toBe(count);
    expect(sandbox.store.salesOrderItems.size).toBe(items);
  });

  it('refuses invalid bodies: missing fields, bad enums, fractional quantities, bad dates', async () => {
    const f = await fixtures();
    const count = sandbox.store.salesOrders.size;
    const error = await api.fails(422, 'POST', '/sales-orders', {
      customerId: f.customer.id,
      channelId: 'channel-1',
      status: 'Open',
      fulfillmentStatus: 'Pending',
      mabd: 'next tuesday',
      items: [{ skuId: f.sku1.id, quantity: 1.5 }],
      freightCosts: -1,
    });
    expect(error.code).toBe('validation_failed');
    expect(issuesSchema.parse(error.details).issues.map((i) => i.path).sort()).toEqual(['channelId', 'freightCosts', 'items.0.quantity', 'mabd', 'status']);
    expect(sandbox.store.salesOrders.size).toBe(count);
  });

  it('bulk-imports orders row by row', async () => {
    const f = await fixtures();
    const row = { customerId: f.customer.id, channelId: f.channel.id, status: 'Entered', fulfillmentStatus: 'Pending', mabd: '2026-08-01', items: [{ skuId: f.sku1.id, quantity: 2 }] };
    const count = sandbox.store.salesOrders.size;
    const result = await api.ok(importSchema, 'POST', '/sales-orders/import', { rows: [row, { ...row, customerId: NO_SUCH_ID }, { ...row, status: 'Nope' }] });
    expect(result.results.map((r) => (r.status === 'failed' ? r.error.code : r.status))).toEqual(['created', 'not_found', 'validation_failed']);
    expect(sandbox.store.salesOrders.size).toBe(count + 1);
    expect((await detail(first(result.ids))).items.length).toBe(1);
  });
});

describe('updating sales orders', () => {
  it('moves an order forward and stamps the new status', async () => {
    const { salesOrder } = await newOrder('Entered');
    const shipped = await api.ok(salesOrderSchema, 'PATCH', `/sales-orders/${salesOrder.id}`, { status: 'Shipped', fulfillmentStatus: 'Fulfilled', freightCosts: 12.5 });
    expect(shipped).toMatchObject({ orderStatus: 'Shipped', fulfillmentStatus: 'Fulfilled', freightCosts: '12.50' });
    expect(shipped.shippedAt).not.toBeNull();
    expect((await detail(salesOrder.id)).salesOrder).toEqual(shipped);
  });

  it('keeps an explicit timestamp given with a status change', async () => {
    const { salesOrder } = await newOrder('Entered');
    const shipped = await api.ok(salesOrderSchema, 'PATCH', `/sales-orders/${salesOrder.id}`, { status: 'Shipped', shippedAt: '2026-05-30T08:00:00Z' });
    expect(shipped.shippedAt).toBe('2026-05-30T08:00:00.000Z');
  });

  it('refuses a move the transition table forbids with invalid_transition, changing nothing', async () => {
    const { salesOrder } = await newOrder('Entered');
    await api.ok(salesOrderSchema, 'PATCH', `/sales-orders/${salesOrder.id}`, { status: 'Completed' });
    const before = await detail(salesOrder.id);
    const error = await api.fails(409, 'PATCH', `/sales-orders/${salesOrder.id}`, { status: 'Received', notes: 'should not stick' });
    expect(error.code).toBe('invalid_transition');
    expect(error.details).toEqual({ from: 'Completed', to: 'Received', allowed: [] });
    expect(await detail(salesOrder.id)).toEqual(before);
    const shipped = await newOrder('Shipped');
    expect((await api.fails(409, 'PATCH', `/sales-orders/${shipped.salesOrder.id}`, { status: 'Rejected' })).code).toBe('invalid_transition');
  });

  it('treats Paid, Rejected and Completed as terminal (W147): no further transition', async () => {
    for (const terminal of ['Paid', 'Rejected', 'Completed']) {
      const { salesOrder } = await newOrder(terminal);
      for (const to of ['Completed', 'In-Dispute', 'Invoiced']) {
        if (to === terminal) continue;
        const error = await api.fails(409, 'PATCH', `/sales-orders/${salesOrder.id}`, { status: to });
        expect(error.code).toBe('invalid_transition');
        expect(error.details).toEqual({ from: terminal, to, allowed: [] });
      }
    }
  });

  it('accepts setting the current status again (a retried update)', async () => {
    const { salesOrder } = await newOrder('Invoiced');
    const again = await api.ok(salesOrderSchema, 'PATCH', `/sales-orders/${salesOrder.id}`, { status: 'Invoiced' });
    expect(again.invoicedAt).toBe(salesOrder.invoicedAt);
  });

  it('refuses an unknown customer or a wrong type without changing anything', async () => {
    const { salesOrder } = await newOrder();
    const before = await detail(salesOrder.id);
    const unknown = await api.fails(404, 'PATCH', `/sales-orders/${salesOrder.id}`, { customerId: NO_SUCH_ID, notes: 'x' });
    expect(referenceDetails.parse(unknown.details).field).toBe('customerId');
    await api.fails(422, 'PATCH', `/sales-orders/${salesOrder.id}`, { notes: 42 });
    await api.fails(422, 'PATCH', '/sales-orders/not-a-uuid', { notes: 'x' });
    await api.fails(404, 'PATCH', `/sales-orders/${NO_SUCH_ID}`, { notes: 'x' });
    expect(await detail(salesOrder.id)).toEqual(before);
  });

  it('deletes an order with its items', async () => {
    const f = await fixtures();
    const { salesOrder, items } = await newOrder('Received', [{ skuId: f.sku1.id, quantity: 1 }]);
    expect(await api.ok(deletedSchema, 'DELETE', `/sales-orders/${salesOrder.id}`)).toEqual({ deletedId: salesOrder.id });
    await api.fails(404, 'GET', `/sales-orders/${salesOrder.id}`);
    await api.fails(404, 'PATCH', `/sales-order-items/${first(items).id}`, { quantity: 2 });
  });
});

describe('sales order items', () => {
  it('adds, updates and removes an item, each visible in the order', async () => {
    const f = await fixtures();
    const { salesOrder } = await newOrder();
    const added = await api.ok(salesOrderItemSchema, 'POST', `/sales-orders/${salesOrder.id}/items`, { skuId: f.sku1.id, quantity: 4, unitPrice: 3 }, 201);
    expect(added).toMatchObject({ salesOrderId: salesOrder.id, skuId: f.sku1.id, quantity: 4, unitPrice: '3.00' });
    expect((await detail(salesOrder.id)).items).toEqual([added]);
    const updated = await api.ok(salesOrderItemSchema, 'PATCH', `/sales-order-items/${added.id}`, { quantity: 6, skuId: f.sku2.id });
    expect(updated).toMatchObject({ quantity: 6, skuId: f.sku2.id, unitPrice: '3.00' });
    expect((await detail(salesOrder.id)).items).toEqual([updated]);
    expect(await api.ok(deletedSchema, 'DELETE', `/sales-order-items/${added.id}`)).toEqual({ deletedId: added.id });
    expect((await detail(salesOrder.id)).items).toEqual([]);
    await api.fails(404, 'DELETE', `/sales-order-items/${added.id}`);
  });

  it('refuses a bad item write without changing the order', async () => {
    const f = await fixtures();
    const { salesOrder, items } = await newOrder('Received', [{ skuId: f.sku1.id, quantity: 2 }]);
    const item = first(items);
    await api.fails(422, 'POST', `/sales-orders/${salesOrder.id}/items`, { skuId: f.sku1.id, quantity: 0 });
    await api.fails(404, 'POST', `/sales-orders/${salesOrder.id}/items`, { skuId: NO_SUCH_ID, quantity: 1 });
    await api.fails(404, 'POST', `/sales-orders/${NO_SUCH_ID}/items`, { skuId: f.sku1.id, quantity: 1 });
    await api.fails(422, 'PATCH', `/sales-order-items/${item.id}`, { quantity: -1 });
    await api.fails(422, 'PATCH', `/sales-order-items/${item.id}`, { unitPrice: 1.234 });
    await api.fails(404, 'PATCH', `/sales-order-items/${item.id}`, { quantity: 9, skuId: NO_SUCH_ID });
    expect((await detail(salesOrder.id)).items).toEqual(items);
  });
});

describe('sales order rules from Pharus’s pages', () => {
  it('allows one line per SKU (W149): a second line for a SKU is 409 conflict naming the line, changing nothing', async () => {
    const f = await fixtures();
    const twice = await api.fails(409, 'POST', '/sales-orders', {
      customerId: f.customer.id,
      channelId: f.channel.id,
      status: 'Received',
      fulfillmentStatus: 'Pending',
      mabd: '2026-07-01',
      items: [
        { skuId: f.sku1.id, quantity: 1 },
        { skuId: f.sku2.id, quantity: 1 },
        { skuId: f.sku1.id, quantity: 2 },
      ],
    });
    expect(twice).toMatchObject({ code: 'conflict', details: { field: 'items.2.skuId', skuId: f.sku1.id } });

    const { salesOrder, items } = await newOrder('Received', [{ skuId: f.sku1.id, quantity: 1 }]);
    const added = await api.fails(409, 'POST', `/sales-orders/${salesOrder.id}/items`, { skuId: f.sku1.id, quantity: 3 });
    expect(added).toMatchObject({ code: 'conflict', details: { field: 'skuId', skuId: f.sku1.id, existingItemId: first(items).id } });
    const other = await api.ok(salesOrderItemSchema, 'POST', `/sales-orders/${salesOrder.id}/items`, { skuId: f.sku2.id, quantity: 1 }, 201);
    expect((await api.fails(409, 'PATCH', `/sales-order-items/${other.id}`, { skuId: f.sku1.id })).code).toBe('conflict');
    expect((await detail(salesOrder.id)).items).toEqual([...items, other]);
  });

  it('locks items once the order ships (W151): add, change and remove are 409 invalid_transition naming the status', async () => {
    const f = await fixtures();
    const { salesOrder, items } = await newOrder('Entered', [{ skuId: f.sku1.id, quantity: 1 }]);
    await api.ok(salesOrderSchema, 'PATCH', `/sales-orders/${salesOrder.id}`, { status: 'Shipped' });
    const item = first(items);
    for (const [method, path, body] of [
      ['POST', `/sales-orders/${salesOrder.id}/items`, { skuId: f.sku2.id, quantity: 1 }],
      ['PATCH', `/sales-order-items/${item.id}`, { quantity: 5 }],
      ['DELETE', `/sales-order-items/${item.id}`, undefined],
    ] as const) {
      const error = await api.fails(409, method, path, body);
      expect(error).toMatchObject({ code: 'invalid_transition', details: { status: 'Shipped' } });
    }
    expect((await detail(salesOrder.id)).items).toEqual(items);
  });
});

describe('timeline notes and status lists', () => {
  it('adds, lists and deletes a note stamped with the current status', async () => {
    const { salesOrder } = await newOrder('Entered');
    const note = await api.ok(timelineNoteSchema, 'POST', `/sales-orders/${salesOrder.id}/notes`, { body: 'Customer called' }, 201);
    expect(note).toMatchObject({ salesOrderId: salesOrder.id, orderStatus: 'Entered', note: 'Customer called' });
    expect((await api.get(listOf(timelineNoteSchema), `/sales-orders/${salesOrder.id}/notes`)).data).toEqual([note]);
    await api.fails(422, 'POST', `/sales-orders/${salesOrder.id}/notes`, { body: '' });
    expect(await api.ok(deletedSchema, 'DELETE', `/sales-order-notes/${note.id}`)).toEqual({ deletedId: note.id });
    expect((await api.get(listOf(timelineNoteSchema), `/sales-orders/${salesOrder.id}/notes`)).data).toEqual([]);
  });

  it('lists the order and fulfillment status enums', async () => {
    expect((await api.get(listOf(z.string()), '/order-statuses')).data).toEqual(['Received', 'Entered', 'Shipped', 'Invoiced', 'Paid', 'Rejected', 'In-Dispute', 'Completed']);
    expect((await api.get(listOf(z.string()), '/fulfillment-statuses')).data).toEqual(['Pending', 'Partial', 'Fulfilled']);
  });
});
