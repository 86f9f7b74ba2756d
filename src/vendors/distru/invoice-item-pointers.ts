import type { DistruErrorEntry } from './schemas.js';

/**
 * Which item of an invoice upsert a Distru error names. Distru's pointer is `["items", i, field]`,
 * but what `i` counts is not documented, and the one recording (seed 002, "POST /invoices reports
 * various errors correctly on update") points at items 2 and 3 of a two-item update: there it counts
 * after the existing items the update deletes. So, in order of evidence:
 *
 * 1. the error's `context` echoes the item — its `order_item_id`, or an `id` that is the item's own
 *    or its order item's — and exactly one request item has it: that item, whatever the index says;
 * 2. the index fits the request (0 ≤ i < items sent): the vendor indexed the request's own items;
 * 3. on an update, the index minus the existing items the update deletes fits the request: the
 *    recorded counting (the caller reads the invoice once to learn that number, only in this case);
 * 4. otherwise nothing is guessed: the error points at the item list as a whole.
 */
export interface SentItem {
  vendorId?: string | null | undefined;
  orderItemId?: string | null | undefined;
}

export type ItemMatch = { kind: 'item'; index: number } | { kind: 'needs-offset'; pointerIndex: number } | { kind: 'list' };

/** Steps 1 and 2 (no vendor call); `needs-offset` when only step 3 could place it. */
export function matchInvoiceItem(error: DistruErrorEntry, items: readonly SentItem[], isUpdate: boolean): ItemMatch {
  const index = error.pointer?.[1];
  const echoed = fromContext(error.context, items);
  if (echoed !== null) return { kind: 'item', index: echoed };
  if (typeof index !== 'number') return { kind: 'list' };
  if (index >= 0 && index < items.length) return { kind: 'item', index };
  return isUpdate && index >= items.length ? { kind: 'needs-offset', pointerIndex: index } : { kind: 'list' };
}

/** Step 3: the index counted after `deleted` existing items, if that lands on a request item. */
export function withDeletedOffset(pointerIndex: number, deleted: number, items: readonly SentItem[]): ItemMatch {
  const index = pointerIndex - deleted;
  return index >= 0 && index < items.length ? { kind: 'item', index } : { kind: 'list' };
}

function fromContext(context: Record<string, unknown> | null | undefined, items: readonly SentItem[]): number | null {
  if (!context) return null;
  const orderItemId = typeof context.order_item_id === 'string' ? context.order_item_id : null;
  const id = typeof context.id === 'string' ? context.id : null;
  const candidates = items.flatMap((item, i) => ((orderItemId !== null && item.orderItemId === orderItemId) || (id !== null && (item.vendorId === id || item.orderItemId === id)) ? [i] : []));
  return candidates.length === 1 ? (candidates[0] as number) : null;
}
