import type { RelationSync } from './sync-status.js';

/**
 * What an answer read from the synced store, per request (keyed by the request's context object),
 * so that `extensions.freshness` can say per vendor how old that copy was (src/server/freshness-plugin.ts).
 */
const used = new WeakMap<object, Map<string, RelationSync>>();

export function noteStoreRead(requestContext: object, syncs: readonly RelationSync[]): void {
  let seen = used.get(requestContext);
  if (!seen) used.set(requestContext, (seen = new Map<string, RelationSync>()));
  for (const sync of syncs) seen.set(`${sync.vendor}/${sync.relation}`, sync);
}

/** Per vendor (lower case): the oldest completed pass among the relations read, and the worst state. */
export interface VendorFreshness {
  lastSyncedAt: string | null;
  state: 'initial' | 'current' | 'failing';
}

const RANK = { current: 0, failing: 1, initial: 2 } as const;

/**
 * `requestKeys`: the objects reads were noted under — the GraphQL context (lists, store relations)
 * and the request's SourceScope (vendor runtimes' lookups, src/sync/store-lookups.ts).
 */
export function freshnessOf(...requestKeys: object[]): Record<string, VendorFreshness> | null {
  const seen = new Map<string, RelationSync>();
  for (const key of requestKeys) for (const [id, sync] of used.get(key) ?? []) seen.set(id, sync);
  if (seen.size === 0) return null;
  const out: Record<string, VendorFreshness & { at: number | null }> = {};
  for (const sync of seen.values()) {
    const vendor = sync.vendor.toLowerCase();
    const before = out[vendor];
    const at = before === undefined ? sync.lastSyncedAt : before.at === null || sync.lastSyncedAt === null ? null : Math.min(before.at, sync.lastSyncedAt);
    const state = before === undefined || RANK[sync.state] > RANK[before.state] ? sync.state : before.state;
    out[vendor] = { at, state, lastSyncedAt: null };
  }
  return Object.fromEntries(Object.entries(out).map(([vendor, f]) => [vendor, { lastSyncedAt: f.at === null ? null : new Date(f.at).toISOString(), state: f.state }]));
}
