import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distruId } from '../../sandbox/distru/index.js';
import { client, startSmallDistru, type DistruSandbox } from './fixtures/distru/harness.js';
import { picks } from './fixtures/distru/picks.js';
import { shapeDifferences, shapeOf, type Shape } from './fixtures/distru/shape.js';
import type { ErrorBody, InvoiceJson, OneBody, OrderJson, PurchaseJson } from './fixtures/distru/wire.js';

/**
 * Contract tests: every request/response example recorded in seed 002 (extracted verbatim into
 * fixtures/distru/examples.json) is sent to the sandbox with the sandbox's ids in place of the
 * recorded ones, and must come back with the recorded status and the recorded field names and
 * JSON types. Shapes of one resource are merged over all its recorded examples (see shape.ts).
 */
interface Example {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  requestBody?: Record<string, unknown>;
  status: number;
  responseBody: { data?: unknown; errors?: unknown[] };
}
type Body = Record<string, unknown>;
type Items = Body[];

const examples = JSON.parse(readFileSync(new URL('./fixtures/distru/examples.json', import.meta.url), 'utf8')) as Example[];

/** `/public/v1/orders/…?…` → `orders`. */
const resourceOf = (path: string) => path.split('?')[0]?.split('/')[3] ?? '';

/** The merged recorded shape of each resource's records, and of error entries. */
const recordedShapes = new Map<string, Shape>();
for (const example of examples) {
  const key = example.status === 200 ? resourceOf(example.path) : 'errors';
  const records = example.status === 200 ? example.responseBody.data : example.responseBody.errors;
  const shape = recordedShapes.get(key);
  for (const record of Array.isArray(records) ? records : [records]) recordedShapes.set(key, shapeOf(record, recordedShapes.get(key) ?? shape));
}

let sandbox: DistruSandbox;
let pick: ReturnType<typeof picks>;
beforeAll(async () => {
  sandbox = await startSmallDistru();
  pick = picks(sandbox.store);
});
afterAll(() => sandbox.close());

const api = () => client(sandbox);

/** A copy of a recorded body with the given fields replaced (`undefined` removes a field). */
function adapt(body: Body | undefined, fields: Body, items?: (item: Body, index: number) => Body, charges?: (charge: Body, index: number) => Body): Body {
  const copy: Body = { ...structuredClone(body ?? {}), ...fields };
  if (items && Array.isArray(copy.items)) copy.items = (copy.items as Items).map((item, i) => ({ ...item, ...items(item, i) }));
  if (charges && Array.isArray(copy.charges)) copy.charges = (copy.charges as Items).map((charge, i) => ({ ...charge, ...charges(charge, i) }));
  for (const [key, value] of Object.entries(copy)) if (value === undefined) delete copy[key];
  for (const line of [...((copy.items as Items | undefined) ?? []), ...((copy.charges as Items | undefined) ?? [])]) {
    for (const [key, value] of Object.entries(line)) if (value === undefined) delete line[key];
  }
  return copy;
}

/** Recorded ids removed, so the body creates a record (the first half of an "update" example). */
const asCreate = (body: Body | undefined) => adapt(body, { id: undefined }, () => ({ id: undefined }), () => ({ id: undefined }));

async function postData<T>(path: string, body: Body): Promise<T> {
  const response = await api().post(path, body);
  if (response.status !== 200) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
  return (response.body as OneBody<T>).data;
}

/** An order like the one the recorded invoice examples bill: an item of 1 at 3.00 and one of 10 at 5.00. */
async function orderToInvoice(): Promise<OrderJson> {
  return postData<OrderJson>('/public/v1/orders', {
    company_id: pick.customer,
    status: 'PROCESSING',
    items: [
      { product_id: pick.oneBatchProduct, location_id: pick.ownLocation, price_base: '3', quantity: '5' },
      { batch_id: pick.batchOf(pick.manyBatchProduct).id, location_id: pick.ownLocation, price_base: '5', quantity: '10' },
    ],
  });
}

/** The invoice examples build on each other, as in the recording: create, create, update the second, fail to update the first. */
const invoiceFlow: { order?: OrderJson; secondOrder?: OrderJson; first?: InvoiceJson; second?: InvoiceJson } = {};

