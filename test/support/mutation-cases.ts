import type { DistruStore } from '../../sandbox/distru/index.js';
import { warehouseIdOf } from '../../sandbox/hapihub/index.js';
import type { HapihubStore } from '../../sandbox/hapihub/store.js';
import type { Sandboxes } from '../../sandbox/index.js';
import type { IsolocityStore } from '../../sandbox/isolocity/index.js';
import type { PharusStore } from '../../sandbox/pharus/index.js';
import type { VendorName } from '../../sandbox/world/index.js';
import { toGlobalId } from '../../src/model/global-id.js';

/**
 * Every mutation of docs/gateway.md's "How each mutation recognises its own earlier write" table,
 * as data: the input it is sent with, the vendor route whose answers a `loseResponse` fault drops,
 * and how many vendor records (or changes) the write made, counted in the sandbox's own store —
 * never through the gateway, which is what is under test. The exactly-once tests and
 * `npm run bench -- retries` run over this one table.
 */

/** How a retry after a lost answer learns the outcome (docs/gateway.md "Retrying a mutation"). */
export type RecognitionKind =
  /** It looks at the vendor: once found, every retry answers it without writing. */
  | 'find'
  /** The write is idempotent at the vendor (PATCH, upsert by a derived id): it is sent again, so each send can be lost again. */
  | 'resend'
  /** Nothing tells the write apart: an unknown outcome stays OUTCOME_UNKNOWN, and nothing is written again. */
  | 'none';

export interface CaseEnv {
  /** A GraphQL request to the gateway under test (setup writes go through it too, with no fault on). */
  gql(query: string, variables: Record<string, unknown>): Promise<{ data?: unknown; errors?: { message?: string; extensions?: Record<string, unknown> }[] }>;
  sandboxes: Sandboxes;
}

export interface PreparedWrite {
  /** The mutation's input without `idempotencyKey`. */
  input: Record<string, unknown>;
  /** Vendor records (or changes) this write has made so far: exactly one once it is done. */
  records(): number;
}

export interface MutationCase {
  /** The mutation, with its vendor where one mutation writes to several. */
  name: string;
  vendor: VendorName;
  /** The sandbox fault match (`METHOD /path prefix`) of the write whose answers are lost. */
  lose: string;
  query: string;
  recognition: RecognitionKind;
  /** Sets up what the write needs (through the gateway, no fault on); `tag` makes its records unique. */
  prepare(env: CaseEnv, tag: string): Promise<PreparedWrite>;
}

const store = <S>(env: CaseEnv, vendor: VendorName): S => {
  const handle = env.sandboxes.handles[vendor];
  if (!handle) throw new Error(`the ${vendor} sandbox is not running`);
  return handle.store as S;
};
const isolocity = (env: CaseEnv) => store<IsolocityStore>(env, 'isolocity');
const pharus = (env: CaseEnv) => store<PharusStore>(env, 'pharus');
const distru = (env: CaseEnv) => store<DistruStore>(env, 'distru');
const hapihub = (env: CaseEnv) => store<HapihubStore>(env, 'hapihub');

/** Runs a setup mutation and returns its data; a setup that fails stops the case (it would prove nothing). */
async function setup<T>(env: CaseEnv, query: string, input: Record<string, unknown>): Promise<T> {
  const answer = await env.gql(query, { input });
  if (answer.errors || !answer.data) throw new Error(`setup failed: ${JSON.stringify(answer.errors)}`);
  return answer.data as T;
}

/** A SKU every vendor carries under its canonical code. */
function sharedSku(env: CaseEnv): string {
  const sku = env.sandboxes.world.skus.find((s) => Object.keys(s.vendorCodes).length === 4 && Object.values(s.vendorCodes).every((code) => code === s.code));
  if (!sku) throw new Error('the world has no SKU shared by the four vendors under one code');
  return sku.code;
}

function pharusPlaces(env: CaseEnv): { skuCode: string; skuId: string; locations: [string, string] } {
  const skuCode = sharedSku(env);
  const skuId = pharus(env).skuIdByCode.get(skuCode);
  const [a, b] = pharus(env).locations.all();
  if (!skuId || !a || !b) throw new Error('Pharus lacks the SKU or two locations');
  return { skuCode, skuId, locations: [a.id, b.id] };
}

const partGid = (env: CaseEnv, index: number): string => {
  const part = isolocity(env).parts.all()[index];
  if (!part) throw new Error(`ISOlocity has no part #${index}`);
  return toGlobalId('Part', 'ISOLOCITY', String(part.id));
};

