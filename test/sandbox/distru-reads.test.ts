import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distruId } from '../../sandbox/distru/index.js';
import { client, readAllPages, startSmallDistru, type DistruSandbox } from './fixtures/distru/harness.js';
import type { BatchJson, CompanyJson, ErrorBody, InventoryJson, InvoiceJson, ListBody, LocationJson, OneBody, OrderJson, ProductJson, PurchaseJson } from './fixtures/distru/wire.js';

let sandbox: DistruSandbox;
beforeAll(async () => {
  sandbox = await startSmallDistru();
});
afterAll(() => sandbox.close());

const get = (path: string) => client(sandbox).get(path);

describe('Distru lists: paging', () => {
  const lists = [
    ['/public/v1/products', () => sandbox.store.products.size],
    ['/public/v1/batches', () => sandbox.store.batches.size],
    ['/public/v1/packages', () => sandbox.store.packages.size],
    ['/public/v1/companies', () => sandbox.store.companies.size - 1],
    ['/public/v1/locations', () => sandbox.store.locations.size],
    ['/public/v1/orders', () => sandbox.store.orders.size],
    ['/public/v1/invoices', () => sandbox.store.invoices.size],
    ['/public/v1/purchases', () => sandbox.store.purchases.size],
  ] as const;

  it.each(lists)('%s: the pages together hold every record once, and next_page appears exactly when another page follows', async (path, count) => {
    const { records, pages } = await readAllPages<{ id: string }>(sandbox, `${path}?page[size]=7`);
    const ids = records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(count());
    expect(pages.length).toBe(Math.ceil(count() / 7));
    pages.forEach((page, n) => {
      expect(page.data.length).toBe(n < pages.length - 1 ? 7 : count() - 7 * (pages.length - 1));
      expect('next_page' in page).toBe(n < pages.length - 1);
    });
  });

  it('pages inventory groups to the end the same way', async () => {
    const whole = (await get('/public/v1/inventory?grouping[]=PRODUCT&grouping[]=LOCATION&page[size]=1000')).body as ListBody<InventoryJson>;
    const { records, pages } = await readAllPages<InventoryJson>(sandbox, '/public/v1/inventory?grouping[]=PRODUCT&grouping[]=LOCATION&page[size]=13');
    expect(records).toEqual(whole.data);
    expect(pages.at(-1)?.next_page).toBeUndefined();
    expect(pages.slice(0, -1).every((p) => typeof p.next_page === 'string')).toBe(true);
  });

  it('keeps the other query parameters in next_page and only raises page[number]', async () => {
    const first = (await get('/public/v1/orders?status[]=COMPLETED&page[size]=2')).body as ListBody<OrderJson>;
    expect(first.next_page).toBe(`${sandbox.url}/public/v1/orders?status[]=COMPLETED&page[size]=2&page[number]=2`);
  });

  it('lowers a page size above the endpoint maximum to the maximum, and defaults to 100', async () => {
    const capped = (await get('/public/v1/orders?page[size]=100000')).body as ListBody<OrderJson>;
    expect(capped.data.length).toBe(Math.min(100, sandbox.store.orders.size));
    expect(((await get('/public/v1/batches')).body as ListBody<BatchJson>).data.length).toBe(Math.min(100, sandbox.store.batches.size));
  });

  it('answers a page past the end with no records and no next_page', async () => {
    expect((await get('/public/v1/orders?page[number]=9999')).body).toEqual({ data: [] });
  });

  it('sorts orders by order date and invoices by invoice date, newest first', async () => {
    const orders = (await readAllPages<OrderJson>(sandbox, '/public/v1/orders')).records.map((o) => o.order_datetime);
    expect(orders).toEqual([...orders].sort().reverse());
    const invoices = (await readAllPages<InvoiceJson>(sandbox, '/public/v1/invoices')).records.map((i) => i.invoice_datetime);
    expect(invoices).toEqual([...invoices].sort().reverse());
  });
});