type Request = { path: string; body?: Body };
/** How each recorded example is sent to the sandbox, in the order of examples.json. */
const requests: ((example: Example) => Promise<Request>)[] = [
  /* batches */ async (e) => ({ path: e.path }),
  /* companies */ async (e) => ({ path: e.path }),
  /* inventory by product id */ async (e) => ({ path: e.path.replace(/product_ids\[\]=[^&]+/, `product_ids[]=${sandbox.store.productIdsSorted[0]}`) }),
  /* inventory grouped ×4 */ async (e) => ({ path: e.path }),
  async (e) => ({ path: e.path }),
  async (e) => ({ path: e.path }),
  async (e) => ({ path: e.path }),
  /* invoices */ async (e) => ({ path: e.path }),
  /* invoices by status */ async (e) => ({ path: e.path }),
  /* invoice by id */ async () => ({ path: `/public/v1/invoices/${[...sandbox.store.invoices.keys()][0]}` }),
  /* invoice create */ async (e) => {
    invoiceFlow.order = await orderToInvoice();
    const [a, b] = invoiceFlow.order.items;
    return { path: e.path, body: adapt(e.requestBody, { billing_location_id: pick.customerLocation, order_id: invoiceFlow.order.id }, (_item, i) => ({ order_item_id: [a, b][i]?.id })) };
  },
  /* invoice "update" (recorded without id: a create) */ async (e) => {
    invoiceFlow.secondOrder = await orderToInvoice();
    const [a, b] = invoiceFlow.secondOrder.items;
    return { path: e.path, body: adapt(e.requestBody, { billing_location_id: pick.customerLocation, order_id: invoiceFlow.secondOrder.id }, (_item, i) => ({ order_item_id: [a, b][i]?.id })) };
  },
  /* invoice update by id */ async (e) => {
    const { secondOrder: order, second } = invoiceFlow;
    const [a, b] = order?.items ?? [];
    return {
      path: e.path,
      body: adapt(
        e.requestBody,
        { id: second?.id, billing_location_id: pick.customerLocation, order_id: order?.id },
        (item, i) => ({ order_item_id: [a, b][i]?.id, ...(item.id === undefined ? {} : { id: second?.items[i]?.id }) }),
        (charge, i) => (charge.id === undefined ? {} : { id: second?.charges[i]?.id }),
      ),
    };
  },
  /* invoice update errors */ async (e) => {
    const { order, first } = invoiceFlow;
    return { path: e.path, body: adapt(e.requestBody, { id: first?.id, billing_location_id: pick.customerLocation, order_id: order?.id }, (item, i) => (i === 0 ? {} : { order_item_id: order?.items[1]?.id })) };
  },
  /* locations */ async (e) => ({ path: e.path }),
  /* orders */ async (e) => ({ path: e.path }),
  /* orders by status */ async (e) => ({ path: e.path }),
  /* order by id */ async () => ({ path: `/public/v1/orders/${distruId('order', sandbox.world.showcase.distru.tenLines)}` }),
  /* order, product-tracked */ async (e) => ({ path: e.path, body: orderAt(e, () => ({ product_id: pick.oneBatchProduct })) }),
  /* order, price tiers */ async (e) => ({ path: e.path, body: orderAt(e, () => ({ product_id: pick.tieredProduct })) }),
  /* order, batch-tracked */ async (e) => ({ path: e.path, body: orderAt(e, () => ({ batch_id: pick.batchOf(pick.manyBatchProduct).id })) }),
  /* order, batch-tracked without batch */ async (e) => ({ path: e.path, body: orderAt(e, () => ({ product_id: pick.manyBatchProduct })) }),
  /* order, package-tracked */ async (e) => ({ path: e.path, body: orderAt(e, () => ({ package_id: pick.packageOf(pick.batchOf(pick.manyBatchProduct).id).id })) }),
  /* order, package-tracked without package */ async (e) => ({ path: e.path, body: orderAt(e, () => ({ product_id: pick.manyBatchProduct })) }),
  /* order update */ async (e) => orderUpdate(e, pick.oneBatchProduct),
  /* order, re-apply price tiers */ async (e) => ({ path: e.path, body: orderAt(e, () => ({ product_id: pick.tieredProduct })) }),
  /* order, deleting items and charges */ async (e) => {
    const created = await postData<OrderJson>(e.path, { ...orderAt(e, () => ({ product_id: pick.oneBatchProduct, id: undefined })), id: undefined, charges: [{ name: 'C1', percent: '10.0000', type: 'CHARGE', unit_type: 'PERCENT' }], items: [...Array(2)].map(() => ({ product_id: pick.oneBatchProduct, location_id: pick.ownLocation, price_base: '10', quantity: '1' })) });
    return { path: e.path, body: orderAt(e, () => ({ product_id: pick.oneBatchProduct, id: created.items[0]?.id }), created.id) };
  },
  /* packages */ async (e) => ({ path: e.path }),
  /* products */ async (e) => ({ path: e.path }),
  /* purchases */ async (e) => ({ path: e.path }),
  /* purchases by status */ async (e) => ({ path: e.path }),
  /* purchase, product-tracked */ async (e) => ({ path: e.path, body: purchaseAt(e, () => ({ product_id: pick.oneBatchProduct })) }),
  /* purchase, batch-tracked */ async (e) => ({ path: e.path, body: purchaseAt(e, () => ({ product_id: pick.manyBatchProduct, batch_id: pick.batchOf(pick.manyBatchProduct).id })) }),
  /* purchase, package-tracked */ async (e) => ({ path: e.path, body: purchaseAt(e, () => ({ product_id: pick.oneBatchProduct })) }),
  /* purchase "update" (recorded without id: a create) */ async (e) => ({ path: e.path, body: purchaseAt(e, () => ({ product_id: pick.oneBatchProduct })) }),
  /* purchase update */ async (e) => {
    const created = await postData<PurchaseJson>(e.path, purchaseAt({ ...e, requestBody: asCreate(e.requestBody) }, () => ({ product_id: pick.oneBatchProduct, batch_id: undefined })));
    return {
      path: e.path,
      body: adapt(
        purchaseAt(e, (item, i) => (i === 0 ? { product_id: pick.oneBatchProduct, id: created.items[0]?.id } : { product_id: pick.manyBatchProduct, batch_id: pick.batchOf(pick.manyBatchProduct).id })),
        { id: created.id },
        undefined,
        (charge, i) => (charge.id === undefined ? {} : { id: created.charges[i]?.id }),
      ),
    };
  },
  /* purchase beyond Pending */ async (e) => {
    const completed = [...sandbox.store.purchases.values()].find((p) => p.status === 'COMPLETED');
    const line = completed?.items[0];
    return { path: e.path, body: adapt(purchaseAt(e, () => ({ id: line?.id, batch_id: line?.batchId ?? undefined, product_id: line?.productId })), { id: completed?.id }) };
  },
  /* purchase, supplier of another company */ async (e) => ({ path: e.path, body: adapt(purchaseAt(e, () => ({ product_id: pick.oneBatchProduct })), { company_id: pick.foreign.company }) }),
  /* purchase, product of another company */ async (e) => ({ path: e.path, body: purchaseAt(e, () => ({ product_id: pick.foreign.product })) }),
  /* purchase, batch of another company */ async (e) => ({ path: e.path, body: purchaseAt(e, () => ({ batch_id: pick.foreign.batch })) }),
  /* purchase, location of another company */ async (e) => ({ path: e.path, body: adapt(purchaseAt(e, () => ({ product_id: pick.oneBatchProduct, location_id: pick.foreign.location })), { location_id: pick.foreign.location }) }),
  /* purchase, item location other than the purchase's */ async (e) => ({ path: e.path, body: adapt(purchaseAt(e, () => ({ product_id: pick.oneBatchProduct, location_id: pick.otherOwnLocation })), { location_id: pick.ownLocation }) }),
];

