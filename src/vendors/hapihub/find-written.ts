import { FIND_LIMIT, type HapihubClient } from './client.js';
import type { HapihubTransaction, HapihubTransactionWrite } from './schemas.js';

export interface WrittenTransactionQuery {
  /** What opsgraph put in `metadata.opsgraphWrite` (src/mutations/reconcile/marker.ts). */
  marker: string;
  type: HapihubTransactionWrite['type'];
  warehouse: string;
  /** The first item's SKU, as sent. */
  sku: string;
  /** The `createdAt` the client gave, when it gave one (HAPIHub keeps it as sent). */
  createdAt?: number | null;
}

/**
 * The transaction an earlier write with this marker made, or null when HAPIHub certainly has none.
 * Document 003 keeps `metadata` as sent, but a find cannot filter on it (object fields are not
 * query fields), so the search is narrowed by what a find can filter — warehouse, type, the first
 * item's SKU, and `createdAt` when the client set it — and read newest first until the marker shows
 * (usually in the first page; never bounded by our clock, which HAPIHub's may not share).
 */
export async function findWrittenTransaction(client: HapihubClient, q: WrittenTransactionQuery): Promise<HapihubTransaction | null> {
  const filters: [string, string][] = [['warehouse', q.warehouse], ['type', q.type], ['items.sku', q.sku], ['$sort[createdAt]', '-1'], ['$sort[id]', '-1']];
  if (q.createdAt != null) filters.push(['createdAt', String(q.createdAt)]);
  for (let skip = 0; ; ) {
    const page = await client.find([...filters, ['$limit', String(FIND_LIMIT)], ['$skip', String(skip)]]);
    const hit = page.records.find((tx) => tx.metadata?.opsgraphWrite === q.marker);
    if (hit) return hit;
    skip += page.records.length;
    if (page.records.length === 0 || (page.total === null ? page.records.length < FIND_LIMIT : skip >= page.total)) return null;
  }
}