describe('Distru lists: filters', () => {
  it('filters orders by several statuses', async () => {
    const { records } = await readAllPages<OrderJson>(sandbox, '/public/v1/orders?status[]=COMPLETED&status[]=CANCELED');
    const expected = [...sandbox.store.orders.values()].filter((o) => o.status === 'COMPLETED' || o.status === 'CANCELED');
    expect(records.length).toBe(expected.length);
    expect(records.length).toBeGreaterThan(0);
    expect(new Set(records.map((o) => o.status))).toEqual(new Set(['COMPLETED', 'CANCELED']));
  });

  it('filters invoices by display status names and by order ids (the batch call of the gateway)', async () => {
    const { records: paid } = await readAllPages<InvoiceJson>(sandbox, '/public/v1/invoices?status[]=Fully+Paid&status[]=Not+Paid');
    expect(paid.length).toBeGreaterThan(0);
    expect(new Set(paid.map((i) => i.status))).toEqual(new Set(['FULLY_PAID', 'NOT_PAID']));

    const orderIds = [...sandbox.store.invoicesByOrder.keys()].slice(0, 3);
    const query = orderIds.map((id) => `order_id[]=${id}`).join('&');
    const { records } = await readAllPages<InvoiceJson>(sandbox, `/public/v1/invoices?${query}`);
    const expected = orderIds.flatMap((id) => [...(sandbox.store.invoicesByOrder.get(id) ?? [])]);
    expect(records.map((i) => i.id).sort()).toEqual(expected.sort());
    expect(records.every((i) => orderIds.includes(i.order.id))).toBe(true);
  });

  it('filters invoices by a part of their number', async () => {
    const some = [...sandbox.store.invoices.values()][0];
    const part = some?.number.slice(-3) ?? '';
    const { records } = await readAllPages<InvoiceJson>(sandbox, `/public/v1/invoices?invoice_number=${encodeURIComponent(part)}`);
    expect(records.map((i) => i.id)).toContain(some?.id);
    expect(records.length).toBeLessThan(sandbox.store.invoices.size);
    expect(records.every((i) => i.invoice_number.includes(part))).toBe(true);
  });

  it('filters by a datetime range: from inclusive, to exclusive; a leading comma means before, a trailing comma after', async () => {
    const all = (await readAllPages<OrderJson>(sandbox, '/public/v1/orders')).records;
    const pivot = all[Math.floor(all.length / 2)]?.order_datetime ?? '';
    const before = (await readAllPages<OrderJson>(sandbox, `/public/v1/orders?order_datetime=,${pivot}`)).records;
    const after = (await readAllPages<OrderJson>(sandbox, `/public/v1/orders?order_datetime=${pivot},`)).records;
    expect(before.every((o) => o.order_datetime < pivot)).toBe(true);
    expect(after.every((o) => o.order_datetime >= pivot)).toBe(true);
    expect(before.length + after.length).toBe(all.length);
    const between = (await readAllPages<OrderJson>(sandbox, `/public/v1/orders?order_datetime=${pivot},${all[0]?.order_datetime}`)).records;
    expect(between.length).toBe(after.length - all.filter((o) => o.order_datetime === all[0]?.order_datetime).length);
  });

  it('filters purchases by display status names', async () => {
    const { records } = await readAllPages<PurchaseJson>(sandbox, '/public/v1/purchases?status[]=Completed&status[]=Pending');
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((p) => p.status === 'COMPLETED' || p.status === 'PENDING')).toBe(true);
  });

  it('filters catalog lists by updated datetime', async () => {
    const all = (await readAllPages<ProductJson>(sandbox, '/public/v1/products')).records;
    const pivot = [...all.map((p) => p.updated_datetime)].sort()[10] ?? '';
    const { records } = await readAllPages<ProductJson>(sandbox, `/public/v1/products?updated_datetime=,${pivot}`);
    expect(records.length).toBe(10);
  });
});

