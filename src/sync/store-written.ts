import type { Vendor } from '../model/records.js';
import type { GatewayRuntime } from '../server/runtime.js';
import type { SyncedRelation } from './record-store.js';

/**
 * Read-your-writes from a mutation path: puts the record a write answered into the store (lists
 * show it at once) and hands it back, so a mutation adds one call after its write and nothing else.
 */
export async function storeWritten<T>(ctx: { runtime: Pick<GatewayRuntime, 'sync'> }, vendor: Vendor, relation: SyncedRelation, record: T): Promise<T> {
  await ctx.runtime.sync.applyWrite(vendor, relation, [record]);
  return record;
}
