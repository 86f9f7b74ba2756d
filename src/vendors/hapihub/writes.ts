import { forbiddenAware } from '../../mutations/forbidden.js';
import { vendorError, writtenButUnread } from '../../errors.js';
import { formatInputPath, type InputPath } from '../../mutations/field-path.js';
import type { InventoryLevelRecord } from '../../model/records.js';
import type { GatewayContext } from '../../server/context.js';
import { writeMarker } from '../../mutations/reconcile/marker.js';
import { HapihubClient, type WriteOutcome } from './client.js';
import { findWrittenTransaction } from './find-written.js';
import { toTransactionRecord, type InventoryTransactionRecord } from './mapping.js';
import type { HapihubRuntime } from './runtime.js';
import { feathersErrorSchema, type HapihubItemWrite, type HapihubTransaction, type HapihubTransactionWrite } from './schemas.js';
import { vendorNotConfigured } from '../not-configured.js';
import {
  adjustStockInputSchema,
  TRANSACTION_TYPES,
  transactionIssues,
  type AdjustStockInput,
  type CreateTransactionInput,
  type InputIssue,
  type ItemInput,
  type TransactionTypeInput,
  type UpdateTransactionInput,
} from './write-inputs.js';
import { storeWritten } from '../../sync/store-written.js';

/**
 * HAPIHub's writes (document 003, "Transaction - Post" and "Transaction - Patch"). Each is one
 * vendor write, never retried (VendorHttp retries only idempotent calls). HAPIHub's BadRequest
 * field errors become VALIDATION_FAILED pointing into the GraphQL input; NotFound → NOT_FOUND;
 * 403 → FORBIDDEN. The written transaction, as HAPIHub answers it, is folded into the stock index
 * at once, so stock read after the write shows it without another read.
 */

/** What a write needs of the GraphQL request: the runtimes, the HTTP scope, the crosswalk. */
export type HapihubWriteContext = Pick<GatewayContext, 'runtime' | 'scope' | 'crosswalk'>;

export interface InventoryTransactionResult {
  transaction: InventoryTransactionRecord;
  /** Stock after the write of every SKU the transaction names (before and after, for an update). */
  levels: InventoryLevelRecord[];
}

/** HAPIHub field (dotted, as in its `errors`) → where it came from in the GraphQL input. */
type PathOf = (vendorField: string) => InputPath | null;

const ITEM_FIELDS: Readonly<Record<string, string>> = { sku: 'skuCode', control: 'lotNumber', quantity: 'quantity', adjustment: 'adjustment', price: 'price', note: 'note', expiresAt: 'expiresAt' };
const TRANSACTION_FIELDS: Readonly<Record<string, string>> = {
  id: 'vendorId',
  type: 'type',
  warehouse: 'warehouseId',
  source: 'sourceWarehouseId',
  destination: 'destinationWarehouseId',
  transaction: 'relatedTransactionId',
  reason: 'reason',
  invoice: 'invoice',
  createdAt: 'createdAt',
  items: 'items',
};

const transactionPath: PathOf = (field) => {
  const item = /^items\.(\d+)\.(\w+)$/.exec(field);
  if (item) {
    const name = ITEM_FIELDS[item[2] ?? ''];
    return name === undefined ? ['items', Number(item[1])] : ['items', Number(item[1]), name];
  }
  const name = TRANSACTION_FIELDS[field];
  return name === undefined ? null : [name];
};

/** `adjustStock` sends one adjustment item; its input names the fields as `adjustInventory` does. */
const adjustPath: PathOf = (field) =>
  ({ warehouse: ['locationId'], 'items.0.sku': ['skuCode'], 'items.0.adjustment': ['quantity'], 'items.0.control': ['lotNumber'], reason: ['reason'] })[field] ?? null;

function hapihubRuntimeOf(ctx: HapihubWriteContext): HapihubRuntime {
  const runtime = ctx.runtime.vendors.HAPIHUB;
  if (!runtime) throw vendorNotConfigured('HAPIHUB');
  if (!('stock' in runtime) || typeof (runtime as Partial<HapihubRuntime>).stock?.levelsOf !== 'function') throw new TypeError('the HAPIHUB runtime was not made by createHapihubRuntime');
  return runtime as HapihubRuntime;
}