/** Pharus `notes` that are the given text, alone or followed by opsgraph's marker (` [opsgraph:…]`) — not a longer text that starts alike. */
const withMarker = (notes: string | null, text: string) => notes === text || (notes ?? '').startsWith(`${text} `);

const ledger = (env: CaseEnv, eventType: 'ADJUST' | 'TRANSFER' | 'RECEIVE') => pharus(env).finishedGoods.listLedger({ eventType });

const CREATE_INSPECTION = 'mutation($input: CreateInspectionInput!) { createInspection(input: $input) { inspection { id vendorId } } }';
const CREATE_NCR = 'mutation($input: CreateNcrInput!) { createNcr(input: $input) { ncr { id vendorId } } }';
const ADJUST = 'mutation($input: AdjustInventoryInput!) { adjustInventory(input: $input) { vendor levels { onHand } } }';
const CREATE_TX = 'mutation($input: CreateInventoryTransactionInput!) { createInventoryTransaction(input: $input) { transaction { vendorId } } }';
const TRANSFER = 'mutation($input: TransferInventoryInput!) { transferInventory(input: $input) { transfer { ref status } } }';
const PHARUS_ORDER = 'mutation($input: CreatePharusSalesOrderInput!) { createPharusSalesOrder(input: $input) { order { id vendorId } } }';
const DISTRU_ORDER = 'mutation($input: UpsertDistruOrderInput!) { upsertDistruOrder(input: $input) { order { id vendorId lines { vendorId } } } }';

/** An ISOlocity inspection with `sampleSize` samples, made through the gateway. */
async function inspection(env: CaseEnv, sampleSize: number, lotNumber: string): Promise<{ id: string; vendorId: number }> {
  const made = await setup<{ createInspection: { inspection: { id: string; vendorId: string } } }>(env, CREATE_INSPECTION, { partId: partGid(env, 2), sampleSize, lotNumber });
  return { id: made.createInspection.inspection.id, vendorId: Number(made.createInspection.inspection.vendorId) };
}
const samplesOf = (env: CaseEnv, vendorId: number) => isolocity(env).inspections.get(vendorId)?.samples ?? [];

function pharusOrderInput(env: CaseEnv, notes: string): Record<string, unknown> {
  const customer = pharus(env).customers.all()[0];
  return { customerId: customer?.id, channel: 'Direct', mabd: '2026-07-01', notes, items: [{ skuCode: pharusPlaces(env).skuCode, quantity: 1 }] };
}

/** Distru records the inputs name: a customer, a supplier, an own warehouse and a product of one batch. */
function distruPick(env: CaseEnv) {
  const s = distru(env);
  const product = [...s.products.values()].find((p) => p.batchIds.length === 1 && p.priceTiers.length === 0 && p.sku);
  const customer = [...s.companies.values()].find((c) => c.kind === 'customer');
  const supplier = [...s.companies.values()].find((c) => c.kind === 'supplier');
  const warehouse = [...s.locations.values()].find((l) => l.own);
  if (!product?.sku || !customer || !supplier || !warehouse) throw new Error('the Distru world lacks the records the cases need');
  return { sku: product.sku, customer: customer.id, supplier: supplier.id, warehouse: warehouse.id };
}
const distruOrderInput = (env: CaseEnv) => {
  const p = distruPick(env);
  return { companyId: p.customer, status: 'PROCESSING', orderedAt: '2026-06-02T10:00:00Z', items: [{ skuCode: p.sku, locationId: p.warehouse, quantity: '2', unitPrice: '10' }] };
};

