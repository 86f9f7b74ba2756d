import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/model/global-id.js';
import { pharusId, type PharusStore } from '../../sandbox/pharus/index.js';
import { startStack, type Stack } from '../support/stack.js';

// Pharus's sales-order mutations end to end: GraphQL over HTTP → gateway → Pharus sandbox, with the
// vendor's request counts and its store as the witness of what was (not) written.

let stack: Stack;
let store: PharusStore;

const ORDER_FIELDS = /* GraphQL */ `id vendor vendorId number status vendorStatus dueAt total lines { vendorId vendorSkuCode skuCode quantity unitPrice }`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreatePharusSalesOrderInput!) {
    createPharusSalesOrder(input: $input) { order { ${ORDER_FIELDS} customerName } line { vendorId } }
  }
`;
const ADD_ITEM = /* GraphQL */ `
  mutation Add($input: AddPharusSalesOrderItemInput!) {
    addPharusSalesOrderItem(input: $input) { order { ${ORDER_FIELDS} } line { vendorId vendorSkuCode skuCode quantity unitPrice } }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdatePharusSalesOrderInput!) {
    updatePharusSalesOrder(input: $input) { order { ${ORDER_FIELDS} } }
  }
`;
const ORDER = /* GraphQL */ `
  query Order($id: ID!) { order(id: $id) { status vendorStatus dueAt lines { vendorSkuCode skuCode quantity unitPrice } } }
