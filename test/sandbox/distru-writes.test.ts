import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, readAllPages, startSmallDistru, type DistruSandbox } from './fixtures/distru/harness.js';
import { picks } from './fixtures/distru/picks.js';
import type { ErrorBody, InventoryJson, InvoiceJson, ListBody, OneBody, OrderJson, PurchaseJson } from './fixtures/distru/wire.js';

let sandbox: DistruSandbox;
let pick: ReturnType<typeof picks>;
beforeAll(async () => {
  sandbox = await startSmallDistru();
  pick = picks(sandbox.store);
});
afterAll(() => sandbox.close());

const api = () => client(sandbox);
const errorsOf = (body: unknown) => (body as ErrorBody).errors;

/** A list's whole content, to show that a refused write changed nothing anywhere. */
async function snapshot(path: string): Promise<unknown[]> {
  return (await readAllPages<unknown>(sandbox, path)).records;
}

function orderBody(overrides: Record<string, unknown> = {}) {
  return {
    company_id: pick.customer,
    billing_location_id: pick.customerLocation,
    shipping_location_id: pick.customerLocation,
    order_datetime: '2026-06-02T00:00:00.000000Z',
    due_datetime: '2026-06-20T00:00:00.000000Z',
    status: 'PROCESSING',
    charges: [
      { name: 'C1', percent: '10.0000', type: 'CHARGE', unit_type: 'PERCENT' },
      { name: 'C2', price: '-5.0000', type: 'DISCOUNT', unit_type: 'PRICE' },
    ],
    items: [
      { product_id: pick.oneBatchProduct, location_id: pick.ownLocation, price_base: '10.000000000', quantity: '2.000000000' },
      { product_id: pick.manyBatchProduct, batch_id: pick.batchOf(pick.manyBatchProduct).id, location_id: pick.ownLocation, price_base: '100', quantity: 3 },
    ],
    ...overrides,
  };
}

async function createOrder(overrides: Record<string, unknown> = {}): Promise<OrderJson> {
  const response = await api().post('/public/v1/orders', orderBody(overrides));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body as OneBody<OrderJson>).data;
}

