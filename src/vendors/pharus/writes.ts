import type { GraphQLError } from 'graphql';
import { forbiddenAware } from '../../mutations/forbidden.js';
import { errorCode, vendorError, writtenButUnread } from '../../errors.js';
import { formatInputPath, type InputPath } from '../../mutations/field-path.js';
import { writeMarker } from '../../mutations/reconcile/marker.js';
import { toDecimal } from '../../model/decimal.js';
import type { InventoryLevelRecord, VendorSkuRecord } from '../../model/records.js';
import type { SkuRef } from '../../model/sku.js';
import type { GatewayContext } from '../../server/context.js';
import { PharusClient, type FgMovementWrite, type SalesOrderPatch, type SalesOrderWrite, type WriteOutcome } from './client.js';
import { isoTime } from './mapping.js';
import { asPharusRuntime, type PharusRuntime } from './runtime.js';
import { pharusErrorSchema, type PharusLedgerEntry, type PharusLocation, type PharusSalesOrderDetail } from './schemas.js';
import {
  adjustFinishedGoodsInputSchema,
  orderStatusName,
  type AddSalesOrderItemInput,
  type AdjustFinishedGoodsInput,
  type CompleteInventoryTransferInput,
  type CreateSalesOrderInput,
  type TransferInventoryInput,
  type UpdateSalesOrderInput,
} from './write-inputs.js';

/**
 * Pharus's writes (document 001, "SalesOrders" and "FinishedGoodsInventory"; paths and statuses
 * from Pharus's per-endpoint pages, error details as docs/vendors/pharus.md records them). Each write is one vendor call, never
 * retried by the HTTP layer. Before it, opsgraph resolves what the input names by code or name
 * (SKU codes, order channels) and checks the locations a stock write names, so an unknown one is a
 * VALIDATION_FAILED on that field with nothing written. Pharus's refusals map as follows:
 *
 * | Pharus                                                    | opsgraph                                              |
 * | --------------------------------------------------------- | ----------------------------------------------------- |
 * | 422 (or 400) `validation_failed`, `details.issues[].path`  | VALIDATION_FAILED, `field` = the input field of the first issue, `fields` = all |
 * | 404 `not_found` with `details.field` (a record the body names) | VALIDATION_FAILED on that field                   |
 * | 404 `not_found` of the path's record (order, transfer ref) | NOT_FOUND on `input.id` / `input.orderId` / `input.ref` |
 * | 409 `invalid_transition`                                  | INVALID_TRANSITION on `input.status` / `input.orderId` / `input.ref`, naming the status (`from`, `to`, `allowed`, or the order's `status`) |
 * | 409 `conflict`: a SKU already on the order (one line per SKU) | CONFLICT on the line's `skuCode`, with `skuCode`  |
 * | other 409 (`conflict`, `in_use`)                           | CONFLICT                                              |
 * | 403 (VendorHttp's VENDOR_AUTH_FAILED)                      | FORBIDDEN                                             |
 * | anything else                                             | VENDOR_BAD_RESPONSE with `upstreamStatus`             |
 *
 * After each write the runtime forgets what its indexes held of the change (`afterWrite`).
 */

/** What a write needs of the GraphQL request: the runtimes, the HTTP scope, the crosswalk. */
export type PharusWriteContext = Pick<GatewayContext, 'runtime' | 'scope' | 'crosswalk'>;

/** Pharus field (dotted, as in `details.issues[].path` or `details.field`) → where it came from in the GraphQL input. */
type PathOf = (vendorField: string) => InputPath | null;

interface RefusalMap {
  pathOf: PathOf;
  /** Where a 404 of the path's own record points (the order, the transfer ref). */
  notFound?: InputPath;
  /** Where an `invalid_transition` points. */
  transition?: InputPath;
  /**
   * A `conflict` over a SKU line (one line per SKU per order, W149): the input line that repeats
   * the SKU, from the vendor's `details.field`/`skuId` when it gives them, else found in the body.
   */
  skuLine?: (vendor: { field: string | null; skuId: string | null }) => { path: InputPath; skuCode: string } | null;
}

const same =
  (...names: string[]): PathOf =>
  (field) =>
    names.includes(field) ? [field] : null;