/** A recorded order body with the sandbox's customer, locations and the given product fields. */
function orderAt(e: Example, line: (item: Body, index: number) => Body, id?: string): Body {
  const has = (key: string) => e.requestBody !== undefined && key in e.requestBody;
  return adapt(
    e.requestBody,
    {
      ...(has('company_id') ? { company_id: pick.customer } : {}),
      ...(has('billing_location_id') ? { billing_location_id: pick.customerLocation } : {}),
      ...(has('shipping_location_id') ? { shipping_location_id: pick.customerLocation } : {}),
      id,
    },
    (item, i) => ({ location_id: pick.ownLocation, ...(item.id === undefined ? {} : { id: undefined }), ...line(item, i) }),
    (charge) => (charge.id === undefined ? {} : { id: undefined }),
  );
}

/** Creates the order an update example updates, then sends the update with the created ids. */
async function orderUpdate(e: Example, productId: string): Promise<Request> {
  const created = await postData<OrderJson>(e.path, orderAt({ ...e, requestBody: asCreate(e.requestBody) }, () => ({ product_id: productId })));
  const body = orderAt(e, (_item, i) => ({ product_id: productId, id: created.items[i]?.id }), created.id);
  if (Array.isArray(body.charges)) body.charges = (body.charges as Items).map((charge, i) => ({ ...charge, id: created.charges[i]?.id }));
  return { path: e.path, body };
}