describe('Distru order upserts', () => {
  it('creates an order: items priced, charges computed, numbered, and readable by id and in the list', async () => {
    const order = await createOrder();
    expect(order.order_number).toMatch(/^SO-\d{7}$/);
    expect(order.items.map((i) => [i.product.id, i.quantity, i.price])).toEqual([
      [pick.oneBatchProduct, '2.000000000', '10.000000000'],
      [pick.manyBatchProduct, '3.000000000', '100.000000000'],
    ]);
    // 2 × 10 + 3 × 100 = 320; +10 % = 32.00; −5.00 (seed 002's own arithmetic: 347.00).
    expect(order.charges.map((c) => c.price)).toEqual(['32.00', '-5.00']);
    expect(order.total).toBe('347.00');
    expect((await api().get(`/public/v1/orders/${order.id}`)).body).toEqual({ data: order });
    const listed = (await api().get('/public/v1/orders?order_datetime=2026-06-02T00:00:00Z,2026-06-02T00:00:01Z')).body as ListBody<OrderJson>;
    expect(listed.data.map((o) => o.id)).toContain(order.id);
  });

  it('gives a product-only item the product’s single batch, and none when the product has several', async () => {
    const order = await createOrder({ items: [{ product_id: pick.oneBatchProduct, price_base: '1', quantity: '1' }, { product_id: pick.manyBatchProduct, price_base: '1', quantity: '1' }] });
    expect(order.items[0]?.batch?.id).toBe(pick.batchOf(pick.oneBatchProduct).id);
    expect(order.items[1]?.batch).toBeNull();
  });

  it('takes the product and batch of a package-tracked item from the package', async () => {
    const batch = pick.batchOf(pick.manyBatchProduct);
    const pkg = pick.packageOf(batch.id);
    const order = await createOrder({ items: [{ package_id: pkg.id, location_id: pick.ownLocation, price_base: '10', quantity: '1', compliance_quantity: '1.0000' }] });
    expect(order.items[0]?.product.id).toBe(pick.manyBatchProduct);
    expect(order.items[0]?.batch?.id).toBe(batch.id);
    expect(order.items[0]?.package?.compliance_label).toBe(pkg.complianceLabel);
  });

  it('applies the best-fit price tier to each item (seed 002: 100 → 80, 10 → 200, 20 → 285)', async () => {
    const items = [
      { product_id: pick.tieredProduct, location_id: pick.ownLocation, position: 1, price_base: '100.000000000', quantity: '100.000000000' },
      { product_id: pick.tieredProduct, location_id: pick.ownLocation, position: 2, price_base: '200.000000000', quantity: '10.000000000' },
      { product_id: pick.tieredProduct, location_id: pick.ownLocation, position: 3, price_base: '300.000000000', quantity: '20.000000000' },
    ];
    const order = await createOrder({ charges: [], items });
    expect(order.items.map((i) => i.price)).toEqual(['80.000000000', '200.000000000', '285.000000000']);
    expect(order.total).toBe('15700.00');
  });

  it('updates an order in full: kept items and charges keep their ids, the ones not sent are deleted', async () => {
    const order = await createOrder();
    const [kept] = order.items;
    const body = orderBody({
      id: order.id,
      charges: [{ id: order.charges[0]?.id, name: 'C1', percent: '5.0000', type: 'CHARGE', unit_type: 'PERCENT' }],
      items: [{ id: kept?.id, product_id: pick.oneBatchProduct, location_id: pick.ownLocation, price_base: '10', quantity: '4' }],
      external_notes: 'gonna make you sweat',
    });
    const response = await api().post('/public/v1/orders', body);
    expect(response.status).toBe(200);
    const updated = (response.body as OneBody<OrderJson>).data;
    expect(updated.id).toBe(order.id);
    expect(updated.order_number).toBe(order.order_number);
    expect(updated.items.map((i) => [i.id, i.quantity])).toEqual([[kept?.id, '4.000000000']]);
    expect(updated.charges.map((c) => [c.id, c.price])).toEqual([[order.charges[0]?.id, '2.00']]);
    expect(updated.total).toBe('42.00');
    expect(updated.updated_datetime > order.updated_datetime).toBe(true);
    expect(((await api().get(`/public/v1/orders/${order.id}`)).body as OneBody<OrderJson>).data).toEqual(updated);
  });

  it('deletes all items and charges when an update sends none', async () => {
    const order = await createOrder();
    const response = await api().post('/public/v1/orders', orderBody({ id: order.id, charges: [], items: [] }));
    expect(response.status).toBe(200);
    expect((response.body as OneBody<OrderJson>).data).toMatchObject({ items: [], charges: [], total: '0.00' });
  });

  it('holds stock for an open order and releases it when the order is canceled', async () => {
    const batch = pick.batchOf(pick.manyBatchProduct);
    const cell = sandbox.store.inventory.get(pick.manyBatchProduct)?.find((c) => c.batchNumber === batch.batchNumber && c.locationId !== null);
    expect(cell).toBeDefined();
    const level = async () => {
      const body = (await api().get(`/public/v1/inventory?grouping[]=PRODUCT&grouping[]=LOCATION&grouping[]=BATCH_NUMBER&product_ids[]=${pick.manyBatchProduct}`)).body as ListBody<InventoryJson>;
      return body.data.find((l) => l.location_id === cell?.locationId && l.batch_number === batch.batchNumber);
    };
    const before = await level();
    const items = [{ batch_id: batch.id, location_id: cell?.locationId, price_base: '1', quantity: '3' }];
    const order = await createOrder({ status: 'PENDING', items });
    const held = await level();
    expect(held?.active).toBe(before?.active);
    expect(Number(held?.available)).toBe(Number(before?.available) - 3);
    await createOrder({ id: order.id, status: 'CANCELED', items });
    expect((await level())?.available).toBe(before?.available);
  });

  it('refuses an order with unknown, foreign or inconsistent references, answers every problem at once, and writes nothing', async () => {
    const before = await snapshot('/public/v1/orders');
    const response = await api().post(
      '/public/v1/orders',
      orderBody({
        company_id: pick.foreign.company,
        items: [
          { product_id: '00000000-0000-4000-8000-000000000000', price_base: '1', quantity: '1' },
          { product_id: pick.foreign.product, price_base: '1', quantity: '1' },
          { product_id: pick.oneBatchProduct, batch_id: pick.batchOf(pick.manyBatchProduct).id, location_id: pick.foreign.location, price_base: '-1', quantity: '0' },
        ],
      }),
    );
    expect(response.status).toBe(400);
    expect(errorsOf(response.body).map((e) => [e.pointer.join('.'), e.message])).toEqual([
      ['company_id', 'The provided customer does not exist'],
      ['items.0.product_id', 'Product not found'],
      ['items.1.product_id', 'This record does not belong to your company.'],
      ['items.2.batch_id', 'Does not match the product'],
      ['items.2.location_id', 'This record does not belong to your company.'],
      ['items.2.quantity', 'Must be greater than 0'],
      ['items.2.price_base', 'Must be greater than or equal to 0'],
    ]);
    expect(await snapshot('/public/v1/orders')).toEqual(before);
  });

  it('refuses a body of the wrong types with field pointers and writes nothing', async () => {
    const before = sandbox.store.orders.size;
    const response = await api().post('/public/v1/orders', { status: 'SHIPPED', items: [{ product_id: 'abc', quantity: 'lots' }], colour: 'red' });
    expect(response.status).toBe(400);
    expect(errorsOf(response.body).map((e) => [e.pointer.join('.'), e.section])).toEqual(
      expect.arrayContaining([
        ['status', 'body'],
        ['items.0.product_id', 'body'],
        ['items.0.price_base', 'body'],
        ['items.0.quantity', 'body'],
        ['colour', 'body'],
      ]),
    );
    expect(errorsOf(response.body).find((e) => e.pointer.join('.') === 'items.0.price_base')?.message).toBe("can't be blank");
    expect(sandbox.store.orders.size).toBe(before);
  });

  it('refuses to delete an invoiced order item or to cut it below what is invoiced', async () => {
    const order = await createOrder();
    const [a, b] = order.items;
    const invoice = await api().post('/public/v1/invoices', { order_id: order.id, items: [{ order_item_id: a?.id, quantity: '2' }] });
    expect(invoice.status).toBe(200);
    const dropped = await api().post('/public/v1/orders', orderBody({ id: order.id, items: [{ id: b?.id, product_id: pick.manyBatchProduct, price_base: '100', quantity: 3 }] }));
    expect(dropped.status).toBe(400);
    expect(errorsOf(dropped.body)).toEqual([{ context: { id: a?.id }, message: 'Cannot delete an order item that has been invoiced', pointer: ['items'], section: 'body' }]);
    const cut = await api().post('/public/v1/orders', orderBody({ id: order.id, items: [{ id: a?.id, product_id: pick.oneBatchProduct, price_base: '10', quantity: 1 }] }));
    expect(errorsOf(cut.body)).toEqual([{ context: {}, message: 'Must be greater than or equal to 2 (already invoiced)', pointer: ['items', 0, 'quantity'], section: 'body' }]);
    expect(((await api().get(`/public/v1/orders/${order.id}`)).body as OneBody<OrderJson>).data).toEqual(order);
  });
});