describe('Distru inventory', () => {
  it('sums stock by product when grouped by PRODUCT, and keeps only the grouped fields', async () => {
    const { records } = await readAllPages<InventoryJson>(sandbox, '/public/v1/inventory?grouping[]=PRODUCT');
    const first = records[0];
    expect(Object.keys(first ?? {}).sort()).toEqual(['active', 'available', 'product_id', 'updated_datetime']);
    const cells = sandbox.store.inventory.get(first?.product_id ?? '') ?? [];
    expect(first?.active).toBe(`${cells.reduce((s, c) => s + c.active, 0n) / 1_000_000_000n}.000000000`);
    expect(records.map((r) => r.product_id)).toEqual([...new Set(records.map((r) => r.product_id))].sort());
  });

  it('filters by product_ids[] and groups by location and batch number', async () => {
    const [a, b] = sandbox.store.productIdsSorted;
    const { records } = await readAllPages<InventoryJson>(sandbox, `/public/v1/inventory?grouping[]=PRODUCT&grouping[]=LOCATION&grouping[]=BATCH_NUMBER&product_ids[]=${b}&product_ids[]=${a}`);
    expect(new Set(records.map((r) => r.product_id))).toEqual(new Set([a, b]));
    expect(records.every((r) => typeof r.location_id === 'string' && typeof r.batch_number === 'string')).toBe(true);
  });

  it('refuses a grouping without PRODUCT and an unknown grouping value', async () => {
    expect(await get('/public/v1/inventory?grouping[]=LOCATION')).toEqual({ status: 400, body: { errors: [{ context: {}, message: 'must include PRODUCT', pointer: ['grouping[]'], section: 'query' }] } });
    const unknown = await get('/public/v1/inventory?grouping[]=PRODUCT&grouping[]=COLOR');
    expect(unknown.status).toBe(400);
    expect((unknown.body as ErrorBody).errors[0]?.pointer).toEqual(['grouping[]', 1]);
  });
});

