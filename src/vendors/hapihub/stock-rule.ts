/**
 * The HAPIHub stock rule. HAPIHub (document 003) serves no stock on hand in the version we were
 * given: stock is the sum of the inventory transactions. This is that sum, as a pure function. It
 * is the product's rule: the gateway folds with it (stock-fold.ts) and the sandbox imports it from
 * here, never the other way round, so the simulator cannot teach the gateway a misreading.
 * Evidence for each rule: docs/vendors/hapihub.md, "How each transaction type moves stock".
 *
 * stock = receiving + return − sales ± adjustment, transfers moved between warehouses. Per item
 * that names a `sku`:
 * - `adjustment` (also a transaction with no `type`, which HAPIHub stores as an adjustment):
 *   `items.adjustment` at `warehouse`, signed ("+ for replenishment, - for takes").
 *   `items.quantity` is ignored.
 * - `receiving`, `return`: `+items.quantity` at `warehouse`.
 * - `sales`: `-items.quantity` at `warehouse`.
 * - `transfer`: `-items.quantity` at `source` (or `warehouse` when `source` is absent) and
 *   `+items.quantity` at `destination`; without a `destination` it moves nothing.
 * - `purchase`: none. A purchase is an order with an approval workflow (`acknowledgedAt`,
 *   `rejectedAt`, `approvedItems`); the goods arrive with the `receiving` that names it
 *   (`transaction`: "transaction id this receiving … is for"). Counting both counts the goods twice.
 * - `packaging`: none (it packs the goods of another transaction, already counted), and any type
 *   this rule does not know: none.
 * Stock is kept per (sku, control, warehouse); an item without `control` is untracked (control null).
 */

export interface FoldableItem {
  sku?: string | null;
  control?: string | null;
  quantity?: number | null;
  adjustment?: number | null;
  /** Epoch ms: the lot's expiry, where the item states it. */
  expiresAt?: number | null;
}

/** The fields of a transaction the fold reads; a real vendor may leave any of them out or null. */
export interface FoldableTransaction {
  type?: string | null;
  warehouse?: string | null;
  source?: string | null;
  destination?: string | null;
  items?: readonly FoldableItem[] | null;
}

export interface StockDelta {
  sku: string;
  control: string | null;
  warehouse: string;
  delta: number;
}

export interface StockLevel {
  sku: string;
  control: string | null;
  warehouse: string;
  quantity: number;
}

/** One key per (sku, control, warehouse); JSON so that no separator character can collide. */
export function stockKey(sku: string, control: string | null, warehouse: string): string {
  return JSON.stringify([sku, control, warehouse]);
}

const amount = (n: number | null | undefined): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/** How one transaction changes stock: one delta per item and place it touches (zero deltas left out). */
export function stockDeltas(transaction: FoldableTransaction): StockDelta[] {
  const deltas: StockDelta[] = [];
  const push = (item: FoldableItem, warehouse: string | null | undefined, delta: number): void => {
    if (!item.sku || !warehouse || delta === 0) return;
    deltas.push({ sku: item.sku, control: item.control || null, warehouse, delta });
  };
  const type = transaction.type ?? 'adjustment';
  for (const item of transaction.items ?? []) {
    switch (type) {
      case 'adjustment':
        push(item, transaction.warehouse, amount(item.adjustment));
        break;
      case 'receiving':
      case 'return':
        push(item, transaction.warehouse, amount(item.quantity));
        break;
      case 'sales':
        push(item, transaction.warehouse, -amount(item.quantity));
        break;
      case 'transfer':
        if (!transaction.destination) break;
        push(item, transaction.source ?? transaction.warehouse, -amount(item.quantity));
        push(item, transaction.destination, amount(item.quantity));
        break;
      default:
        // purchase: ordered, not yet here (its receiving adds the goods); packaging: work on stock
        // already counted; unknown types are left alone.
        break;
    }
  }
  return deltas;
}

/**
 * Folds transactions into stock levels, starting from `start` (not modified), so that a caller can
 * keep a fold and add only the transactions created since (`createdAt[$gt]=…`).
 */
export function foldStock(transactions: Iterable<FoldableTransaction>, start?: ReadonlyMap<string, StockLevel>): Map<string, StockLevel> {
  const levels = new Map<string, StockLevel>();
  for (const [key, level] of start ?? []) levels.set(key, { ...level });
  for (const transaction of transactions) {
    for (const { sku, control, warehouse, delta } of stockDeltas(transaction)) {
      const key = stockKey(sku, control, warehouse);
      const level = levels.get(key);
      if (level) level.quantity += delta;
      else levels.set(key, { sku, control, warehouse, quantity: delta });
    }
  }
  return levels;
}