/** A recorded purchase body with the sandbox's supplier and warehouse and the given product fields. */
function purchaseAt(e: Example, line: (item: Body, index: number) => Body): Body {
  return adapt(e.requestBody, { company_id: pick.supplier, location_id: pick.ownLocation }, (item, i) => ({ location_id: pick.ownLocation, ...line(item, i) }));
}

/** The envelope: `{data}` for one record, `{data, next_page?}` for a list, `{errors}` for a refusal. */
function envelopeProblems(recorded: Example['responseBody'], actual: Body): string[] {
  const allowed = new Set([...Object.keys(recorded), ...(Array.isArray(recorded.data) ? ['next_page'] : [])]);
  const problems = Object.keys(actual).filter((k) => !allowed.has(k)).map((k) => `$.${k}: not in the recording`);
  for (const key of Object.keys(recorded)) if (!(key in actual)) problems.push(`$.${key}: missing`);
  if (Array.isArray(recorded.data) !== Array.isArray(actual.data) && 'data' in recorded) problems.push('$.data: list and single record confused');
  return problems;
}

describe('Distru contract: every recorded example', () => {
  it('has a request for every recorded example', () => {
    expect(requests).toHaveLength(examples.length);
  });

  it.each(examples.map((example, index) => [example.name, index] as const))('%s', async (_name, index) => {
    const example = examples[index] as Example;
    const request = await (requests[index] as (e: Example) => Promise<Request>)(example);
    const response = example.method === 'GET' ? await api().get(request.path) : await api().post(request.path, request.body);
    const body = response.body as Body;
    expect(response.status, JSON.stringify(body)).toBe(example.status);
    expect(envelopeProblems(example.responseBody, body)).toEqual([]);

    const key = example.status === 200 ? resourceOf(example.path) : 'errors';
    const records = example.status === 200 ? body.data : body.errors;
    const actual = (Array.isArray(records) ? records : [records]).reduce<Shape | undefined>((shape, record) => shapeOf(record, shape), undefined);
    if (Array.isArray(records)) expect(records.length, 'a list example must be compared with records').toBeGreaterThan(0);
    expect(shapeDifferences(recordedShapes.get(key) as Shape, actual as Shape)).toEqual([]);

    if (example.status !== 200) {
      // Refusals: the same messages at the same pointers; a context id where the recording has one.
      const summary = (errors: unknown) => (errors as ErrorBody['errors']).map((e) => [e.message, e.pointer, e.section, Object.keys(e.context)]);
      expect(summary(body.errors)).toEqual(summary(example.responseBody.errors));
    } else if (example.method === 'POST') {
      // Writes use the recorded quantities, prices and charges, so the recorded totals must come back.
      const recorded = example.responseBody.data as { total: string; charges: { price: string }[]; status: string };
      const data = body.data as { total: string; charges: { price: string }[]; status: string };
      expect({ total: data.total, charges: data.charges.map((c) => c.price), status: data.status }).toEqual({ total: recorded.total, charges: recorded.charges.map((c) => c.price), status: recorded.status });
      if (index === 10) invoiceFlow.first = body.data as InvoiceJson;
      if (index === 11) invoiceFlow.second = body.data as InvoiceJson;
    }
  });
});