describe('Distru errors', () => {
  it('refuses unknown and malformed query parameters in the Distru error shape', async () => {
    const response = await get('/public/v1/orders?status[]=SHIPPED&page[size]=0&updated_datetime=yesterday&colour=red');
    expect(response.status).toBe(400);
    const pointers = (response.body as ErrorBody).errors.map((e) => JSON.stringify([e.pointer, e.section]));
    expect(pointers.sort()).toEqual(
      [
        [['status[]', 0], 'query'],
        [['page[size]'], 'query'],
        [['updated_datetime'], 'query'],
        [['colour'], 'query'],
      ]
        .map((p) => JSON.stringify(p))
        .sort(),
    );
  });

  it('answers an unknown id with 404 and a malformed id with 400', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await get(`/public/v1/orders/${missing}`)).toEqual({ status: 404, body: { errors: [{ context: { id: missing }, message: 'Not found', pointer: ['id'], section: 'path' }] } });
    expect(await get(`/public/v1/invoices/${missing}`)).toMatchObject({ status: 404 });
    expect(await get('/public/v1/invoices/42')).toEqual({ status: 400, body: { errors: [{ context: {}, message: 'is not a valid UUID', pointer: ['id'], section: 'path' }] } });
  });

  it('answers an unknown route with 404 in the Distru shape', async () => {
    expect(await get('/public/v1/widgets')).toEqual({ status: 404, body: { errors: [{ context: {}, message: 'No route for GET /public/v1/widgets', pointer: [], section: 'path' }] } });
  });

  it('answers a body that is not JSON with 400 in the Distru shape', async () => {
    const response = await fetch(`${sandbox.url}/public/v1/orders`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.credentials.token}`, 'content-type': 'application/json' }, body: '{"items": [' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ context: {}, message: 'Request body is not valid JSON', pointer: [], section: 'body' }] });
  });

  it('answers an injected fault in the Distru shape', async () => {
    sandbox.faults.add({ match: 'GET /public/v1/products', status: 429, retryAfter: 1 });
    const response = await fetch(`${sandbox.url}/public/v1/products`, { headers: { authorization: `Bearer ${sandbox.credentials.token}` } });
    sandbox.faults.clear();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(((await response.json()) as ErrorBody).errors[0]?.message).toBe('Too many requests');
  });
});

describe('Distru data agrees with the world', () => {
  it('lists every SKU Distru carries once, under its Distru code', async () => {
    const { records } = await readAllPages<ProductJson>(sandbox, '/public/v1/products');
    const carried = sandbox.world.skus.filter((s) => s.vendorCodes.distru !== undefined);
    expect(records.map((p) => p.sku).sort()).toEqual(carried.map((s) => s.vendorCodes.distru).sort());
    const sku = carried[0];
    expect(records.find((p) => p.id === distruId('product', sku?.code ?? ''))).toMatchObject({ sku: sku?.vendorCodes.distru, name: sku?.name, unit_price: sku?.unitPrice });
  });

  it('holds every lot of a carried SKU as a batch named and numbered by the lot', async () => {
    const { records } = await readAllPages<BatchJson>(sandbox, '/public/v1/batches');
    const lots = sandbox.world.lots.filter((l) => sandbox.world.skuByCode.get(l.skuCode)?.vendorCodes.distru !== undefined);
    expect(records.map((b) => b.name).sort()).toEqual(lots.map((l) => l.number).sort());
    expect(records.every((b) => b.batch_number === b.name)).toBe(true);
  });

  it('reports the world stock of Distru as active inventory by product, location and lot', async () => {
    const { records } = await readAllPages<InventoryJson>(sandbox, '/public/v1/inventory?grouping[]=PRODUCT&grouping[]=LOCATION&grouping[]=BATCH_NUMBER');
    const row = sandbox.world.stock.find((s) => s.vendor === 'distru' && s.quantity > 0);
    const level = records.find((r) => r.product_id === distruId('product', row?.skuCode ?? '') && r.location_id === distruId('location', row?.locationKey ?? '') && r.batch_number === row?.lotNumber);
    expect(level?.active).toBe(`${row?.quantity}.000000000`);
    const worldTotal = sandbox.world.stock.filter((s) => s.vendor === 'distru').reduce((sum, s) => sum + s.quantity, 0);
    expect(records.reduce((sum, r) => sum + Number(r.active), 0)).toBe(worldTotal);
  });

  it('serves the showcase order with its lines: product codes, lots and quantities of the world', async () => {
    const key = sandbox.world.showcase.distru.tenLines;
    const worldOrder = sandbox.world.orderByKey.get(key);
    const { body, status } = await get(`/public/v1/orders/${distruId('order', key)}`);
    expect(status).toBe(200);
    const order = (body as OneBody<OrderJson>).data;
    expect(order.order_number).toBe(worldOrder?.number);
    expect(order.items.map((i) => [i.product.sku, i.batch?.name, i.quantity])).toEqual(
      worldOrder?.lines.map((l) => [sandbox.world.skuByCode.get(l.skuCode)?.vendorCodes.distru, l.lotNumber, `${l.quantity}.000000000`]),
    );
  });

  it('bills world invoices against their Distru order items', async () => {
    const worldInvoice = sandbox.world.invoices.find((i) => i.status !== 'void');
    const { body } = await get(`/public/v1/invoices/${distruId('invoice', worldInvoice?.key ?? '')}`);
    const invoice = (body as OneBody<InvoiceJson>).data;
    expect(invoice.invoice_number).toBe(worldInvoice?.number);
    expect(invoice.order.id).toBe(distruId('order', worldInvoice?.orderKey ?? ''));
    const order = (await get(`/public/v1/orders/${invoice.order.id}`)).body as OneBody<OrderJson>;
    for (const item of invoice.items) expect(order.data.items.map((i) => i.id)).toContain(item.order_item_id);
  });

  it('lists customers as companies with their ship-to location, and the own warehouses among the locations', async () => {
    const { records } = await readAllPages<CompanyJson>(sandbox, '/public/v1/companies');
    const customer = sandbox.world.customers[0];
    const company = records.find((c) => c.id === distruId('company', customer?.key ?? ''));
    expect(company).toMatchObject({ name: customer?.name });
    expect(company?.locations[0]?.address).toBe(customer?.address);
    const locations = (await readAllPages<LocationJson>(sandbox, '/public/v1/locations')).records;
    const warehouses = sandbox.world.locations.filter((l) => l.vendors.includes('distru')).map((l) => l.name);
    expect(locations.filter((l) => l.company_id === sandbox.store.self.id).map((l) => l.name).sort()).toEqual(warehouses.sort());
  });
});
