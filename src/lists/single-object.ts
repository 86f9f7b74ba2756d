import { waitingCaller } from '../cache/waiting-caller.js';
import { errorCode, type VendorName } from '../errors.js';
import type { InvoiceRecord, OrderRecord, OrderVendor, Vendor } from '../model/records.js';
import type { GatewayContext } from '../server/context.js';
import type { SyncedRelation } from '../sync/record-store.js';
import { UUID } from '../vendors/id-shapes.js';
import { noteStoreRead } from './freshness.js';
import { invoicesOfOrder, orderOfInvoice, storedByKey } from './store-relations.js';
import { relationSyncs } from './sync-status.js';

/**
 * Single-object reads (`order(id:)`, `invoice(id:)`, `node(id:)`) of a vendor whose sync catches up
 * (Distru, DISTRU_LIVE_MAX_AGE_MS): the store's copy is first brought up to date by one incremental
 * call shared by every concurrent request (src/sync/catch-up.ts), then read. So a screen shows state
 * at most the bound old, and twenty screens of twenty different orders cost one Distru call instead
 * of twenty (Distru has no multi-get). A record not in the store after the catch-up (created since,
 * or deleted) is read live by id, as without a store; so is everything with SYNC=off.
 *
 * The relations of a record read this way (`Order.invoices`, `Invoice.order`) are caught up too;
 * the same relations under a list stay plain store reads (a list page costs no vendor call).
 */

/** Records served by a caught-up single-object read in this process (plain objects, one per read). */
const readSingly = new WeakSet<object>();

/** `order(id:)`: caught up from the store (Distru with the sync on), else live. */
export async function orderById(ctx: GatewayContext, vendor: OrderVendor, key: string): Promise<OrderRecord | null> {
  if (vendor !== 'DISTRU' || !UUID.test(key)) return ctx.loaders.order(vendor, key);
  const found = await caughtUpRecord<OrderRecord>(ctx, vendor, 'orders', key);
  return found === undefined ? ctx.loaders.order(vendor, key) : found;
}

/** `invoice(id:)` (Distru): caught up from the store, else live. */
export async function invoiceById(ctx: GatewayContext, key: string): Promise<InvoiceRecord | null> {
  if (!UUID.test(key)) return ctx.loaders.invoice(key);
  const found = await caughtUpRecord<InvoiceRecord>(ctx, 'DISTRU', 'invoices', key);
  return found === undefined ? ctx.loaders.invoice(key) : found;
}

/** `Order.invoices`: of an order read singly, the invoices relation is caught up first. */
export async function invoicesOfShownOrder(ctx: GatewayContext, order: OrderRecord): Promise<InvoiceRecord[]> {
  if (readSingly.has(order)) await caughtUp(ctx, 'DISTRU', 'invoices');
  return invoicesOfOrder(ctx, order.vendorId);
}

/** `Invoice.order`: of an invoice read singly, the orders relation is caught up first. */
export async function orderOfShownInvoice(ctx: GatewayContext, invoice: InvoiceRecord, orderId: string): Promise<OrderRecord | null> {
  if (readSingly.has(invoice)) await caughtUp(ctx, 'DISTRU', 'orders');
  return orderOfInvoice(ctx, orderId);
}

/**
 * The stored record after a catch-up; undefined when it must be read live (the store cannot
 * answer, or does not hold the key after catching up).
 */
async function caughtUpRecord<T extends object>(ctx: GatewayContext, vendor: Vendor, relation: SyncedRelation, key: string): Promise<T | undefined> {
  if (!(await caughtUp(ctx, vendor, relation))) return undefined;
  const found = await storedByKey<T>(ctx, vendor, relation, key);
  if (found === null) return undefined;
  readSingly.add(found);
  return found;
}

/**
 * Catches the relation up (or finds it current) and notes what the answer read in
 * `extensions.freshness`; a failed catch-up serves the stored copy within STALE_MAX_MS, reported in
 * `extensions.stale`. False when the store cannot answer.
 */
async function caughtUp(ctx: GatewayContext, vendor: Vendor, relation: SyncedRelation): Promise<boolean> {
  const { sync } = ctx.runtime;
  if (!sync.catchesUp(vendor)) return false;
  const call = ctx.scope.call;
  let outcome;
  try {
    outcome = await sync.catchUp(vendor, relation, call, waitingCaller(call, vendor.toLowerCase() as VendorName, `${relation} catch-up`));
  } catch (error) {
    // The request went away or its deadline passed while it waited: it has no use for any answer.
    if (call.signal?.aborted) throw error;
    const stored = (await relationSyncs(ctx.runtime.store.db, [{ vendor, relation }]))[0];
    if (!stored || stored.lastSyncedAt === null) throw error;
    outcome = { kind: 'failed', asOf: stored.lastSyncedAt, error } as const;
  }
  if (outcome.kind === 'live') return false;
  if (outcome.kind === 'failed') {
    const ageMs = Date.now() - outcome.asOf;
    if (ageMs > ctx.runtime.config.freshness.staleMaxMs) throw outcome.error;
    ctx.scope.noteStale({ vendor: vendor.toLowerCase() as VendorName, source: `${vendor.toLowerCase()}.${relation}`, ageMs, reason: errorCode(outcome.error) ?? 'VENDOR_UNAVAILABLE' });
  }
  const [sync0] = await relationSyncs(ctx.runtime.store.db, [{ vendor, relation }]);
  if (sync0) noteStoreRead(ctx, [{ ...sync0, lastSyncedAt: Math.max(sync0.lastSyncedAt ?? 0, outcome.asOf) }]);
  return true;
}
