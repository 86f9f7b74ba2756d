import DataLoader from 'dataloader';
import type { InspectionRecord, InvoiceRecord, NcrRecord, OrderRecord, PartRecord, Vendor } from '../model/records.js';
import type { GatewayContext } from '../server/context.js';
import { rowsByKey, rowsByParent, type SyncedRelation } from '../sync/record-store.js';
import { noteStoreRead } from './freshness.js';
import { relationSyncs } from './sync-status.js';

/**
 * Relations the store holds, read from it with no vendor call: one DataLoader per (vendor,
 * relation, by key | by parent) per request, so the invoices of 100 orders are one store query.
 * Only once that relation has completed a sync; before, the live loaders answer as they always did
 * (a relation is never answered from a half-filled copy).
 */
interface RequestStore {
  ready: Map<string, Promise<boolean>>;
  loaders: Map<string, DataLoader<string, unknown>>;
}

const perRequest = new WeakMap<object, RequestStore>();

function stateOf(ctx: GatewayContext): RequestStore {
  let state = perRequest.get(ctx);
  if (!state) perRequest.set(ctx, (state = { ready: new Map(), loaders: new Map() }));
  return state;
}

/** Whether the store answers this vendor's relation in this request (checked once per request). */
function storeAnswers(ctx: GatewayContext, vendor: Vendor, relation: SyncedRelation): Promise<boolean> {
  const state = stateOf(ctx);
  const id = `${vendor}/${relation}`;
  let ready = state.ready.get(id);
  if (!ready) {
    ready = relationSyncs(ctx.runtime.store.db, [{ vendor, relation }]).then(([sync]) => {
      if (!sync || sync.state === 'initial') return false;
      noteStoreRead(ctx, [sync]);
      return true;
    });
    state.ready.set(id, ready);
  }
  return ready;
}

function loader<V>(ctx: GatewayContext, id: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  const state = stateOf(ctx);
  let found = state.loaders.get(id) as DataLoader<string, V> | undefined;
  if (!found) {
    found = new DataLoader<string, V>((keys) => batch(keys));
    state.loaders.set(id, found);
  }
  return found;
}

function byKey<T>(ctx: GatewayContext, vendor: Vendor, relation: SyncedRelation, key: string): Promise<T | null> {
  return loader<T | null>(ctx, `${vendor}/${relation}/key`, async (keys) => {
    const found = await rowsByKey(ctx.runtime.store.db, vendor, relation, keys);
    return keys.map((k) => (found.get(k) as T | undefined) ?? null);
  }).load(key);
}

function byParent<T>(ctx: GatewayContext, vendor: Vendor, relation: SyncedRelation, parent: string): Promise<T[]> {
  return loader<T[]>(ctx, `${vendor}/${relation}/parent`, async (parents) => {
    const found = await rowsByParent(ctx.runtime.store.db, vendor, relation, parents);
    return parents.map((p) => (found.get(p) as T[] | undefined) ?? []);
  }).load(parent);
}

/** A stored record by key, batched per request with the relation loaders (null when the store has none). */
export function storedByKey<T>(ctx: GatewayContext, vendor: Vendor, relation: SyncedRelation, key: string): Promise<T | null> {
  return byKey<T>(ctx, vendor, relation, key);
}

/** The store's copy when the relation is synced, else the live loader's answer. */
async function storeOrLive<T>(ctx: GatewayContext, vendor: Vendor, relation: SyncedRelation, fromStore: () => Promise<T>, live: () => Promise<T>): Promise<T> {
  return (await storeAnswers(ctx, vendor, relation)) ? fromStore() : live();
}

/** `Invoice.order` (Distru). */
export function orderOfInvoice(ctx: GatewayContext, orderId: string): Promise<OrderRecord | null> {
  return storeOrLive(ctx, 'DISTRU', 'orders', () => byKey<OrderRecord>(ctx, 'DISTRU', 'orders', orderId), () => ctx.loaders.order('DISTRU', orderId));
}

/** `Order.invoices` (Distru invoices by `order_id`). */
export function invoicesOfOrder(ctx: GatewayContext, orderId: string): Promise<InvoiceRecord[]> {
  return storeOrLive(ctx, 'DISTRU', 'invoices', () => byParent<InvoiceRecord>(ctx, 'DISTRU', 'invoices', orderId), () => ctx.loaders.invoicesOfOrder(orderId));
}

/** `Part.inspections`, `Sku.inspections`. */
export function inspectionsOfPart(ctx: GatewayContext, partId: string): Promise<InspectionRecord[]> {
  return storeOrLive(ctx, 'ISOLOCITY', 'inspections', () => byParent<InspectionRecord>(ctx, 'ISOLOCITY', 'inspections', partId), () => ctx.loaders.inspectionsOfPart(partId));
}

/** `Part.ncrs`, `Sku.openNcrs`. */
export function ncrsOfPart(ctx: GatewayContext, partId: string): Promise<NcrRecord[]> {
  return storeOrLive(ctx, 'ISOLOCITY', 'ncrs', () => byParent<NcrRecord>(ctx, 'ISOLOCITY', 'ncrs', partId), () => ctx.loaders.ncrsOfPart(partId));
}

/** `Inspection.part`, `Ncr.part`. */
export function partById(ctx: GatewayContext, partId: string): Promise<PartRecord | null> {
  return storeOrLive(ctx, 'ISOLOCITY', 'parts', () => byKey<PartRecord>(ctx, 'ISOLOCITY', 'parts', partId), () => ctx.loaders.part(partId));
}
