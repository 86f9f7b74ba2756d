import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/model/global-id.js';
import { toDecimal } from '../../src/model/decimal.js';
import { readFromSandbox, type ReadableVendor } from '../support/sandbox-read.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The unified fields issue 13 restored, read through GraphQL against the sandboxes and compared with
 * what the vendor itself answers for the same record (read straight from the sandbox's HTTP API).
 */
type Json = Record<string, unknown>;

let stack: Stack;
beforeAll(async () => {
  // Invoices are listed from the synced store: the stack runs the sync and waits for its first pass.
  stack = await startStack({ synced: true });
});
afterAll(async () => {
  await stack?.close();
});

const vendorGet = (vendor: ReadableVendor, path: string): Promise<Json> => readFromSandbox(stack, vendor, path);

const decimalOrNull = (value: unknown) => (value === null || value === undefined ? null : toDecimal(value as string));
const expectedCharge = (c: Json) => ({ vendorId: c.id, name: c.name, type: c.type, vendorType: c.type, unitType: c.unit_type, percent: decimalOrNull(c.percent), amount: decimalOrNull(c.price) });
const CHARGE = 'vendorId name type vendorType unitType percent amount';

describe('Distru orders and invoices keep their addresses, charges, lines and balance', () => {
  it('shows an order’s billing and shipping address and its taxes, discounts and charges as Distru lists them', async () => {
    const orders = (await vendorGet('distru', '/public/v1/orders?page[size]=100')).data as Json[];
    const order = orders.find((o) => {
      const types = (o.charges as Json[]).map((c) => c.type);
      return types.includes('TAX') && types.includes('DISCOUNT') && o.billing_location !== null;
    });
    expect(order, 'a sandbox order with a tax and a discount').toBeDefined();
    const r = await stack.gql<{ order: Json }>(
      `query($id: ID!) { order(id: $id) { billingAddress { locationId name address } shippingAddress { locationId name address } charges { ${CHARGE} } taxes { name } discounts { name } } }`,
      { id: toGlobalId('Order', 'DISTRU', order!.id as string) },
    );
    expect(r.errors).toBeUndefined();
    const billing = order!.billing_location as Json;
    const shipping = order!.shipping_location as Json;
    expect(r.data!.order.billingAddress).toEqual({ locationId: billing.id, name: billing.name, address: billing.address });
    expect(r.data!.order.shippingAddress).toEqual({ locationId: shipping.id, name: shipping.name, address: shipping.address });
    const charges = order!.charges as Json[];
    expect(r.data!.order.charges).toEqual(charges.map(expectedCharge));
    expect(r.data!.order.taxes).toEqual(charges.filter((c) => c.type === 'TAX').map((c) => ({ name: c.name })));
    expect(r.data!.order.discounts).toEqual(charges.filter((c) => c.type === 'DISCOUNT').map((c) => ({ name: c.name })));
  });

  it('shows each invoice’s lines, charges and a balance that follows its payment status', async () => {
    const invoices = (await vendorGet('distru', '/public/v1/invoices?page[size]=100')).data as Json[];
    const r = await stack.gql<{ invoices: { nodes: Json[] } }>(
      `{ invoices(first: 100) { nodes { vendorId status total balance charges { ${CHARGE} } lines { vendorId orderLineVendorId vendorSkuCode skuCode productName quantity unitPrice lineTotal lotNumber sku { code } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const byId = new Map(r.data!.invoices.nodes.map((n) => [n.vendorId, n]));
    const balances = new Map<string, unknown[]>();
    for (const invoice of invoices) {
      const ours = byId.get(invoice.id);
      if (!ours) continue;
      const total = toDecimal(invoice.total as string);
      // Distru's invoice has no balance (seed 002): what its status says, and nothing it does not.
      const expected = invoice.status === 'NOT_PAID' ? total : invoice.status === 'FULLY_PAID' ? '0' : null;
      expect(ours.balance, `${String(invoice.invoice_number)} (${String(invoice.status)})`).toBe(expected);
      balances.set(invoice.status as string, [...(balances.get(invoice.status as string) ?? []), ours.balance]);
      expect(ours.charges).toEqual((invoice.charges as Json[]).map(expectedCharge));
      const items = invoice.items as Json[];
      expect(ours.lines).toEqual(
        items.map((item) => {
          const product = item.product as Json | null;
          const batch = item.batch as Json | null;
          const quantity = toDecimal(item.quantity as string);
          const unitPrice = decimalOrNull(item.price);
          return {
            vendorId: item.id,
            orderLineVendorId: item.order_item_id,
            vendorSkuCode: product?.sku ?? null,
            skuCode: product?.sku ?? null,
            productName: product?.name ?? null,
            quantity,
            unitPrice,
            lineTotal: unitPrice === null ? null : expect.any(String),
            lotNumber: batch?.batch_number ?? batch?.name ?? null,
            sku: product?.sku ? { code: product.sku } : null,
          };
        }),
      );
    }
    // The page holds both kinds whose balance Distru's status settles, so neither rule went untested.
    expect(balances.get('NOT_PAID')?.length).toBeGreaterThan(0);
    expect(balances.get('FULLY_PAID')?.length).toBeGreaterThan(0);
    expect(r.data!.invoices.nodes.some((n) => (n.charges as unknown[]).length > 0)).toBe(true);
  });

  it('tells an invoice from an order by id even now that both have lines', async () => {
    const invoices = (await vendorGet('distru', '/public/v1/invoices?page[size]=1')).data as Json[];
    const id = toGlobalId('Invoice', 'DISTRU', invoices[0]!.id as string);
    const r = await stack.gql<{ node: Json }>('query($id: ID!) { node(id: $id) { __typename ... on Invoice { vendorId lines { vendorId } } } }', { id });
    expect(r.errors).toBeUndefined();
    expect(r.data!.node.__typename).toBe('Invoice');
    expect((r.data!.node.lines as unknown[]).length).toBe((invoices[0]!.items as unknown[]).length);
  });
});

describe('Pharus orders keep their fulfilment status and channel', () => {
  it('shows the fulfilment status verbatim and the order channel by name, the names from the synced store', async () => {
    const list = (await vendorGet('pharus', '/sales-orders?limit=5')).data as Json[];
    const channels = new Map(((await vendorGet('pharus', '/order-channels')).data as Json[]).map((c) => [c.id, c.name]));
    const ids = list.map((o) => o.id as string);
    await stack.resetStats();
    const r = await stack.gql<Record<string, Json>>(`{ ${ids.map((id, i) => `o${i}: order(id: "${toGlobalId('Order', 'PHARUS', id)}") { vendorId fulfillmentStatus channel }`).join(' ')} }`);
    expect(r.errors).toBeUndefined();
    for (const [i, order] of list.entries()) {
      expect(r.data![`o${i}`]).toEqual({ vendorId: order.id, fulfillmentStatus: order.fulfillmentStatus, channel: channels.get(order.orderChannelId) });
    }
    // Five orders; their channels' names from the synced store (this stack runs the sync), no channel read.
    const pharusCalls = (await stack.stats()).pharus.requests;
    expect(pharusCalls, JSON.stringify(pharusCalls)).toEqual({ 'GET /api/sales-orders/:id': 5 });
  });
});

describe('ISOlocity NCRs and inspections keep what the document describes', () => {
  it('shows an NCR’s immediate action and investigation flags', async () => {
    const ncrs = (await vendorGet('isolocity', '/ncrs?per_page=5')).data as Json[];
    const ncr = ncrs.find((n) => n.immediate_action !== null)!;
    expect(ncr).toBeDefined();
    const r = await stack.gql<{ node: Json }>('query($id: ID!) { node(id: $id) { ... on Ncr { immediateAction rootCauseDetermined hasIncompleteActionItems } } }', { id: toGlobalId('Ncr', 'ISOLOCITY', String(ncr.id)) });
    expect(r.errors).toBeUndefined();
    expect(r.data!.node).toEqual({ immediateAction: ncr.immediate_action, rootCauseDetermined: ncr.is_root_cause_determined, hasIncompleteActionItems: ncr.has_incomplete_action_items });
  });

  it('links an inspection to the specification it follows, one read per specification however many inspections name it', async () => {
    const inspections = (await vendorGet('isolocity', '/inspections?per_page=15')).data as Json[];
    const specIds = [...new Set(inspections.map((i) => i.drawing_id).filter((id) => id !== null))];
    expect(specIds.length).toBeGreaterThan(0);
    expect(specIds.length).toBeLessThan(inspections.length);
    await stack.resetStats();
    const r = await stack.gql<Record<string, Json>>(`{ ${inspections.map((i, n) => `i${n}: node(id: "${toGlobalId('Inspection', 'ISOLOCITY', String(i.id))}") { ... on Inspection { specification { __typename vendorId name identification } } }`).join(' ')} }`);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    const calls = (await stack.stats()).isolocity.requests['GET /api/v2/specifications/:id'];
    expect(calls).toBe(specIds.length);
    for (const [n, inspection] of inspections.entries()) {
      const spec = inspection.drawing_id === null ? null : ((await vendorGet('isolocity', `/specifications/${inspection.drawing_id as number}`)).data as Json);
      expect(r.data![`i${n}`]!.specification).toEqual(spec && { __typename: 'IsolocitySpecification', vendorId: String(spec.id), name: spec.name, identification: spec.identification });
    }
  });
});

describe('HAPIHub lot expiry with the sync on', () => {
  it('keeps each stored level’s lot expiry and answers Lot.expiresAt from the store, with no HAPIHub call', async () => {
    const world = stack.sandboxes.world;
    const row = world.stock.find((s) => s.vendor === 'hapihub')!;
    const lot = world.lots.find((l) => l.number === row.lotNumber)!;
    await stack.resetStats();
    const r = await stack.gql<{ sku: { inventory: { lotNumber: string | null; expiresAt: string | null }[] } }>(`query($code: String!) { sku(code: $code) { inventory(vendors: [HAPIHUB]) { lotNumber expiresAt } } }`, { code: row.skuCode });
    expect(r.errors).toBeUndefined();
    const ofLot = r.data!.sku.inventory.filter((l) => l.lotNumber === lot.number);
    expect(ofLot.length).toBeGreaterThan(0);
    for (const level of ofLot) expect(level.expiresAt).toBe(lot.expiresAt.toISOString());
    const complaint = await stack.gql<{ isolocityCreateComplaint: { complaint: { lot: { number: string; expiresAt: string | null } } } }>(
      'mutation($input: IsolocityCreateComplaintInput!) { isolocityCreateComplaint(input: $input) { complaint { lot { number expiresAt } } } }',
      { input: { complaint_number: 'CMP-EXP-1', complaint_date: '2026-03-01', batch_number: lot.number } },
    );
    expect(complaint.errors).toBeUndefined();
    expect(complaint.data!.isolocityCreateComplaint.complaint.lot).toEqual({ number: lot.number, expiresAt: lot.expiresAt.toISOString() });
    expect((await stack.stats()).hapihub.total).toBe(0);
  });
});
