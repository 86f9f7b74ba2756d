import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { startGateway, type StartedGateway } from '../../src/server/gateway.js';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { startDistruSandbox, type DistruStore } from '../../sandbox/distru/index.js';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';
import { distruPublicFixture, fixtureProduct, uuid, type DistruFixtureOptions } from './fixtures/distru-public.js';
import { startFixture, type FixtureServer } from './fixtures/server.js';
import { testDataDir } from '../support/data-dir.js';

const dataDir = testDataDir();

// Distru facts pinned against a fixture that answers as Distru's public pages show (next_page_url,
// unpublished page-size maxima, `sku` optional, microsecond datetimes) and against the sandbox,
// through the whole gateway (GraphQL over loopback HTTP).

const NO_BUDGET = { DISTRU: { rateLimit: { maxCalls: 10_000, windowMs: 1_000, maxQueue: 10_000 } } };
const started: { close(): Promise<void> }[] = [];

interface Gql {
  data: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}
async function gql(gateway: StartedGateway, query: string, variables: Record<string, unknown> = {}): Promise<Gql> {
  const res = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as Gql;
}

async function gatewayOver(baseUrl: string, env: Record<string, string> = {}, token = 'fixture-token'): Promise<StartedGateway> {
  // No background stock refresh: its calls would come between the exact calls these tests count.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', AUTH: 'none', SYNC: 'off', OPSGRAPH_DATA_DIR: dataDir, LIVE_STOCK_REFRESH_WINDOW_MS: '0', DISTRU_BASE_URL: baseUrl, DISTRU_TOKEN: token, ...env });
  const gateway = await startGateway(config, { httpOverrides: NO_BUDGET, crosswalk: new Crosswalk() });
  started.push(gateway);
  return gateway;
}

afterAll(async () => {
  for (const s of started.reverse()) await s.close();
});

const ORDER_ID = uuid(9001);
const INVOICE_ID = uuid(9101);
const LOCATION_ID = uuid(7001);
/** A three-line order: products 1 and 3 have SKU codes, product 2 has `sku: null`. */
function fixtureData(productCount = 3) {
  const products = Array.from({ length: productCount }, (_, i) => fixtureProduct(i + 1, i + 1 === 2 ? null : `FX-${i + 1}`));
  const line = (n: number) => ({ id: uuid(8000 + n), product: { id: uuid(n), name: `Product ${n}`, sku: n === 2 ? null : `FX-${n}` }, quantity: '2.000000000', price: '10.000000000' });
  return {
    products,
    locations: [{ id: LOCATION_ID, name: 'Main Warehouse' }],
    orders: [{ id: ORDER_ID, order_number: 'SO-1', status: 'PROCESSING', order_datetime: '2021-03-08T10:28:28.507476Z', due_datetime: '2021-03-09T10:28:28.5Z', total: '60.00', items: [line(1), line(2), line(3)] }],
    invoices: [],
    inventory: [1, 2, 3].map((n) => ({ product_id: uuid(n), location_id: LOCATION_ID, batch_number: `B-${n}`, active: `${n}0.000000000`, available: `${n}.000000000`, updated_datetime: '2021-03-08T10:28:28.507476Z' })),
  };
}

async function fixture(productCount = 3, options: DistruFixtureOptions = {}): Promise<FixtureServer> {
  const data = fixtureData(productCount);
  // An invoice of the order with two items (as seed 002 "Get invoices" shows them), for the update refusals below.
  data.invoices = [{ id: INVOICE_ID, invoice_number: 'INV-1', status: 'NOT_PAID', order: { id: ORDER_ID }, items: [{ id: uuid(6001), order_item_id: uuid(8001), quantity: '2.000000000', price: '10.000000000' }, { id: uuid(6002), order_item_id: uuid(8002), quantity: '2.000000000', price: '10.000000000' }] }] as never[];
  const server = await startFixture(distruPublicFixture(data, options));
  started.push(server);
  return server;
}

const ORDER_QUERY = /* GraphQL */ `
  query ($id: ID!) {
    order(id: $id) {
      orderedAt
      dueAt
      lines { vendorSkuCode sku { code } inventory { vendorSkuCode lotNumber onHand available location { id name } updatedAt } }
    }
  }
`;