function validationFailed(route: string, issues: readonly InputIssue[]): Error {
  const fields = issues.map((i) => ({ field: formatInputPath(i.path), message: i.message }));
  return vendorError('hapihub', 'VALIDATION_FAILED', `${route}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, {
    ...(issues[0] ? { inputPath: issues[0].path } : {}),
    fields,
  });
}

/** HAPIHub's answer to a write, or the error it maps to. */
function written(outcome: WriteOutcome, route: string, pathOf: PathOf): HapihubTransaction {
  if (outcome.ok) return outcome.record;
  const body = feathersErrorSchema.safeParse(outcome.body);
  if (outcome.status === 400) {
    const errors = Object.entries((body.success ? body.data.errors : null) ?? {}).map(([field, message]) => ({ field, message: typeof message === 'string' ? message : 'is invalid' }));
    const mapped = errors.flatMap(({ field, message }) => {
      const path = pathOf(field);
      return path ? [{ path: [...path], message }] : [];
    });
    if (mapped.length > 0) throw validationFailed(route, mapped);
    throw vendorError('hapihub', 'VALIDATION_FAILED', `${route}: HAPIHub refused the request${errors.length > 0 ? `: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` : ''}`);
  }
  if (outcome.status === 404) throw vendorError('hapihub', 'NOT_FOUND', `${route}: HAPIHub has no such inventory transaction`);
  if (outcome.status === 409) throw vendorError('hapihub', 'CONFLICT', `${route}: HAPIHub refused the write as a conflict`);
  throw vendorError('hapihub', 'VENDOR_BAD_RESPONSE', `${route}: HAPIHub answered ${outcome.status}`, { upstreamStatus: outcome.status });
}

/**
 * Moving stock of an item HAPIHub has never held (a sale, transfer, return, packaging or a negative
 * adjustment) is refused before any write, from the items seen in transactions. Bringing an item in
 * (purchase, receiving, positive adjustment) may introduce a new one: HAPIHub checks it itself.
 */
async function refuseUnknownSkus(runtime: HapihubRuntime, ctx: HapihubWriteContext, route: string, type: TransactionTypeInput, items: readonly { code: string; adjustment?: number | null }[], pathOf: (i: number) => InputPath): Promise<void> {
  const bringsIn = (item: { adjustment?: number | null }) => type === 'PURCHASE' || type === 'RECEIVING' || (type === 'ADJUSTMENT' && (item.adjustment ?? 0) > 0);
  if (items.every(bringsIn)) return;
  const known = await runtime.stock.skusOf(
    items.map((item) => item.code),
    ctx.scope,
  );
  const issues = items.flatMap((item, i) => (bringsIn(item) || known[i] ? [] : [{ path: [...pathOf(i)], message: `HAPIHub has no item with SKU code "${item.code}"` }]));
  if (issues.length > 0) throw validationFailed(route, issues);
}

function itemWrite(item: ItemInput, sku: string): HapihubItemWrite {
  const out: HapihubItemWrite = { sku };
  if (item.lotNumber != null) out.control = item.lotNumber;
  if (item.quantity != null) out.quantity = item.quantity;
  if (item.adjustment != null) out.adjustment = item.adjustment;
  if (item.price != null) out.price = item.price;
  if (item.note != null) out.note = item.note;
  if (item.expiresAt != null) out.expiresAt = item.expiresAt;
  return out;
}

const vendorType = (type: TransactionTypeInput) => type.toLowerCase() as HapihubTransactionWrite['type'];

/** The written transaction and the stock after it (also for one found again after a lost answer). */
async function result(runtime: HapihubRuntime, ctx: HapihubWriteContext, transaction: HapihubTransaction, skus: Iterable<string>): Promise<InventoryTransactionResult> {
  runtime.stock.applyWritten(transaction);
  // Into the store first (read-your-writes; with SYNC=on the stock below is read from it).
  const record = await storeWritten(ctx, 'HAPIHUB', 'transactions', toTransactionRecord(transaction, (code) => ctx.crosswalk.toCanonical('HAPIHUB', code)));
  // The transaction is written; if reading stock back fails, say so with `written: true` so that
  // a retry with the same idempotency key does not write it again.
  const codes = [...new Set(skus)];
  const levels = await runtime.stock.levelsOf(codes, ctx.scope).catch((error: unknown) => {
    throw writtenButUnread(error);
  });
  return { transaction: record, levels: levels.flat() };
}

const skusOf = (tx: HapihubTransaction): string[] => (tx.items ?? []).flatMap((i) => (i.sku ? [i.sku] : []));

/**
 * The transaction an earlier `createInventoryTransaction` with this idempotency key made (by the
 * marker in its `metadata`), with the stock after it; null when HAPIHub has none.
 */
export async function findCreatedTransaction(ctx: HapihubWriteContext, input: CreateTransactionInput, key: string): Promise<InventoryTransactionResult | null> {
  const first = input.items[0];
  if (!first) return null;
  const runtime = hapihubRuntimeOf(ctx);
  const found = await findWrittenTransaction(new HapihubClient(runtime.http, ctx.scope), {
    marker: writeMarker('createInventoryTransaction', key),
    type: vendorType(input.type),
    warehouse: input.warehouseId,
    sku: ctx.crosswalk.toVendor('HAPIHUB', first.skuCode),
    createdAt: input.createdAt ?? null,
  });
  return found ? result(runtime, ctx, found, skusOf(found)) : null;
}

/** The adjustment an earlier `adjustStock` with this marker made, and the SKU's stock now; null when HAPIHub has none. */
export async function findAdjustedStock(ctx: HapihubWriteContext, input: { skuCode: string; warehouseId: string; marker: string }): Promise<InventoryLevelRecord[] | null> {
  const sku = ctx.crosswalk.toVendor('HAPIHUB', input.skuCode);
  const runtime = hapihubRuntimeOf(ctx);
  const found = await findWrittenTransaction(new HapihubClient(runtime.http, ctx.scope), { marker: input.marker, type: 'adjustment', warehouse: input.warehouseId, sku });
  return found ? (await result(runtime, ctx, found, [sku])).levels : null;
}

/** `createInventoryTransaction`: 1 POST (+ a stock refresh when the fold is older than live stock may be). */
export async function createInventoryTransaction(ctx: HapihubWriteContext, input: CreateTransactionInput): Promise<InventoryTransactionResult> {
  const route = 'POST /inventory-transactions';
  const runtime = hapihubRuntimeOf(ctx);
  const codes = input.items.map((item) => ctx.crosswalk.toVendor('HAPIHUB', item.skuCode));
  await refuseUnknownSkus(runtime, ctx, route, input.type, input.items.map((item, i) => ({ code: codes[i] ?? item.skuCode, adjustment: item.adjustment })), (i) => ['items', i, 'skuCode']);
  const body: HapihubTransactionWrite = { type: vendorType(input.type), warehouse: input.warehouseId, items: input.items.map((item, i) => itemWrite(item, codes[i] ?? item.skuCode)) };
  if (input.sourceWarehouseId != null) body.source = input.sourceWarehouseId;
  if (input.destinationWarehouseId != null) body.destination = input.destinationWarehouseId;
  if (input.reason != null) body.reason = input.reason;
  if (input.invoice != null) body.invoice = input.invoice;
  if (input.relatedTransactionId != null) body.transaction = input.relatedTransactionId;
  if (input.createdAt != null) body.createdAt = input.createdAt;
  if (input.idempotencyKey) body.metadata = { opsgraphWrite: writeMarker('createInventoryTransaction', input.idempotencyKey) };
  const client = new HapihubClient(runtime.http, ctx.scope);
  const transaction = written(await forbiddenAware('hapihub', client.createTransaction(body), route), route, transactionPath);
  return result(runtime, ctx, transaction, skusOf(transaction));
}

/**
 * `updateInventoryTransaction`: reads the transaction (1 GET: NOT_FOUND early, and its type for the
 * item rules), then 1 PATCH of the fields given.
 */
export async function updateInventoryTransaction(ctx: HapihubWriteContext, input: UpdateTransactionInput): Promise<InventoryTransactionResult> {
  const route = 'PATCH /inventory-transactions/:id';
  const runtime = hapihubRuntimeOf(ctx);
  const client = new HapihubClient(runtime.http, ctx.scope);
  const current = written(await forbiddenAware('hapihub', client.getTransaction(input.vendorId), route), route, transactionPath);
  const storedType = TRANSACTION_TYPES.find((t) => t.toLowerCase() === (current.type ?? 'adjustment')) ?? null;
  const type = input.type ?? storedType;
  const codes = (input.items ?? []).map((item) => ctx.crosswalk.toVendor('HAPIHUB', item.skuCode));
  if (type !== null) {
    const transfer = type === 'TRANSFER';
    const issues = transactionIssues({
      type,
      items: input.items ?? null,
      sourceWarehouseId: input.sourceWarehouseId ?? (transfer ? current.source : null),
      destinationWarehouseId: input.destinationWarehouseId ?? (transfer ? current.destination : null),
    });
    if (issues.length > 0) throw validationFailed(route, issues);
    if (input.items) await refuseUnknownSkus(runtime, ctx, route, type, input.items.map((item, i) => ({ code: codes[i] ?? item.skuCode, adjustment: item.adjustment })), (i) => ['items', i, 'skuCode']);
  }
  const patch: Partial<HapihubTransactionWrite> = {};
  if (input.type != null) patch.type = vendorType(input.type);
  if (input.warehouseId != null) patch.warehouse = input.warehouseId;
  if (input.sourceWarehouseId != null) patch.source = input.sourceWarehouseId;
  if (input.destinationWarehouseId != null) patch.destination = input.destinationWarehouseId;
  if (input.items != null) patch.items = input.items.map((item, i) => itemWrite(item, codes[i] ?? item.skuCode));
  if (input.reason != null) patch.reason = input.reason;
  if (input.invoice != null) patch.invoice = input.invoice;
  if (input.relatedTransactionId != null) patch.transaction = input.relatedTransactionId;
  const transaction = written(await forbiddenAware('hapihub', client.patchTransaction(current.id, patch), route), route, transactionPath);
  return result(runtime, ctx, transaction, [...skusOf(current), ...skusOf(transaction)]);
}

/**
 * The HAPIHub half of the gateway's `adjustInventory`: one `adjustment` transaction of one item
 * (`items.adjustment` signed, document 003), then the SKU's stock after it. Field errors point at
 * `adjustInventory`'s input (`skuCode`, `locationId`, `quantity`, `lotNumber`, `reason`).
 * Cost: 1 POST (+ a stock refresh when the fold is older than live stock may be).
 */
export async function adjustStock(ctx: HapihubWriteContext, raw: AdjustStockInput): Promise<InventoryLevelRecord[]> {
  const route = 'POST /inventory-transactions';
  const parsed = adjustStockInputSchema.safeParse(raw);
  if (!parsed.success) {
    // `adjustInventory` calls the warehouse `locationId`; the other fields keep their names.
    const inputName = (field: PropertyKey | undefined) => (field === 'warehouseId' ? 'locationId' : String(field ?? 'input'));
    throw validationFailed(
      route,
      parsed.error.issues.map((issue) => ({ path: [inputName(issue.path[0])], message: issue.message })),
    );
  }
  const input = parsed.data;
  const runtime = hapihubRuntimeOf(ctx);
  const sku = ctx.crosswalk.toVendor('HAPIHUB', input.skuCode);
  await refuseUnknownSkus(runtime, ctx, route, 'ADJUSTMENT', [{ code: sku, adjustment: input.quantity }], () => ['skuCode']);
  const item: HapihubItemWrite = { sku, adjustment: input.quantity };
  if (input.lotNumber != null) item.control = input.lotNumber;
  const body: HapihubTransactionWrite = { type: 'adjustment', warehouse: input.warehouseId, items: [item] };
  if (input.reason != null) body.reason = input.reason;
  if (input.marker != null) body.metadata = { opsgraphWrite: input.marker };
  const client = new HapihubClient(runtime.http, ctx.scope);
  const transaction = written(await forbiddenAware('hapihub', client.createTransaction(body), route), route, adjustPath);
  return (await result(runtime, ctx, transaction, [sku])).levels;
}