describe('Distru invoice upserts', () => {
  it('creates an invoice of an order at the order items’ prices, listed under the order id', async () => {
    const order = await createOrder();
    const [a, b] = order.items;
    const response = await api().post('/public/v1/invoices', {
      order_id: order.id,
      invoice_datetime: '2026-06-03T00:00:00.000000Z',
      due_datetime: '2026-07-03T00:00:00.000000Z',
      charges: [{ name: 'C1', percent: '10.0000', type: 'CHARGE', unit_type: 'PERCENT' }],
      items: [
        { order_item_id: a?.id, quantity: '1.000000000' },
        { order_item_id: b?.id, quantity: '2.000000000' },
      ],
    });
    expect(response.status).toBe(200);
    const invoice = (response.body as OneBody<InvoiceJson>).data;
    expect(invoice).toMatchObject({ status: 'NOT_PAID', total: '231.00', order: { id: order.id, order_number: order.order_number, status: 'Processing', total: '347.00' } });
    expect(invoice.invoice_number).toMatch(/^INV-\d{7}$/);
    expect(invoice.items.map((i) => [i.order_item_id, i.price, i.quantity])).toEqual([
      [a?.id, '10.000000000', '1.000000000'],
      [b?.id, '100.000000000', '2.000000000'],
    ]);
    const listed = (await api().get(`/public/v1/invoices?order_id[]=${order.id}`)).body as ListBody<InvoiceJson>;
    expect(listed.data).toEqual([invoice]);
  });

  it('refuses an item above what is left uninvoiced, with its pointer, and writes nothing', async () => {
    const order = await createOrder();
    const [a] = order.items;
    expect((await api().post('/public/v1/invoices', { order_id: order.id, items: [{ order_item_id: a?.id, quantity: '1' }] })).status).toBe(200);
    const before = await snapshot(`/public/v1/invoices?order_id[]=${order.id}`);
    const response = await api().post('/public/v1/invoices', { order_id: order.id, items: [{ order_item_id: a?.id, quantity: '1.5' }] });
    expect(response).toEqual({ status: 400, body: { errors: [{ context: {}, message: 'Only 1 left uninvoiced', pointer: ['items', 0, 'quantity'], section: 'body' }] } });
    expect(await snapshot(`/public/v1/invoices?order_id[]=${order.id}`)).toEqual(before);
  });

  it('updates an invoice in full: the quantities it held are free again for its new items', async () => {
    const order = await createOrder();
    const [a] = order.items;
    const created = (await api().post('/public/v1/invoices', { order_id: order.id, items: [{ order_item_id: a?.id, quantity: '2' }] })).body as OneBody<InvoiceJson>;
    const response = await api().post('/public/v1/invoices', { id: created.data.id, order_id: order.id, items: [{ id: created.data.items[0]?.id, order_item_id: a?.id, quantity: '2' }] });
    expect(response.status).toBe(200);
    const updated = (response.body as OneBody<InvoiceJson>).data;
    expect(updated.invoice_number).toBe(created.data.invoice_number);
    expect(updated.items.map((i) => [i.id, i.quantity])).toEqual([[created.data.items[0]?.id, '2.000000000']]);
    expect(((await api().get(`/public/v1/invoices/${updated.id}`)).body as OneBody<InvoiceJson>).data).toEqual(updated);
  });

  it('refuses an invoice without an order, of an unknown order, or of another order’s item', async () => {
    expect(errorsOf((await api().post('/public/v1/invoices', { items: [] })).body)).toEqual([{ context: {}, message: "can't be blank", pointer: ['order_id'], section: 'body' }]);
    expect(errorsOf((await api().post('/public/v1/invoices', { order_id: '00000000-0000-4000-8000-000000000000' })).body)[0]?.message).toBe('Order not found');
    const one = await createOrder();
    const other = await createOrder();
    const response = await api().post('/public/v1/invoices', { order_id: one.id, items: [{ order_item_id: other.items[0]?.id, quantity: '1' }] });
    expect(errorsOf(response.body)).toEqual([{ context: {}, message: 'Order item not found', pointer: ['items', 0, 'order_item_id'], section: 'body' }]);
  });
});