describe('Distru as its public pages show it', () => {
  it('keeps the stock of a line whose product has no SKU, on OrderLine.inventory, with one inventory call for all lines', async () => {
    const server = await fixture();
    const gateway = await gatewayOver(server.url);
    const result = await gql(gateway, ORDER_QUERY, { id: toGlobalId('Order', 'DISTRU', ORDER_ID) });
    expect(result.errors).toBeUndefined();
    const lines = (result.data?.order as { lines: { vendorSkuCode: string | null; sku: unknown; inventory: { onHand: string; vendorSkuCode: string | null }[] }[] }).lines;
    expect(lines.map((l) => l.vendorSkuCode)).toEqual(['FX-1', null, 'FX-3']);
    expect(lines[1]?.sku).toBeNull();
    expect(lines[1]?.inventory).toEqual([{ vendorSkuCode: null, lotNumber: 'B-2', onHand: '20', available: '2', location: { id: LOCATION_ID, name: 'Main Warehouse' }, updatedAt: '2021-03-08T10:28:28.507476Z' }]);
    expect(lines.map((l) => l.inventory.map((i) => i.onHand))).toEqual([['10'], ['20'], ['30']]);
    expect(lines[0]?.inventory[0]?.vendorSkuCode).toBe('FX-1');
    const inventoryCalls = server.requests.filter((r) => r.path === '/public/v1/inventory');
    expect(inventoryCalls).toHaveLength(1);
    expect(inventoryCalls[0]?.query.getAll('product_ids[]').sort()).toEqual([uuid(1), uuid(2), uuid(3)]);
  });

  it('keeps the microseconds Distru sends, and writes milliseconds where it sent fewer digits', async () => {
    const server = await fixture();
    const gateway = await gatewayOver(server.url);
    const result = await gql(gateway, ORDER_QUERY, { id: toGlobalId('Order', 'DISTRU', ORDER_ID) });
    expect(result.data?.order).toMatchObject({ orderedAt: '2021-03-08T10:28:28.507476Z', dueAt: '2021-03-09T10:28:28.500Z' });
  });

  for (const key of ['next_page_url', 'next_page'] as const) {
    it(`reads every page while the body carries ${key}, asking no more than DISTRU_MAX_PAGE_SIZE`, async () => {
      const server = await fixture(95, { nextPageKey: key, maxPageSize: 40 });
      const gateway = await gatewayOver(server.url, { DISTRU_MAX_PAGE_SIZE: '100' });
      const result = await gql(gateway, '{ sku(code: "FX-95") { code vendorRecords { vendor vendorId } } }');
      expect(result.errors).toBeUndefined();
      expect(result.data?.sku).toEqual({ code: 'FX-95', vendorRecords: [{ vendor: 'DISTRU', vendorId: uuid(95) }] });
      const asked = server.requests.filter((r) => r.path === '/public/v1/products').map((r) => `${r.query.get('page[number]')}/${r.query.get('page[size]')}`);
      // 95 products at Distru's silent maximum of 40: pages 1, 2, 3, and no page after the one without a next page.
      expect(asked).toEqual(['1/100', '2/100', '3/100']);
    });
  }

  // The unified `skus` list answers from the synced store (test/sync/distru-strict-sync.test.ts pages
  // a Distru that serves fewer rows than asked); the generated `distru.products` connection still pages
  // Distru live, so it must follow the rows Distru really served.
  it('pages a live connection from the rows Distru really served when it silently lowers the page size, never re-reading a page', async () => {
    const server = await fixture(95, { maxPageSize: 40 });
    const gateway = await gatewayOver(server.url, { DISTRU_MAX_PAGE_SIZE: '100' });
    const query = 'query ($after: String) { distru { products(first: 50, after: $after) { nodes { vendorId } pageInfo { hasNextPage endCursor } } } }';
    type Page = { nodes: { vendorId: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result = await gql(gateway, query, { after });
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      const products = (result.data?.distru as { products: Page }).products;
      ids.push(...products.nodes.map((n) => n.vendorId));
      if (!products.pageInfo.hasNextPage) break;
      after = products.pageInfo.endCursor;
    }
    // Every product once, in Distru's order: no row lost to the lowered page size, none twice.
    expect(ids).toEqual(fixtureData(95).products.map((p) => p.id));
    expect(server.requests.filter((r) => r.path === '/public/v1/products').map((r) => r.query.get('page[number]'))).toEqual(['1', '2', '3']);
  });

  describe('invoice update refusals name the caller’s own item', () => {
    const INVOICE_MUTATION = 'mutation ($input: UpsertDistruInvoiceInput!) { upsertDistruInvoice(input: $input) { invoice { id } } }';
    const refusing = (errors: unknown[]) => () => ({ status: 400, body: { errors } });
    // An update that sends two new items, so Distru deletes the invoice's two existing ones.
    const input = { id: toGlobalId('Invoice', 'DISTRU', INVOICE_ID), items: [{ orderItemId: uuid(8001), quantity: '1' }, { orderItemId: uuid(8003), quantity: '5' }] };

    it("when Distru indexes the request's own items, without reading the invoice again", async () => {
      const server = await fixture(3, { post: refusing([{ context: {}, message: 'Only 2 left uninvoiced', pointer: ['items', 1, 'quantity'], section: 'body' }]) });
      const gateway = await gatewayOver(server.url);
      const result = await gql(gateway, INVOICE_MUTATION, { input });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'distru', field: 'input.items[1].quantity' });
      // The existence check before the write; no read after the refusal.
      expect(server.requests.filter((r) => r.path === `/public/v1/invoices/${INVOICE_ID}`)).toHaveLength(1);
    });

    it('when the index fits nothing, by the order item Distru echoes in context', async () => {
      const server = await fixture(3, { post: refusing([{ context: { order_item_id: uuid(8003) }, message: 'Order item not found', pointer: ['items', 5, 'order_item_id'], section: 'body' }]) });
      const gateway = await gatewayOver(server.url);
      const result = await gql(gateway, INVOICE_MUTATION, { input });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.items[1].orderItemId' });
    });

    it('as recorded (seed 002): indexes counted after the deleted items', async () => {
      const server = await fixture(3, {
        post: refusing([
          { context: {}, message: 'Order item not found', pointer: ['items', 2, 'order_item_id'], section: 'body' },
          { context: {}, message: 'Only 10 left uninvoiced', pointer: ['items', 3, 'quantity'], section: 'body' },
        ]),
      });
      const gateway = await gatewayOver(server.url);
      const result = await gql(gateway, INVOICE_MUTATION, { input });
      expect(result.errors?.[0]?.extensions).toMatchObject({
        field: 'input.items[0].orderItemId',
        fields: [
          { field: 'input.items[0].orderItemId', message: 'Order item not found' },
          { field: 'input.items[1].quantity', message: 'Only 10 left uninvoiced' },
        ],
      });
    });
  });

  it('answers a Distru id that is not a UUID with BAD_USER_INPUT, sending nothing to Distru', async () => {
    const server = await fixture();
    const gateway = await gatewayOver(server.url);
    const result = await gql(gateway, ORDER_QUERY, { id: toGlobalId('Order', 'DISTRU', 'SO-1') });
    expect(result.data?.order).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(result.errors?.[0]?.message).toMatch(/not a UUID/);
    const node = await gql(gateway, 'query ($id: ID!) { node(id: $id) { id } }', { id: toGlobalId('Invoice', 'DISTRU', '12345') });
    expect(node.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(server.requests).toHaveLength(0);
  });

  it('takes DISTRU_BASE_URL written as the document writes it (ending in /public/v1)', async () => {
    const server = await fixture();
    const gateway = await gatewayOver(`${server.url}/public/v1`);
    const result = await gql(gateway, ORDER_QUERY, { id: toGlobalId('Order', 'DISTRU', ORDER_ID) });
    expect(result.errors).toBeUndefined();
    expect(server.requests.map((r) => r.path)).toContain(`/public/v1/orders/${ORDER_ID}`);
  });
});