export const MUTATION_CASES: readonly MutationCase[] = [
  {
    name: 'createNcr',
    vendor: 'isolocity',
    lose: 'POST /api/v2/ncrs',
    query: 'mutation($input: CreateNcrInput!) { createNcr(input: $input) { ncr { vendorId number } } }',
    recognition: 'find',
    prepare: async (env, tag) => {
      const number = `NCR-${tag}`;
      return { input: { number, source: 'INTERNAL', partId: partGid(env, 0), quantity: 1 }, records: () => isolocity(env).ncrs.all().filter((n) => n.ncr_number === number).length };
    },
  },
  {
    name: 'updateNcr',
    vendor: 'isolocity',
    lose: 'PATCH /api/v2/ncrs/',
    query: 'mutation($input: UpdateNcrInput!) { updateNcr(input: $input) { ncr { vendorId description } } }',
    recognition: 'resend',
    prepare: async (env, tag) => {
      const made = await setup<{ createNcr: { ncr: { id: string; vendorId: string } } }>(env, CREATE_NCR, { number: `NCR-U-${tag}`, source: 'INTERNAL', partId: partGid(env, 0) });
      const description = `second look ${tag}`;
      const number = `NCR-U-${tag}`;
      // The change, on the one NCR of that number (a PATCH sent again must not make a second).
      return { input: { id: made.createNcr.ncr.id, description }, records: () => isolocity(env).ncrs.all().filter((n) => n.ncr_number === number && n.description === description).length };
    },
  },
  {
    name: 'createInspection',
    vendor: 'isolocity',
    lose: 'POST /api/v2/inspections',
    query: 'mutation($input: CreateInspectionInput!) { createInspection(input: $input) { inspection { vendorId } } }',
    recognition: 'find',
    prepare: async (env, tag) => {
      const lotNumber = `LOT-I-${tag}`;
      return { input: { partId: partGid(env, 1), sampleSize: 1, lotNumber }, records: () => isolocity(env).inspections.all().filter((i) => i.lot_number === lotNumber).length };
    },
  },
  {
    name: 'recordInspectionResult',
    vendor: 'isolocity',
    lose: 'PATCH /api/v2/inspections/',
    query: 'mutation($input: RecordInspectionResultInput!) { recordInspectionResult(input: $input) { inspection { vendorId passed } } }',
    recognition: 'resend',
    prepare: async (env, tag) => {
      const made = await inspection(env, 1, `LOT-R-${tag}`);
      return { input: { id: made.id, result: 'FAILED' }, records: () => (isolocity(env).inspections.get(made.vendorId)?.passed === false ? 1 : 0) };
    },
  },
  {
    name: 'addInspectionSample (sampleNumber)',
    vendor: 'isolocity',
    lose: 'POST /api/v2/inspections/',
    query: 'mutation($input: AddInspectionSampleInput!) { addInspectionSample(input: $input) { sample { vendorId sampleNumber } } }',
    recognition: 'find',
    prepare: async (env, tag) => {
      const made = await inspection(env, 1, `LOT-S-${tag}`);
      const sampleSerial = `SN-${tag}`;
      return { input: { inspectionId: made.id, sampleNumber: 7, sampleSerial }, records: () => samplesOf(env, made.vendorId).filter((s) => s.sample_serial === sampleSerial).length };
    },
  },
  {
    name: 'addInspectionSample (no sampleNumber)',
    vendor: 'isolocity',
    lose: 'POST /api/v2/inspections/',
    query: 'mutation($input: AddInspectionSampleInput!) { addInspectionSample(input: $input) { sample { vendorId sampleNumber } } }',
    recognition: 'none',
    prepare: async (env, tag) => {
      const made = await inspection(env, 1, `LOT-N-${tag}`);
      const sampleSerial = `SN-N-${tag}`;
      return { input: { inspectionId: made.id, sampleSerial }, records: () => samplesOf(env, made.vendorId).filter((s) => s.sample_serial === sampleSerial).length };
    },
  },
  {
    name: 'updateInspectionSample',
    vendor: 'isolocity',
    lose: 'PATCH /api/v2/inspections/',
    query: 'mutation($input: UpdateInspectionSampleInput!) { updateInspectionSample(input: $input) { sample { vendorId sampleSerial } } }',
    recognition: 'resend',
    prepare: async (env, tag) => {
      const made = await inspection(env, 1, `LOT-US-${tag}`);
      const sampleId = String(samplesOf(env, made.vendorId)[0]?.id);
      const sampleSerial = `SER-${tag}`;
      // The change on the inspection's one sample (sampleSize 1): a second sample would be a duplicate.
      return { input: { inspectionId: made.id, sampleId, sampleSerial }, records: () => (samplesOf(env, made.vendorId).length === 1 ? samplesOf(env, made.vendorId).filter((s) => s.sample_serial === sampleSerial).length : -1) };
    },
  },
  {
    name: 'deleteInspectionSample',
    vendor: 'isolocity',
    lose: 'DELETE /api/v2/inspections/',
    query: 'mutation($input: DeleteInspectionSampleInput!) { deleteInspectionSample(input: $input) { deletedSampleId } }',
    recognition: 'find',
    prepare: async (env, tag) => {
      const made = await inspection(env, 3, `LOT-D-${tag}`);
      const sampleId = String(samplesOf(env, made.vendorId)[0]?.id);
      // One sample gone, the other two kept.
      return { input: { inspectionId: made.id, sampleId }, records: () => 3 - samplesOf(env, made.vendorId).length };
    },
  },
  {
    name: 'createInventoryTransaction',
    vendor: 'hapihub',
    lose: 'POST /inventory-transactions',
    query: 'mutation($input: CreateInventoryTransactionInput!) { createInventoryTransaction(input: $input) { transaction { vendorId } } }',
    recognition: 'find',
    prepare: async (env, tag) => {
      const reason = `purchase ${tag}`;
      return { input: { type: 'PURCHASE', warehouseId: warehouseIdOf('LOC-1'), reason, items: [{ skuCode: sharedSku(env), quantity: '2' }] }, records: () => hapihub(env).all().filter((t) => t.reason === reason).length };
    },
  },
  {
    name: 'updateInventoryTransaction',
    vendor: 'hapihub',
    lose: 'PATCH /inventory-transactions/',
    query: 'mutation($input: UpdateInventoryTransactionInput!) { updateInventoryTransaction(input: $input) { transaction { vendorId reason } } }',
    recognition: 'resend',
    prepare: async (env, tag) => {
      const made = await setup<{ createInventoryTransaction: { transaction: { vendorId: string } } }>(env, CREATE_TX, { type: 'RECEIVING', warehouseId: warehouseIdOf('LOC-1'), items: [{ skuCode: sharedSku(env), quantity: '9' }] });
      const reason = `short delivery ${tag}`;
      return { input: { vendorId: made.createInventoryTransaction.transaction.vendorId, reason }, records: () => hapihub(env).all().filter((t) => t.reason === reason).length };
    },
  },
  {
    name: 'adjustInventory (HAPIHub)',
    vendor: 'hapihub',
    lose: 'POST /inventory-transactions',
    query: ADJUST,
    recognition: 'find',
    prepare: async (env, tag) => {
      const reason = `recount ${tag}`;
      return { input: { vendor: 'HAPIHUB', skuCode: sharedSku(env), locationId: warehouseIdOf('LOC-1'), quantity: '3', reason }, records: () => hapihub(env).all().filter((t) => t.reason === reason).length };
    },
  },
  {
    name: 'adjustInventory (Pharus)',
    vendor: 'pharus',
    lose: 'POST /api/finished-goods-inventory/adjustments',
    query: ADJUST,
    recognition: 'find',
    prepare: async (env, tag) => {
      const { skuCode, locations } = pharusPlaces(env);
      const reason = `recount ${tag}`;
      return { input: { vendor: 'PHARUS', skuCode, locationId: locations[0], quantity: '4', reason }, records: () => ledger(env, 'ADJUST').filter((e) => withMarker(e.notes, reason)).length };
    },
  },
  {
    name: 'transferInventory',
    vendor: 'pharus',
    // `complete: false`: the completion (`…/transfers/:ref/complete`) shares this prefix; it has its own case.
    lose: 'POST /api/finished-goods-inventory/transfers',
    query: 'mutation($input: TransferInventoryInput!) { transferInventory(input: $input) { transfer { ref status } } }',
    recognition: 'find',
    prepare: async (env, tag) => {
      const { skuCode, locations } = pharusPlaces(env);
      const notes = `move ${tag}`;
      return {
        input: { skuCode, sourceLocationId: locations[0], destinationLocationId: locations[1], quantity: '1', notes, complete: false },
        records: () => ledger(env, 'TRANSFER').filter((e) => withMarker(e.notes, notes)).length,
      };
    },
  },
  {
    name: 'completeInventoryTransfer',
    vendor: 'pharus',
    lose: 'POST /api/finished-goods-inventory/transfers/',
    query: 'mutation($input: CompleteInventoryTransferInput!) { completeInventoryTransfer(input: $input) { transfer { ref status } } }',
    recognition: 'find',
    prepare: async (env, tag) => {
      const { skuCode, locations } = pharusPlaces(env);
      const made = await setup<{ transferInventory: { transfer: { ref: string } } }>(env, TRANSFER, { skuCode, sourceLocationId: locations[0], destinationLocationId: locations[1], quantity: '1', notes: `to complete ${tag}`, complete: false });
      const ref = made.transferInventory.transfer.ref;
      return { input: { ref }, records: () => ledger(env, 'RECEIVE').filter((e) => e.ref === ref).length };
    },
  },
  {
    name: 'createPharusSalesOrder',
    vendor: 'pharus',
    lose: 'POST /api/sales-orders',
    query: 'mutation($input: CreatePharusSalesOrderInput!) { createPharusSalesOrder(input: $input) { order { vendorId number } } }',
    recognition: 'find',
    prepare: async (env, tag) => {
      const notes = `order ${tag}`;
      return { input: pharusOrderInput(env, notes), records: () => pharus(env).salesOrders.all().filter((o) => withMarker(o.notes, notes)).length };
    },
  },
  {
    name: 'addPharusSalesOrderItem',
    vendor: 'pharus',
    lose: 'POST /api/sales-orders/',
    query: 'mutation($input: AddPharusSalesOrderItemInput!) { addPharusSalesOrderItem(input: $input) { line { vendorId quantity } } }',
    recognition: 'find',
    prepare: async (env, tag) => {
      const made = await setup<{ createPharusSalesOrder: { order: { id: string; vendorId: string } } }>(env, PHARUS_ORDER, pharusOrderInput(env, `items ${tag}`));
      const other = pharus(env).skus.all().find((s) => s.isActive && s.id !== pharusPlaces(env).skuId && pharus(env).skuIdByCode.get(s.skuCode) === s.id);
      if (!other) throw new Error('Pharus has one SKU only');
      const orderId = made.createPharusSalesOrder.order.vendorId;
      return { input: { orderId: made.createPharusSalesOrder.order.id, skuCode: other.skuCode, quantity: 2 }, records: () => pharus(env).salesOrders.get(orderId)?.items.filter((i) => i.skuId === other.id).length ?? 0 };
    },
  },
  {
    name: 'updatePharusSalesOrder',
    vendor: 'pharus',
    lose: 'PATCH /api/sales-orders/',
    query: 'mutation($input: UpdatePharusSalesOrderInput!) { updatePharusSalesOrder(input: $input) { order { vendorId } } }',
    recognition: 'resend',
    prepare: async (env, tag) => {
      const made = await setup<{ createPharusSalesOrder: { order: { id: string; vendorId: string } } }>(env, PHARUS_ORDER, pharusOrderInput(env, `to update ${tag}`));
      const notes = `updated ${tag}`;
      return { input: { id: made.createPharusSalesOrder.order.id, notes }, records: () => pharus(env).salesOrders.all().filter((o) => o.notes === notes).length };
    },
  },
  {
    name: 'upsertDistruOrder',
    vendor: 'distru',
    lose: 'POST /public/v1/orders',
    query: 'mutation($input: UpsertDistruOrderInput!) { upsertDistruOrder(input: $input) { order { vendorId } } }',
    recognition: 'resend',
    prepare: async (env, tag) => {
      const externalNotes = `order ${tag}`;
      return { input: { ...distruOrderInput(env), externalNotes }, records: () => [...distru(env).orders.values()].filter((o) => o.externalNotes === externalNotes).length };
    },
  },
  {
    name: 'upsertDistruInvoice',
    vendor: 'distru',
    lose: 'POST /public/v1/invoices',
    query: 'mutation($input: UpsertDistruInvoiceInput!) { upsertDistruInvoice(input: $input) { invoice { vendorId } } }',
    recognition: 'resend',
    prepare: async (env, tag) => {
      const made = await setup<{ upsertDistruOrder: { order: { id: string; vendorId: string; lines: { vendorId: string }[] } } }>(env, DISTRU_ORDER, { ...distruOrderInput(env), externalNotes: `to invoice ${tag}` });
      const order = made.upsertDistruOrder.order;
      return { input: { orderId: order.id, items: [{ orderItemId: order.lines[0]?.vendorId, quantity: '1' }] }, records: () => distru(env).invoicesByOrder.get(order.vendorId)?.size ?? 0 };
    },
  },
  {
    name: 'upsertDistruPurchase',
    vendor: 'distru',
    lose: 'POST /public/v1/purchases',
    query: 'mutation($input: UpsertDistruPurchaseInput!) { upsertDistruPurchase(input: $input) { purchase { vendorId } } }',
    recognition: 'resend',
    prepare: async (env, tag) => {
      const p = distruPick(env);
      const description = `purchase ${tag}`;
      return {
        input: { supplierId: p.supplier, locationId: p.warehouse, description, items: [{ skuCode: p.sku, quantity: '12', unitPrice: '4.5' }] },
        records: () => [...distru(env).purchases.values()].filter((x) => x.description === description).length,
      };
    },
  },
];

/** The GraphQL mutation of a case (`adjustInventory (Pharus)` → `adjustInventory`). */
export const mutationOf = (c: MutationCase): string => c.name.replace(/ \(.*\)$/, '');

/** Write calls of this case's route that reached the sandbox since its stats were reset (matched as the fault matches). */
export function writesSent(sandboxes: Sandboxes, c: MutationCase): number {
  return (sandboxes.handles[c.vendor]?.stats.requests() ?? []).filter((r) => `${r.method} ${r.path}`.startsWith(c.lose)).length;
}