function purchaseBody(overrides: Record<string, unknown> = {}) {
  return {
    company_id: pick.supplier,
    location_id: pick.ownLocation,
    order_datetime: '2026-06-02T00:00:00.000000Z',
    due_datetime: '2026-06-30T00:00:00.000000Z',
    charges: [{ name: 'C1', percent: '10.0000', type: 'CHARGE', unit_type: 'PERCENT' }],
    items: [{ product_id: pick.oneBatchProduct, location_id: pick.ownLocation, price: '10.000000000', quantity: '1.000000000' }],
    ...overrides,
  };
}

describe('Distru purchase upserts', () => {
  it('creates a pending purchase and updates it while pending', async () => {
    const created = await api().post('/public/v1/purchases', purchaseBody());
    expect(created.status).toBe(200);
    const purchase = (created.body as OneBody<PurchaseJson>).data;
    expect(purchase).toMatchObject({ status: 'PENDING', total: '11.00', company: { id: pick.supplier } });
    expect(purchase.purchase_number).toMatch(/^PO-\d{7}$/);
    expect(purchase.items[0]).toMatchObject({ received_quantity: '0.000000000', location: { id: pick.ownLocation } });

    const batch = pick.batchOf(pick.manyBatchProduct);
    const items = [
      { id: purchase.items[0]?.id, product_id: pick.oneBatchProduct, location_id: pick.ownLocation, price: '10', quantity: '1' },
      { batch_id: batch.id, product_id: pick.manyBatchProduct, location_id: pick.ownLocation, price: '5', quantity: '2' },
    ];
    const updated = await api().post('/public/v1/purchases', purchaseBody({ id: purchase.id, charges: [{ id: purchase.charges[0]?.id, name: 'C1', percent: '10.0000', type: 'CHARGE', unit_type: 'PERCENT' }], items }));
    expect(updated.status).toBe(200);
    const data = (updated.body as OneBody<PurchaseJson>).data;
    expect(data).toMatchObject({ id: purchase.id, purchase_number: purchase.purchase_number, total: '22.00' });
    expect(data.items.map((i) => i.batch?.id)).toEqual([pick.batchOf(pick.oneBatchProduct).id, batch.id]);
    const listed = await readAllPages<PurchaseJson>(sandbox, '/public/v1/purchases?status[]=Pending');
    expect(listed.records.find((p) => p.id === purchase.id)).toEqual(data);
  });

  it('refuses to change a purchase beyond Pending and leaves it as it was', async () => {
    const completed = [...sandbox.store.purchases.values()].find((p) => p.status === 'COMPLETED');
    const before = await snapshot('/public/v1/purchases');
    const response = await api().post('/public/v1/purchases', purchaseBody({ id: completed?.id }));
    expect(response).toEqual({ status: 400, body: { errors: [{ context: {}, message: "Cannot change this PO through the Distru API because it's beyond Pending status", pointer: ['status'], section: 'body' }] } });
    expect(await snapshot('/public/v1/purchases')).toEqual(before);
  });

  it.each([
    ['an unknown supplier', () => ({ company_id: pick.foreign.company }), ['company_id'], 'The provided supplier does not exist'],
    ['a product of another company', () => ({ items: [{ product_id: pick.foreign.product, location_id: pick.ownLocation, price: '1', quantity: '1' }] }), ['items', 0, 'product_id'], 'This record does not belong to your company.'],
    ['a batch of another company', () => ({ items: [{ batch_id: pick.foreign.batch, location_id: pick.ownLocation, price: '1', quantity: '1' }] }), ['items', 0, 'product_id'], 'This record does not belong to your company.'],
    ['a location of another company', () => ({ items: [{ product_id: pick.oneBatchProduct, location_id: pick.foreign.location, price: '1', quantity: '1' }] }), ['items', 0, 'location_id'], 'This record does not belong to your company.'],
    ['an item location other than the purchase’s', () => ({ items: [{ product_id: pick.oneBatchProduct, location_id: pick.otherOwnLocation, price: '1', quantity: '1' }] }), ['items', 0, 'location_id'], 'Purchase item delivery location must be the same as purchase delivery location.'],
  ] as const)('refuses a purchase with %s and writes nothing', async (_what, overrides, pointer, message) => {
    const before = sandbox.store.purchases.size;
    const response = await api().post('/public/v1/purchases', purchaseBody(overrides()));
    expect(response.status).toBe(400);
    expect(errorsOf(response.body).map((e) => [e.pointer, e.message])).toEqual([[pointer, message]]);
    expect(sandbox.store.purchases.size).toBe(before);
  });
});