/** Order fields that keep their names in our input; `channelId` is our `channel`. */
const ORDER_FIELDS = [
  'customerId',
  'status',
  'fulfillmentStatus',
  'mabd',
  'fulfillmentLocationId',
  'brokerId',
  'brokerFeePercent',
  'brokerFees',
  'fulfillmentCosts',
  'freightCosts',
  'promoCosts',
  'otherCosts',
  'notes',
  'qboId',
];
const orderPath: PathOf = (field) => {
  if (field === 'channelId') return ['channel'];
  const item = /^items\.(\d+)\.(\w+)$/.exec(field);
  if (item) return ['items', Number(item[1]), item[2] === 'skuId' ? 'skuCode' : (item[2] ?? '')];
  return same(...ORDER_FIELDS)(field);
};
const updatePath: PathOf = (field) => (field === 'id' ? ['id'] : orderPath(field));
const itemPath: PathOf = (field) => (field === 'skuId' ? ['skuCode'] : field === 'id' ? ['orderId'] : same('quantity', 'unitPrice')(field));
/** `adjustFinishedGoods` answers in `adjustInventory`'s terms; the lot and reason travel in `notes`. */
const movementPath: PathOf = (field) => (field === 'skuId' ? ['skuCode'] : field === 'notes' ? ['reason'] : same('locationId', 'quantity')(field));
const transferPath: PathOf = (field) => (field === 'skuId' ? ['skuCode'] : same('sourceLocationId', 'destinationLocationId', 'quantity', 'notes')(field));
const completePath: PathOf = (field) => same('ref', 'notes')(field);