describe('the Distru sandbox answers the same way', () => {
  let world: World;
  let sandbox: SandboxHandle<DistruStore>;
  let gateway: StartedGateway;
  beforeAll(async () => {
    world = generateWorld({ scale: 0.2 });
    sandbox = await startDistruSandbox({ port: 0, world });
    started.push(sandbox);
    gateway = await gatewayOver(sandbox.url, {}, sandbox.credentials.token);
  });

  it('keeps microseconds: six fractional digits as the sandbox writes them', async () => {
    const id = distruShowcaseOrderId(world, 'fiftyLines');
    const raw = (await (await fetch(`${sandbox.url}/public/v1/orders/${id}`, { headers: { authorization: `Bearer ${sandbox.credentials.token}` } })).json()) as { data: { order_datetime: string } };
    expect(raw.data.order_datetime).toMatch(/\.\d{6}Z$/);
    const result = await gql(gateway, ORDER_QUERY, { id: toGlobalId('Order', 'DISTRU', id) });
    expect((result.data?.order as { orderedAt: string }).orderedAt).toBe(raw.data.order_datetime);
  });

  it('keeps the stock of a line whose product lost its SKU code, joined by product id', async () => {
    const id = distruShowcaseOrderId(world, 'fiftyLines');
    const order = sandbox.store.orders.get(id)!;
    const productId = order.items[0]!.productId as string;
    const before = await gql(gateway, ORDER_QUERY, { id: toGlobalId('Order', 'DISTRU', id) });
    const stockBefore = (before.data?.order as { lines: { inventory: unknown[] }[] }).lines[0]!.inventory;
    expect(stockBefore.length).toBeGreaterThan(0);
    const product = sandbox.store.products.get(productId)!;
    const code = product.sku;
    product.sku = null;
    try {
      const after = await gql(gateway, ORDER_QUERY, { id: toGlobalId('Order', 'DISTRU', id) });
      expect(after.errors).toBeUndefined();
      const line = (after.data?.order as { lines: { vendorSkuCode: string | null; sku: unknown; inventory: { vendorSkuCode: string | null }[] }[] }).lines[0]!;
      expect(line.vendorSkuCode).toBeNull();
      expect(line.sku).toBeNull();
      expect(line.inventory).toEqual((stockBefore as { vendorSkuCode: string | null }[]).map((level) => ({ ...level, vendorSkuCode: null })));
    } finally {
      product.sku = code;
    }
  });
});