`;

interface Line {
  vendorId: string;
  vendorSkuCode: string;
  skuCode: string;
  quantity: string;
  unitPrice: string;
}
interface OrderView {
  id: string;
  vendorId: string;
  number: string;
  status: string;
  vendorStatus: string;
  dueAt: string;
  total: string;
  customerName?: string;
  lines: Line[];
}
type CreateData = { createPharusSalesOrder: { order: OrderView; line: null } };
type AddData = { addPharusSalesOrderItem: { order: OrderView; line: Line } };
type UpdateData = { updatePharusSalesOrder: { order: OrderView } };

beforeAll(async () => {
  // Quick retries, and a breaker that never opens: the fault tests below must not slow or close the rest.
  stack = await startStack({
    sandbox: { scale: 0.2 },
    gateway: { httpOverrides: { PHARUS: { retries: { max: 2, baseDelayMs: 5, maxDelayMs: 20 }, breaker: { failureThreshold: 1_000, openMs: 100 } } } },
  });
  store = stack.sandboxes.handles.pharus?.store as PharusStore;
});
afterEach(() => stack.sandboxes.handles.pharus?.faults.clear());
afterAll(() => stack.close());

/**
 * Two Pharus SKUs: one Pharus spells its own way (by canonical code), one spelled the same; and
 * `extra`, SKUs on neither, for lines added later (Pharus allows one line per SKU).
 */
function skus() {
  const inPharus = stack.sandboxes.world.skus.filter((s) => s.vendorCodes.pharus !== undefined);
  const differing = inPharus.find((s) => s.vendorCodes.pharus !== s.code);
  const plain = inPharus.find((s) => s.vendorCodes.pharus === s.code);
  if (!differing || !plain) throw new Error('the world has no suitable Pharus SKUs');
  const extra = inPharus.filter((s) => s !== differing && s !== plain).map((s) => ({ code: s.code }));
  if (extra.length < 2) throw new Error('the world has too few Pharus SKUs');
  return { differing: { code: differing.code, pharus: differing.vendorCodes.pharus ?? '' }, plain: { code: plain.code, pharus: plain.code }, extra };
}
const customer = () => stack.sandboxes.world.customers[0];
const customerId = () => pharusId('customer', customer()?.key ?? '');

const pharusWrites = async (): Promise<Record<string, number>> => {
  const requests = (await stack.stats()).pharus.requests;
  return Object.fromEntries(Object.entries(requests).filter(([route]) => !route.startsWith('GET ')));
};
const writeCount = async () => Object.values(await pharusWrites()).reduce((a, b) => a + b, 0);

function orderInput(extra: Record<string, unknown> = {}) {
  const { differing, plain } = skus();
  return {
    customerId: customerId(),
    channel: 'direct',
    mabd: '2026-07-01',
    items: [
      { skuCode: differing.code, quantity: 3, unitPrice: '12.5' },
      { skuCode: plain.code, quantity: 2 },
    ],
    ...extra,
  };
}

async function createOrder(extra: Record<string, unknown> = {}): Promise<OrderView> {
  const result = await stack.gql<CreateData>(CREATE, { input: orderInput(extra) });
  expect(result.errors).toBeUndefined();
  return result.data?.createPharusSalesOrder.order as OrderView;
}

describe('createPharusSalesOrder', () => {
  it('creates the order with its items in one POST, answers it, and a follow-up query shows it', async () => {
    const { differing, plain } = skus();
    await createOrder(); // warm the indexes, so the counts below are the write's own
    await stack.resetStats();
    const before = store.salesOrders.size;
    const result = await stack.gql<CreateData>(CREATE, { input: orderInput() });
    expect(result.errors).toBeUndefined();
    const order = result.data?.createPharusSalesOrder.order as OrderView;
    expect(order).toMatchObject({ status: 'DRAFT', vendorStatus: 'Received', dueAt: '2026-07-01T00:00:00.000Z', customerName: customer()?.name });
    expect(order.number).toMatch(/^P\d{6}$/);
    expect(order.lines.map((l) => [l.vendorSkuCode, l.skuCode, l.quantity])).toEqual([
      [differing.pharus, differing.code, '3'],
      [plain.pharus, plain.code, '2'],
    ]);
    expect(order.lines[0]?.unitPrice).toBe('12.5');
    // Pharus answers the created order whole: one call, no read afterwards.
    expect((await stack.stats()).pharus.requests).toEqual({ 'POST /api/sales-orders': 1 });
    expect(store.salesOrders.size).toBe(before + 1);
    const stored = store.salesOrders.get(order.vendorId);
    expect(stored?.items.map((i) => i.quantity)).toEqual([3, 2]);
    expect(stored?.orderChannelId).toBe(pharusId('order-channel', 'Direct'));

    const again = await stack.gql<{ order: OrderView }>(ORDER, { id: order.id });
    expect(again.data?.order).toMatchObject({ status: 'DRAFT', vendorStatus: 'Received', lines: [{ skuCode: differing.code, quantity: '3' }, { skuCode: plain.code, quantity: '2' }] });
  });

  it('refuses invalid input with VALIDATION_FAILED on each field, before any vendor call', async () => {
    await stack.resetStats();
    const result = await stack.gql(CREATE, { input: orderInput({ customerId: 'cust-1', mabd: '2026-02-30', items: [{ skuCode: skus().plain.code, quantity: 0 }] }) });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.customerId' });
    expect((result.errors?.[0]?.extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual(['input.customerId', 'input.mabd', 'input.items[0].quantity']);
    expect((await stack.stats()).pharus.total).toBe(0);
  });

  it('refuses an unknown SKU code and an unknown channel on their fields, writing nothing', async () => {
    await createOrder(); // indexes warm
    await stack.resetStats();
    const before = store.salesOrders.size;
    const result = await stack.gql(CREATE, { input: orderInput({ channel: 'Carrier pigeon', items: [{ skuCode: skus().plain.code, quantity: 1 }, { skuCode: 'NO-SUCH-SKU', quantity: 1 }] }) });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'pharus', field: 'input.channel' });
    expect((result.errors?.[0]?.extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual(['input.channel', 'input.items[1].skuCode']);
    // Both indexes were fresh: not even a read.
    expect((await stack.stats()).pharus.total).toBe(0);
    expect(store.salesOrders.size).toBe(before);
  });

  it('maps Pharus’s own refusals onto the input: a price with too many places, a customer it does not know', async () => {
    const before = store.salesOrders.size;
    const price = await stack.gql(CREATE, { input: orderInput({ items: [{ skuCode: skus().plain.code, quantity: 1, unitPrice: '1.234' }] }) });
    expect(price.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'pharus', vendorCode: 'validation_failed', field: 'input.items[0].unitPrice' });
    const unknown = await stack.gql(CREATE, { input: orderInput({ customerId: '00000000-0000-4000-8000-000000000000' }) });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'pharus', vendorCode: 'not_found', field: 'input.customerId' });
    expect(store.salesOrders.size).toBe(before);
  });

  it('writes once for a retried idempotency key, refuses the key with other input, and writes once for concurrent twins', async () => {
    const input = { ...orderInput(), idempotencyKey: 'pharus-order-retry-1' };
    const before = store.salesOrders.size;
    await stack.resetStats();
    const first = await stack.gql<CreateData>(CREATE, { input });
    const second = await stack.gql<CreateData>(CREATE, { input });
    expect(second.data?.createPharusSalesOrder.order.vendorId).toBe(first.data?.createPharusSalesOrder.order.vendorId);
    expect(store.salesOrders.size).toBe(before + 1);
    expect(await pharusWrites()).toEqual({ 'POST /api/sales-orders': 1 });

    const conflict = await stack.gql(CREATE, { input: { ...input, mabd: '2026-07-02' } });
    expect(conflict.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });

    await stack.resetStats();
    const twin = { ...input, idempotencyKey: 'pharus-order-concurrent-1' };
    const [a, b] = await Promise.all([stack.gql<CreateData>(CREATE, { input: twin }), stack.gql<CreateData>(CREATE, { input: twin })]);
    expect(a.data?.createPharusSalesOrder.order.vendorId).toBe(b.data?.createPharusSalesOrder.order.vendorId);
    expect(await pharusWrites()).toEqual({ 'POST /api/sales-orders': 1 });
    expect(store.salesOrders.size).toBe(before + 2);
  });
});

describe('addPharusSalesOrderItem', () => {
  it('adds the item, answers the order with it and the line, and a follow-up query shows it', async () => {
    const order = await createOrder();
    await stack.resetStats();
    const { differing } = skus();
    const extra = skus().extra[0]?.code ?? '';
    const result = await stack.gql<AddData>(ADD_ITEM, { input: { orderId: order.id, skuCode: extra, quantity: 7, unitPrice: '4.25' } });
    expect(result.errors).toBeUndefined();
    const payload = result.data?.addPharusSalesOrderItem;
    expect(payload?.line).toMatchObject({ vendorSkuCode: extra, skuCode: extra, quantity: '7', unitPrice: '4.25' });
    expect(payload?.order.lines).toHaveLength(3);
    expect(payload?.order.lines[2]?.vendorId).toBe(payload?.line.vendorId);
    // The add, then the order as it now is.
    expect((await stack.stats()).pharus.requests).toEqual({ 'POST /api/sales-orders/:id/items': 1, 'GET /api/sales-orders/:id': 1 });
    expect(store.salesOrders.get(order.vendorId)?.items.map((i) => i.quantity)).toEqual([3, 2, 7]);

    const again = await stack.gql<{ order: OrderView }>(ORDER, { id: order.id });
    expect(again.data?.order.lines.map((l) => l.quantity)).toEqual(['3', '2', '7']);
  });

  it('refuses the id of another vendor’s order and an unknown SKU code before any write', async () => {
    const order = await createOrder();
    await stack.resetStats();
    const distru = await stack.gql(ADD_ITEM, { input: { orderId: toGlobalId('Order', 'DISTRU', '1f0e2d3c-0000-4000-8000-000000000001'), skuCode: skus().plain.code, quantity: 1 } });
    expect(distru.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.orderId' });
    expect((await stack.stats()).pharus.total).toBe(0);
    const sku = await stack.gql(ADD_ITEM, { input: { orderId: order.id, skuCode: 'NO-SUCH-SKU', quantity: 1 } });
    expect(sku.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'pharus', field: 'input.skuCode' });
    expect(await writeCount()).toBe(0);
  });

  it('answers NOT_FOUND on input.orderId for an order Pharus does not have', async () => {
    await stack.resetStats();
    const missing = toGlobalId('Order', 'PHARUS', '00000000-0000-4000-8000-00000000abcd');
    const result = await stack.gql(ADD_ITEM, { input: { orderId: missing, skuCode: skus().plain.code, quantity: 1 } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'pharus', field: 'input.orderId' });
  });

  it('adds one item for a retried idempotency key, and one for concurrent twins', async () => {
    const order = await createOrder();
    await stack.resetStats();
    const input = { idempotencyKey: 'pharus-item-retry-1', orderId: order.id, skuCode: skus().extra[0]?.code, quantity: 5 };
    const first = await stack.gql<AddData>(ADD_ITEM, { input });
    const second = await stack.gql<AddData>(ADD_ITEM, { input });
    expect(second.data?.addPharusSalesOrderItem.line.vendorId).toBe(first.data?.addPharusSalesOrderItem.line.vendorId);
    const conflict = await stack.gql(ADD_ITEM, { input: { ...input, quantity: 6 } });
    expect(conflict.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    const twin = { ...input, idempotencyKey: 'pharus-item-concurrent-1', skuCode: skus().extra[1]?.code };
    await Promise.all([stack.gql(ADD_ITEM, { input: twin }), stack.gql(ADD_ITEM, { input: twin })]);
    expect(await pharusWrites()).toEqual({ 'POST /api/sales-orders/:id/items': 2 });
    expect(store.salesOrders.get(order.vendorId)?.items.map((i) => i.quantity)).toEqual([3, 2, 5, 5]);
  });
});

describe('Pharus’s sales-order rules, mapped onto the input', () => {
  it('answers CONFLICT naming the SKU line when a SKU is already on the order (one line per SKU), writing nothing', async () => {
    const { differing, plain } = skus();
    const created = await stack.gql(CREATE, {
      input: orderInput({ items: [{ skuCode: plain.code, quantity: 1 }, { skuCode: differing.code, quantity: 1 }, { skuCode: differing.pharus, quantity: 2 }] }),
    });
    // The third line names the same Pharus SKU as the second (by its Pharus spelling).
    expect(created.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', vendor: 'pharus', vendorCode: 'conflict', field: 'input.items[2].skuCode', skuCode: differing.pharus });
    expect(created.errors?.[0]?.message).toContain(differing.pharus);

    const order = await createOrder();
    await stack.resetStats();
    const added = await stack.gql(ADD_ITEM, { input: { orderId: order.id, skuCode: plain.code, quantity: 4 } });
    expect(added.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', vendor: 'pharus', field: 'input.skuCode', skuCode: plain.code });
    expect(store.salesOrders.get(order.vendorId)?.items.map((i) => i.quantity)).toEqual([3, 2]);
  });

  it('answers INVALID_TRANSITION naming the status when items are added to an order that has shipped', async () => {
    const order = await createOrder({ status: 'SHIPPED' });
    const result = await stack.gql(ADD_ITEM, { input: { orderId: order.id, skuCode: skus().extra[0]?.code, quantity: 1 } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', vendor: 'pharus', vendorCode: 'invalid_transition', field: 'input.orderId', status: 'SHIPPED' });
    expect(store.salesOrders.get(order.vendorId)?.items).toHaveLength(2);
  });
});

describe('a read that fails after a write', () => {
  it('fails the response but not the write: the retry with the same key adds nothing and answers the order', async () => {
    const order = await createOrder();
    const input = { idempotencyKey: 'pharus-item-read-fails-1', orderId: order.id, skuCode: skus().extra[0]?.code, quantity: 9 };
    stack.sandboxes.handles.pharus?.faults.add({ match: 'GET /api/sales-orders/', status: 503 });
    const failed = await stack.gql(ADD_ITEM, { input });
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'pharus' });
    expect(store.salesOrders.get(order.vendorId)?.items.map((i) => i.quantity)).toEqual([3, 2, 9]);

    stack.sandboxes.handles.pharus?.faults.clear();
    await stack.resetStats();
    const retried = await stack.gql<AddData>(ADD_ITEM, { input });
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.addPharusSalesOrderItem.order.lines.map((l) => l.quantity)).toEqual(['3', '2', '9']);
    expect(await writeCount()).toBe(0);
    expect(store.salesOrders.get(order.vendorId)?.items).toHaveLength(3);
  });
});

describe('updatePharusSalesOrder', () => {
  it('moves the status along Pharus’s transitions and changes the fields given; a follow-up query shows it', async () => {
    const order = await createOrder({ status: 'ENTERED' });
    await stack.resetStats();
    const result = await stack.gql<UpdateData>(UPDATE, { input: { id: order.id, status: 'SHIPPED', fulfillmentStatus: 'FULFILLED', mabd: '2026-08-15', freightCosts: '19.9' } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.updatePharusSalesOrder.order).toMatchObject({ status: 'FULFILLED', vendorStatus: 'Shipped', dueAt: '2026-08-15T00:00:00.000Z' });
    expect((await stack.stats()).pharus.requests).toEqual({ 'PATCH /api/sales-orders/:id': 1, 'GET /api/sales-orders/:id': 1 });
    const stored = store.salesOrders.get(order.vendorId);
    expect(stored).toMatchObject({ orderStatus: 'Shipped', fulfillmentStatus: 'Fulfilled', freightCosts: 1990 });
    expect(stored?.shippedAt).toBeInstanceOf(Date);

    const again = await stack.gql<{ order: OrderView }>(ORDER, { id: order.id });
    expect(again.data?.order).toMatchObject({ status: 'FULFILLED', vendorStatus: 'Shipped', dueAt: '2026-08-15T00:00:00.000Z' });
  });

  it('answers INVALID_TRANSITION on input.status naming the statuses for a transition Pharus refuses, and leaves the order as it was', async () => {
    const order = await createOrder({ status: 'SHIPPED' });
    const result = await stack.gql(UPDATE, { input: { id: order.id, status: 'RECEIVED', notes: 'back to start' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_TRANSITION',
      vendor: 'pharus',
      vendorCode: 'invalid_transition',
      field: 'input.status',
      from: 'SHIPPED',
      to: 'RECEIVED',
      allowed: ['INVOICED', 'PAID', 'COMPLETED', 'IN_DISPUTE'],
    });
    expect(store.salesOrders.get(order.vendorId)).toMatchObject({ orderStatus: 'Shipped', notes: null });
    // Setting the status it already has is no move at all: it succeeds.
    const same = await stack.gql<UpdateData>(UPDATE, { input: { id: order.id, status: 'SHIPPED' } });
    expect(same.data?.updatePharusSalesOrder.order.vendorStatus).toBe('Shipped');
    // Paid is terminal (W147).
    const paid = await createOrder({ status: 'PAID' });
    const closed = await stack.gql(UPDATE, { input: { id: paid.id, status: 'COMPLETED' } });
    expect(closed.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', from: 'PAID', to: 'COMPLETED', allowed: [] });
  });

  it('refuses an update that changes nothing, and a channel Pharus does not have, before any write', async () => {
    const order = await createOrder();
    await stack.resetStats();
    const empty = await stack.gql(UPDATE, { input: { id: order.id, notes: null } });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input' });
    const channel = await stack.gql(UPDATE, { input: { id: order.id, channel: 'Telepathy' } });
    expect(channel.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.channel' });
    expect((await stack.stats()).pharus.total).toBe(0);
  });

  it('answers NOT_FOUND on input.id for an order Pharus does not have', async () => {
    const result = await stack.gql(UPDATE, { input: { id: toGlobalId('Order', 'PHARUS', '00000000-0000-4000-8000-00000000dcba'), status: 'ENTERED' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'pharus', field: 'input.id' });
  });

  it('patches once for a retried idempotency key and for concurrent twins; another input with the key is refused', async () => {
    const order = await createOrder();
    await stack.resetStats();
    const input = { idempotencyKey: 'pharus-update-retry-1', id: order.id, status: 'ENTERED' };
    await stack.gql(UPDATE, { input });
    const second = await stack.gql<UpdateData>(UPDATE, { input });
    expect(second.data?.updatePharusSalesOrder.order.vendorStatus).toBe('Entered');
    const conflict = await stack.gql(UPDATE, { input: { ...input, status: 'SHIPPED' } });
    expect(conflict.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    const twin = { ...input, idempotencyKey: 'pharus-update-concurrent-1', status: 'SHIPPED' };
    await Promise.all([stack.gql(UPDATE, { input: twin }), stack.gql(UPDATE, { input: twin })]);
    expect(await pharusWrites()).toEqual({ 'PATCH /api/sales-orders/:id': 2 });
    expect(store.salesOrders.get(order.vendorId)?.orderStatus).toBe('Shipped');
  });
});