function validationFailed(route: string, issues: readonly { path: InputPath; message: string }[], extra: Record<string, unknown> = {}): GraphQLError {
  const fields = issues.map((i) => ({ field: formatInputPath(i.path), message: i.message }));
  return vendorError('pharus', 'VALIDATION_FAILED', `${route}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, {
    ...(issues[0] ? { inputPath: issues[0].path } : {}),
    fields,
    ...extra,
  });
}

/** Pharus's answer to a write, or the error its refusal maps to. */
function written<T>(outcome: WriteOutcome<T>, route: string, map: RefusalMap): T {
  if (outcome.ok) return outcome.value;
  const parsed = pharusErrorSchema.safeParse(outcome.body);
  const error = parsed.success ? parsed.data.error : null;
  const details = error?.details ?? null;
  const message = error?.message ?? `Pharus answered ${outcome.status}`;
  const vendorCode = error?.code ?? null;
  const extra = vendorCode === null ? {} : { vendorCode };
  const at = (path: InputPath | undefined) => (path ? { inputPath: path } : {});

  // E104, E106, E144, …: `validation_failed` comes with 422; 400 is read the same way.
  if (outcome.status === 422 || outcome.status === 400) {
    const issues = (details?.issues ?? []).flatMap((issue) => {
      const vendorPath = Array.isArray(issue.path) ? issue.path.join('.') : (issue.path ?? '');
      const path = map.pathOf(vendorPath);
      return path ? [{ path, message: issue.message ?? 'is invalid' }] : [];
    });
    if (issues.length > 0) return raise(validationFailed(route, issues, extra));
    const named = details?.field ? map.pathOf(details.field) : null;
    if (named) return raise(validationFailed(route, [{ path: named, message }], extra));
    return raise(vendorError('pharus', 'VALIDATION_FAILED', `${route}: ${message}`, extra));
  }
  if (outcome.status === 404) {
    // A record the body names (a customer, broker, location, SKU): the input names something that
    // does not exist, which is the input's fault and says what to fix.
    const named = details?.field ? map.pathOf(details.field) : null;
    if (named) return raise(validationFailed(route, [{ path: named, message }], extra));
    return raise(vendorError('pharus', 'NOT_FOUND', `${route}: ${message}`, { ...extra, ...at(map.notFound) }));
  }
  if (outcome.status === 409) {
    if (vendorCode === 'invalid_transition') {
      const transition = {
        ...(details?.from ? { from: orderStatusName(details.from) } : {}),
        ...(details?.to ? { to: orderStatusName(details.to) } : {}),
        ...(details?.allowed ? { allowed: details.allowed.map(orderStatusName) } : {}),
        ...(details?.status ? { status: orderStatusName(details.status) } : {}),
      };
      return raise(vendorError('pharus', 'INVALID_TRANSITION', `${route}: ${message}`, { ...extra, ...transition, ...at(map.transition) }));
    }
    const line = vendorCode === 'conflict' && map.skuLine ? map.skuLine({ field: details?.field ?? null, skuId: details?.skuId ?? null }) : null;
    if (line) {
      return raise(vendorError('pharus', 'CONFLICT', `${route}: SKU ${line.skuCode} is already on this sales order (one line per SKU): ${message}`, { ...extra, inputPath: line.path, skuCode: line.skuCode }));
    }
    return raise(vendorError('pharus', 'CONFLICT', `${route}: ${message}`, extra));
  }
  return raise(vendorError('pharus', 'VENDOR_BAD_RESPONSE', `${route}: Pharus answered ${outcome.status}`, { ...extra, upstreamStatus: outcome.status }));
}

function raise(error: GraphQLError): never {
  throw error;
}

function runtimeOf(ctx: PharusWriteContext): PharusRuntime {
  return asPharusRuntime(ctx.runtime.vendors.PHARUS);
}

/** SKU codes (canonical or Pharus's spelling) → Pharus SKUs; unknown ones are issues at `pathOf(i)`. */
async function resolveSkus(runtime: PharusRuntime, ctx: PharusWriteContext, codes: readonly string[], pathOf: (i: number) => InputPath): Promise<{ skus: VendorSkuRecord[]; issues: { path: InputPath; message: string }[] }> {
  if (codes.length === 0) return { skus: [], issues: [] };
  const vendorCodes = codes.map((code) => ctx.crosswalk.toVendor('PHARUS', code));
  const found = await runtime.skusByCode(vendorCodes, ctx.scope);
  const issues = found.flatMap((sku, i) => (sku ? [] : [{ path: pathOf(i), message: `Pharus has no SKU with code "${vendorCodes[i] ?? ''}"` }]));
  return { skus: found.flatMap((sku) => (sku ? [sku] : [])), issues };
}

async function resolveLocations(runtime: PharusRuntime, ctx: PharusWriteContext, named: readonly { id: string; path: InputPath }[]): Promise<{ locations: PharusLocation[]; issues: { path: InputPath; message: string }[] }> {
  const found = await runtime.locationsById(
    named.map((n) => n.id),
    ctx.scope,
  );
  const issues = found.flatMap((location, i) => (location ? [] : [{ path: named[i]?.path ?? [], message: `Pharus has no location ${named[i]?.id ?? ''}` }]));
  return { locations: found.flatMap((l) => (l ? [l] : [])), issues };
}

async function resolveChannel(runtime: PharusRuntime, ctx: PharusWriteContext, channel: string | null | undefined): Promise<{ channelId: string | null; issues: { path: InputPath; message: string }[] }> {
  if (channel == null) return { channelId: null, issues: [] };
  const found = await runtime.orderChannel(channel, ctx.scope);
  return found ? { channelId: found.id, issues: [] } : { channelId: null, issues: [{ path: ['channel'], message: `Pharus has no order channel "${channel}" (give its id or its name, e.g. Direct)` }] };
}

/** Copies the given (non-null) optional fields of an order input into a Pharus body. */
function orderFields(input: CreateSalesOrderInput | UpdateSalesOrderInput): SalesOrderPatch {
  const out: SalesOrderPatch = {};
  if (input.fulfillmentLocationId != null) out.fulfillmentLocationId = input.fulfillmentLocationId;
  if (input.brokerId != null) out.brokerId = input.brokerId;
  if (input.brokerFeePercent != null) out.brokerFeePercent = input.brokerFeePercent;
  if (input.brokerFees != null) out.brokerFees = input.brokerFees;
  if (input.fulfillmentCosts != null) out.fulfillmentCosts = input.fulfillmentCosts;
  if (input.freightCosts != null) out.freightCosts = input.freightCosts;
  if (input.promoCosts != null) out.promoCosts = input.promoCosts;
  if (input.otherCosts != null) out.otherCosts = input.otherCosts;
  if (input.notes != null) out.notes = input.notes;
  if (input.qboId != null) out.qboId = input.qboId;
  return out;
}

/**
 * `notes` ending with opsgraph's write marker (`[opsgraph:<32 hex>]`, src/mutations/reconcile/marker.ts)
 * when the mutation has an idempotency key: document 001 keeps `notes` ("string or null") on a sales
 * order and on every ledger entry, so a retry after a lost answer can find the write by it.
 */
function markedNotes(notes: string | null | undefined, mutation: string, key: string | null | undefined): string | undefined {
  const parts = [notes ?? '', key ? `[${writeMarker(mutation, key)}]` : ''].filter((s) => s !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** `{ [name]: value }` when the value is given, else nothing (Pharus's optional body fields are left out, not null). */
const optional = <K extends string, V>(name: K, value: V | undefined): Partial<Record<K, V>> => (value === undefined ? {} : ({ [name]: value } as Record<K, V>));

const hasMarker = (notes: string | null | undefined, mutation: string, key: string) => (notes ?? '').includes(`[${writeMarker(mutation, key)}]`);

// --- Sales orders -----------------------------------------------------------------------------

/** A created order as Pharus answered it (`{ salesOrder, items }`): the resolver maps it to `Order`. */
export interface CreatedSalesOrder {
  detail: PharusSalesOrderDetail;
}

/**
 * `createPharusSalesOrder`: the channel (by id or name) and every item's SKU code are resolved from
 * the indexes first (an unknown one is VALIDATION_FAILED, nothing written), then 1
 * `POST /sales-orders` with the items. Pharus checks the customer, broker and location itself.
 */
export async function createSalesOrder(ctx: PharusWriteContext, input: CreateSalesOrderInput): Promise<CreatedSalesOrder> {
  const route = 'POST /sales-orders';
  const runtime = runtimeOf(ctx);
  const [channel, skus] = await Promise.all([
    resolveChannel(runtime, ctx, input.channel),
    resolveSkus(
      runtime,
      ctx,
      input.items.map((i) => i.skuCode),
      (i) => ['items', i, 'skuCode'],
    ),
  ]);
  const issues = [...channel.issues, ...skus.issues];
  if (issues.length > 0 || channel.channelId === null) throw validationFailed(route, issues);
  const body: SalesOrderWrite = {
    customerId: input.customerId,
    channelId: channel.channelId,
    status: input.status,
    fulfillmentStatus: input.fulfillmentStatus,
    mabd: input.mabd,
    ...orderFields(input),
    ...optional('notes', markedNotes(input.notes, 'createPharusSalesOrder', input.idempotencyKey)),
    items: input.items.map((item, i) => ({ skuId: skus.skus[i]?.vendorId ?? '', quantity: item.quantity, ...(item.unitPrice != null ? { unitPrice: item.unitPrice } : {}) })),
  };
  const client = new PharusClient(runtime.http, ctx.scope);
  const codeOfLine = (i: number) => input.items[i]?.skuCode ?? '';
  const detail = written(await forbiddenAware('pharus', client.createSalesOrder(body), route), route, {
    pathOf: orderPath,
    skuLine: ({ field, skuId }) => {
      const named = field === null ? null : /^items\.(\d+)\.skuId$/.exec(field);
      // Without the vendor's pointer, the line is the second one naming a SKU some earlier line names.
      const index = named ? Number(named[1]) : body.items.findIndex((item, i) => (skuId === null || item.skuId === skuId) && body.items.findIndex((other) => other.skuId === item.skuId) < i);
      return index >= 0 && index < input.items.length ? { path: ['items', index, 'skuCode'], skuCode: codeOfLine(index) } : null;
    },
  });
  runtime.afterWrite({ kind: 'order', orderId: detail.salesOrder.id });
  return { detail };
}

/**
 * The order an earlier `createPharusSalesOrder` with this idempotency key created, found by the
 * marker at the end of its `notes` (the sales-order list has no filter: one `GET /sales-orders`
 * per 500 orders until found, then 1 `GET /sales-orders/:id`); null when Pharus has none.
 */
export async function findCreatedSalesOrder(ctx: PharusWriteContext, key: string): Promise<CreatedSalesOrder | null> {
  const runtime = runtimeOf(ctx);
  const client = new PharusClient(runtime.http, ctx.scope);
  const order = await client.findSalesOrder((o) => hasMarker(o.notes, 'createPharusSalesOrder', key));
  const detail = order ? await client.getSalesOrder(order.id) : null;
  if (!detail) return null;
  runtime.afterWrite({ kind: 'order', orderId: detail.salesOrder.id });
  return { detail };
}

/** An order that changed: the resolver reads it (one `GET /sales-orders/:id`) once the write is remembered. */
export interface ChangedSalesOrder {
  orderVendorId: string;
  /** The item added, for `addPharusSalesOrderItem`. */
  itemVendorId?: string;
}

/**
 * `updatePharusSalesOrder`: 1 `PATCH /sales-orders/:id` of the fields given (a status change is a
 * transition Pharus checks: `invalid_transition` → INVALID_TRANSITION on `input.status`), after resolving a
 * channel given by name.
 */
export async function updateSalesOrder(ctx: PharusWriteContext, input: UpdateSalesOrderInput): Promise<ChangedSalesOrder> {
  const route = 'PATCH /sales-orders/:id';
  const runtime = runtimeOf(ctx);
  const channel = await resolveChannel(runtime, ctx, input.channel);
  if (channel.issues.length > 0) throw validationFailed(route, channel.issues);
  const patch: SalesOrderPatch = { ...orderFields(input) };
  if (input.customerId != null) patch.customerId = input.customerId;
  if (channel.channelId !== null) patch.channelId = channel.channelId;
  if (input.status != null) patch.status = input.status;
  if (input.fulfillmentStatus != null) patch.fulfillmentStatus = input.fulfillmentStatus;
  if (input.mabd != null) patch.mabd = input.mabd;
  const client = new PharusClient(runtime.http, ctx.scope);
  const order = written(await forbiddenAware('pharus', client.updateSalesOrder(input.id, patch), route), route, { pathOf: updatePath, notFound: ['id'], transition: ['status'] });
  runtime.afterWrite({ kind: 'order', orderId: order.id });
  return { orderVendorId: order.id };
}

/**
 * `addPharusSalesOrderItem`: the SKU code resolved from the index, then 1 `POST /sales-orders/:id/items`.
 * A SKU already on the order → CONFLICT on `skuCode` (one line per SKU, E149); an order that has
 * shipped → INVALID_TRANSITION on `orderId`, naming its status (items lock once shipped, W151).
 */
export async function addSalesOrderItem(ctx: PharusWriteContext, input: AddSalesOrderItemInput): Promise<ChangedSalesOrder> {
  const route = 'POST /sales-orders/:id/items';
  const runtime = runtimeOf(ctx);
  const { skus, issues } = await resolveSkus(runtime, ctx, [input.skuCode], () => ['skuCode']);
  const sku = skus[0];
  if (issues.length > 0 || !sku) throw validationFailed(route, issues);
  const client = new PharusClient(runtime.http, ctx.scope);
  const outcome = await forbiddenAware('pharus', client.addSalesOrderItem(input.orderId, { skuId: sku.vendorId, quantity: input.quantity, ...(input.unitPrice != null ? { unitPrice: input.unitPrice } : {}) }), route);
  let item;
  try {
    item = written(outcome, route, { pathOf: itemPath, notFound: ['orderId'], transition: ['orderId'], skuLine: () => ({ path: ['skuCode'], skuCode: input.skuCode }) });
  } catch (error) {
    // One line per SKU (E149): a line of this SKU that is exactly what this input asks for is the
    // client's own earlier write whose answer was lost (with or without a key) — answered as done.
    if (errorCode(error) === 'CONFLICT') {
      const same = await findAddedSalesOrderItem(ctx, input);
      if (same) return same;
    }
    throw error;
  }
  runtime.afterWrite({ kind: 'order', orderId: input.orderId });
  return { orderVendorId: input.orderId, itemVendorId: item.id };
}

/**
 * The line an earlier `addPharusSalesOrderItem` of this input added: Pharus keeps one line per SKU
 * on an order (E149, W149), so the order's line of that SKU with the same quantity (and unit price,
 * when the input gives one) is it (1 `GET /sales-orders/:id`). null when the order has no line of
 * the SKU, or one that differs (then a write is refused as CONFLICT by Pharus itself: never a second line).
 */
export async function findAddedSalesOrderItem(ctx: PharusWriteContext, input: AddSalesOrderItemInput): Promise<ChangedSalesOrder | null> {
  const runtime = runtimeOf(ctx);
  const { skus } = await resolveSkus(runtime, ctx, [input.skuCode], () => ['skuCode']);
  const sku = skus[0];
  if (!sku) return null;
  const detail = await new PharusClient(runtime.http, ctx.scope).getSalesOrder(input.orderId);
  const line = detail?.items.find(
    (item) => item.skuId === sku.vendorId && toDecimal(item.quantity) === toDecimal(input.quantity) && (input.unitPrice == null || (item.unitPrice != null && toDecimal(item.unitPrice) === toDecimal(input.unitPrice))),
  );
  if (!line) return null;
  runtime.afterWrite({ kind: 'order', orderId: input.orderId });
  return { orderVendorId: input.orderId, itemVendorId: line.id };
}

// --- Finished-goods stock -----------------------------------------------------------------------

/** The GraphQL `InventoryTransfer` (no mapper: this is its shape). */
export interface InventoryTransferView {
  vendor: 'PHARUS';
  ref: string;
  vendorSkuCode: string;
  sku: SkuRef;
  quantity: string;
  source: { id: string; name: string | null } | null;
  destination: { id: string; name: string | null };
  status: 'IN_TRANSIT' | 'COMPLETED';
  sentAt: string | null;
  receivedAt: string | null;
}

/** What `transferInventory` and `completeInventoryTransfer` remember under an idempotency key. */
export interface WrittenTransfer {
  transfer: InventoryTransferView;
  /** The SKU, for reading its stock after the write. */
  skuRecord: VendorSkuRecord;
  /** transferInventory: complete it now (the default). */
  complete: boolean;
}

const locationView = (location: PharusLocation | undefined, id: string) => ({ id, name: location?.name ?? null });

/**
 * `transferInventory`, first step: the SKU and both locations are checked (unknown → VALIDATION_FAILED
 * on that field), then 1 `POST /finished-goods-inventory/transfers` (E104; Pharus does not guard
 * the source's stock, W104). The stock is in transit until `completeTransfer` (the resolver
 * runs it after this step is remembered, see resolvers/mutations/pharus.ts).
 */
export async function createTransfer(ctx: PharusWriteContext, input: TransferInventoryInput): Promise<WrittenTransfer> {
  const route = 'POST /finished-goods-inventory/transfers';
  const { runtime, sku, source, destination } = await transferParties(ctx, input, route);
  const client = new PharusClient(runtime.http, ctx.scope);
  const notes = markedNotes(input.notes, 'transferInventory', input.idempotencyKey);
  const body = { skuId: sku.vendorId, sourceLocationId: source.id, destinationLocationId: destination.id, quantity: input.quantity, ...optional('notes', notes) };
  const answer = written(await forbiddenAware('pharus', client.createFgTransfer(body), route), route, { pathOf: transferPath });
  runtime.afterWrite({ kind: 'stock', skuId: sku.vendorId });
  return writtenTransfer(ctx, input, { sku, source, destination }, answer.ref, answer.ledgerEntry);
}

/**
 * The transfer an earlier `transferInventory` with this idempotency key sent, found by the marker
 * at the end of its TRANSFER entry's `notes` (1 `GET …/ledger?skuId=&locationId=<source>&eventType=TRANSFER`,
 * unpaginated, E109); null when Pharus has none. The resolver then completes it as after a write
 * (completing a completed transfer is refused, never doubled).
 */
export async function findCreatedTransfer(ctx: PharusWriteContext, input: TransferInventoryInput, key: string): Promise<WrittenTransfer | null> {
  const { runtime, sku, source, destination } = await transferParties(ctx, input, 'POST /finished-goods-inventory/transfers');
  const entries = await new PharusClient(runtime.http, ctx.scope).fgLedgerOfEvents(sku.vendorId, source.id, 'TRANSFER');
  const out = entries.find((e) => e.ref != null && hasMarker(e.notes, 'transferInventory', key));
  if (!out?.ref) return null;
  runtime.afterWrite({ kind: 'stock', skuId: sku.vendorId });
  return writtenTransfer(ctx, input, { sku, source, destination }, out.ref, out);
}

/** The SKU and both locations of a transfer, checked (unknown → VALIDATION_FAILED on that field). */
async function transferParties(ctx: PharusWriteContext, input: TransferInventoryInput, route: string) {
  const runtime = runtimeOf(ctx);
  const [skus, locations] = await Promise.all([
    resolveSkus(runtime, ctx, [input.skuCode], () => ['skuCode']),
    resolveLocations(runtime, ctx, [
      { id: input.sourceLocationId, path: ['sourceLocationId'] },
      { id: input.destinationLocationId, path: ['destinationLocationId'] },
    ]),
  ]);
  const issues = [...skus.issues, ...locations.issues];
  const [sku] = skus.skus;
  const [source, destination] = locations.locations;
  if (issues.length > 0 || !sku || !source || !destination) throw validationFailed(route, issues);
  return { runtime, sku, source, destination };
}

/** What `transferInventory` remembers: the transfer as its TRANSFER entry (the outbound leg) tells it. */
function writtenTransfer(
  ctx: PharusWriteContext,
  input: TransferInventoryInput,
  { sku, source, destination }: { sku: VendorSkuRecord; source: PharusLocation; destination: PharusLocation },
  ref: string,
  out: PharusLedgerEntry,
): WrittenTransfer {
  return {
    skuRecord: sku,
    complete: input.complete !== false,
    transfer: {
      vendor: 'PHARUS',
      ref,
      vendorSkuCode: sku.code,
      sku: { code: ctx.crosswalk.toCanonical('PHARUS', sku.code) },
      quantity: toDecimal(input.quantity),
      source: locationView(source, out.locationId),
      destination: locationView(destination, out.toLocationId ?? destination.id),
      status: 'IN_TRANSIT',
      sentAt: isoTime(out.eventDate),
      receivedAt: null,
    },
  };
}

/**
 * `transferInventory`, second step: 1 `POST …/transfers/:ref/complete` of a transfer opsgraph just
 * created, once per process (`completeTransferOnce`). Marked idempotent, so VendorHttp retries it
 * after a timeout or a 5xx: completing twice is refused (`invalid_transition`), never doubled, and
 * that refusal means an earlier attempt (ours) did complete it.
 */
export async function completeCreatedTransfer(ctx: PharusWriteContext, { transfer, skuRecord }: WrittenTransfer): Promise<InventoryTransferView> {
  const route = 'POST /finished-goods-inventory/transfers/:ref/complete';
  const runtime = runtimeOf(ctx);
  const receivedAt = await runtime.completeTransferOnce(transfer.ref, async () => {
    const client = new PharusClient(runtime.http, ctx.scope);
    const outcome = await forbiddenAware('pharus', client.completeFgTransfer(transfer.ref, { idempotent: true }), route);
    if (!outcome.ok && outcome.status === 409) {
      const parsed = pharusErrorSchema.safeParse(outcome.body);
      if (parsed.success && parsed.data.error.code === 'invalid_transition') return isoTime(parsed.data.error.details?.completedAt);
    }
    const entry = written(outcome, route, { pathOf: () => null });
    return isoTime(entry.eventDate);
  });
  runtime.afterWrite({ kind: 'stock', skuId: skuRecord.vendorId });
  return { ...transfer, status: 'COMPLETED', receivedAt };
}

/**
 * `completeInventoryTransfer`: 1 `POST …/transfers/:ref/complete` (never retried). Unknown ref →
 * NOT_FOUND on `input.ref`; already completed → INVALID_TRANSITION on `input.ref`. The resolver then reads the
 * transfer's ledger entries (its source) and the SKU's stock.
 */
export async function completeTransfer(ctx: PharusWriteContext, input: CompleteInventoryTransferInput): Promise<{ ref: string; entry: PharusLedgerEntry }> {
  const route = 'POST /finished-goods-inventory/transfers/:ref/complete';
  const runtime = runtimeOf(ctx);
  const client = new PharusClient(runtime.http, ctx.scope);
  const entry = written(await forbiddenAware('pharus', client.completeFgTransfer(input.ref, { idempotent: false }), route), route, {
    pathOf: completePath,
    notFound: ['ref'],
    transition: ['ref'],
  });
  runtime.afterWrite({ kind: 'stock', skuId: entry.skuId });
  return { ref: input.ref, entry };
}

/**
 * Whether an earlier `completeTransfer` of this ref went through: the transfer's RECEIVE entry at the
 * destination exists (1 `GET …/ledger?ref=`; Pharus writes it on completion,
 * https://docs.pharus.ai/modules/inventory-transfers). null when the transfer is still in transit.
 */
export async function findCompletedTransfer(ctx: PharusWriteContext, input: CompleteInventoryTransferInput): Promise<{ ref: string; entry: PharusLedgerEntry } | null> {
  const runtime = runtimeOf(ctx);
  const entries = await new PharusClient(runtime.http, ctx.scope).fgLedgerOfRef(input.ref);
  const inbound = entries.find((e) => e.eventType === 'RECEIVE' && e.ref === input.ref);
  if (!inbound) return null;
  runtime.afterWrite({ kind: 'stock', skuId: inbound.skuId });
  return { ref: input.ref, entry: inbound };
}

/**
 * The transfer `ref` as its ledger entries tell it (1 `GET …/ledger?ref=`). Pharus's ledger
 * quantities are always positive and the event type says the direction
 * (https://docs.pharus.ai/modules/inventory-transfers): the TRANSFER row is the outbound leg at the
 * source (`locationId`) naming the destination (`toLocationId`); the transfer is completed when a
 * RECEIVE row with the same ref exists, written at the destination.
 */
export async function transferOfRef(ctx: PharusWriteContext, ref: string, sku: VendorSkuRecord): Promise<InventoryTransferView> {
  const runtime = runtimeOf(ctx);
  const entries = await new PharusClient(runtime.http, ctx.scope).fgLedgerOfRef(ref);
  const out = entries.find((e) => e.eventType === 'TRANSFER' && e.ref === ref);
  const inbound = entries.find((e) => e.eventType === 'RECEIVE' && e.ref === ref);
  const destinationId = inbound?.locationId ?? out?.toLocationId ?? '';
  const ids = [...(out ? [out.locationId] : []), ...(destinationId !== '' ? [destinationId] : [])];
  const found = ids.length > 0 ? await runtime.locationsById(ids, ctx.scope) : [];
  const nameOf = (id: string) => found.find((l) => l?.id.toLowerCase() === id.toLowerCase()) ?? undefined;
  return {
    vendor: 'PHARUS',
    ref,
    vendorSkuCode: sku.code,
    sku: { code: ctx.crosswalk.toCanonical('PHARUS', sku.code) },
    quantity: toDecimal((out ?? inbound)?.quantity ?? 0),
    source: out ? locationView(nameOf(out.locationId), out.locationId) : null,
    destination: locationView(nameOf(destinationId), destinationId),
    status: inbound ? 'COMPLETED' : 'IN_TRANSIT',
    sentAt: isoTime(out?.eventDate),
    receivedAt: isoTime(inbound?.eventDate),
  };
}

/**
 * The Pharus half of the gateway's `adjustInventory`. Pharus's adjust is positive-only found stock
 * and reductions are disposals (E106, E107), so a positive quantity is 1
 * `POST /finished-goods-inventory/adjustments`, a negative one 1 `POST /finished-goods-inventory/disposals`
 * of its magnitude (Pharus does not guard stock: a disposal may take on hand below zero, W100). The SKU code (canonical
 * or Pharus's) and the location are checked first: unknown → VALIDATION_FAILED on `skuCode` /
 * `locationId`, nothing written. Pharus's adjust and dispose have no lot or reason field: both go
 * into the entry's `notes` ("reason (lot L-1)"). Returns the SKU's Pharus stock after the write,
 * read fresh (1 `GET …/summary?skuId=`), which also replaces the SKU's rows in the FG summary index.
 * Field errors name `adjustInventory`'s input (`skuCode`, `locationId`, `quantity`, `lotNumber`, `reason`).
 * Cost: 1 POST + 1 GET (+ the SKU and location indexes when cold).
 */
export async function adjustFinishedGoods(ctx: PharusWriteContext, raw: AdjustFinishedGoodsInput): Promise<InventoryLevelRecord[]> {
  const { input, route, sku, location, runtime, dispose } = await finishedGoodsMovement(ctx, raw);
  const notes = [input.reason, input.lotNumber != null ? `(lot ${input.lotNumber})` : null, input.marker != null ? `[${input.marker}]` : null].filter((s) => s != null && s !== '').join(' ');
  const body: FgMovementWrite = { skuId: sku.vendorId, locationId: location.id, quantity: Math.abs(input.quantity), ...(notes !== '' ? { notes } : {}) };
  const client = new PharusClient(runtime.http, ctx.scope);
  const call = dispose ? client.disposeFinishedGoods(body) : client.adjustFinishedGoods(body);
  written(await forbiddenAware('pharus', call, route), route, { pathOf: movementPath });
  // Forget the summary now: if the read below fails, no one is served the stock before the write.
  runtime.afterWrite({ kind: 'stock', skuId: sku.vendorId });
  try {
    return await runtime.levelsAfterWrite(sku, ctx.scope);
  } catch (error) {
    // The stock moved; only the read failed. Say so, and mark the error `written` so that the
    // idempotency store remembers it and a retry with the same key does not move stock twice.
    throw writtenButUnread(error);
  }
}

/**
 * The ADJUST or DISPOSE entry an earlier `adjustFinishedGoods` with this marker made, found by the
 * marker in its `notes` (the ledger of that event type for the SKU at the location: 1 call per
 * 500 entries; never bounded by our clock, which Pharus's may not share), and the SKU's stock now; null when there is none. The inputs are checked as for
 * the write (nothing to find for an input that could not be written).
 */
export async function findAdjustedFinishedGoods(ctx: PharusWriteContext, raw: AdjustFinishedGoodsInput & { marker: string }): Promise<InventoryLevelRecord[] | null> {
  const { sku, location, runtime, dispose } = await finishedGoodsMovement(ctx, raw);
  const entries = await new PharusClient(runtime.http, ctx.scope).fgLedgerOfEvents(sku.vendorId, location.id, dispose ? 'DISPOSE' : 'ADJUST');
  if (!entries.some((e) => (e.notes ?? '').includes(`[${raw.marker}]`))) return null;
  runtime.afterWrite({ kind: 'stock', skuId: sku.vendorId });
  try {
    return await runtime.levelsAfterWrite(sku, ctx.scope);
  } catch (error) {
    throw writtenButUnread(error);
  }
}

/** The checked input of an adjust or dispose, with its SKU and location resolved (unknown → VALIDATION_FAILED). */
async function finishedGoodsMovement(ctx: PharusWriteContext, raw: AdjustFinishedGoodsInput) {
  const parsed = adjustFinishedGoodsInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw validationFailed(
      'adjustFinishedGoods',
      parsed.error.issues.map((issue) => ({ path: issue.path.length > 0 ? [String(issue.path[0])] : [], message: issue.message })),
    );
  }
  const input = parsed.data;
  const dispose = input.quantity < 0;
  const route = dispose ? 'POST /finished-goods-inventory/disposals' : 'POST /finished-goods-inventory/adjustments';
  const runtime = runtimeOf(ctx);
  const [skus, locations] = await Promise.all([resolveSkus(runtime, ctx, [input.skuCode], () => ['skuCode']), resolveLocations(runtime, ctx, [{ id: input.locationId, path: ['locationId'] }])]);
  const issues = [...skus.issues, ...locations.issues];
  const [sku] = skus.skus;
  const [location] = locations.locations;
  if (issues.length > 0 || !sku || !location) throw validationFailed(route, issues);
  return { input, route, sku, location, runtime, dispose };
}
