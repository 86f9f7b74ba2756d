import { stockDeltas, stockKey, type StockDelta } from './stock-rule.js';
import { addDecimals, toDecimal } from '../../model/decimal.js';
import type { HapihubTransaction } from './schemas.js';

/**
 * HAPIHub serves no stock in the document's version: stock is the fold of its inventory
 * transactions. The sign rules are `stockDeltas` (stock-rule.ts, docs/vendors/hapihub.md "How each
 * transaction type moves stock"), which the sandbox imports from here; the sums here are exact
 * decimals, since the vendor sends quantities as JSON numbers.
 */
export interface FoldedLevel {
  sku: string;
  control: string | null;
  warehouse: string;
  /** Exact decimal string. */
  onHand: string;
  /** Epoch ms of the latest transaction that moved this level. */
  updatedAt: number;
  /** Epoch ms: when the lot expires, as the latest transaction naming its expiry said; null when none did (or untracked). */
  expiresAt: number | null;
}

/**
 * The fold of every transaction read so far, with the SKUs (and names) seen in their items.
 * Taking a transaction it has already taken first undoes what that transaction added before, so
 * re-reading the records of the last millisecond (`createdAt[$gte]`) or taking a patched
 * transaction again never counts anything twice.
 */
export class StockFold {
  /**
   * `distinct`: each transaction is taken once (a fold of the stored transactions, each stored
   * once), so what each added need not be kept to undo it: at scale 100 that record is 41,000
   * arrays held for nothing.
   */
  constructor(private readonly options: { distinct?: boolean } = {}) {}

  private readonly levels = new Map<string, FoldedLevel>();
  private readonly levelsBySku = new Map<string, FoldedLevel[]>();
  private readonly contributions = new Map<string, StockDelta[]>();
  private readonly names = new Map<string, string | null>();
  /** A lot's expiry by `lotKey`: it belongs to the lot, so every warehouse's level of the lot shows it. */
  private readonly expiries = new Map<string, number>();
  /** A lot's expiry by its number alone (`Lot.expiresAt`, which knows no SKU): the latest stated for any SKU. */
  private readonly expiriesByLot = new Map<string, number>();
  private sortedCodes: string[] | null = null;
  /** createdAt of the latest transaction taken; where the next incremental read starts. */
  lastCreatedAt: number | null = null;

  /** Entries held, for the `maxIndexEntries` bound. */
  get size(): number {
    return this.levels.size + this.contributions.size + this.names.size + this.expiries.size + this.expiriesByLot.size;
  }

  /**
   * Takes one transaction. `advance: false` for a transaction opsgraph wrote itself: folded at
   * once, but not moving where the next incremental read starts, so that what others created
   * meanwhile (earlier createdAt) is still read.
   */
  apply(transaction: HapihubTransaction, advance = true): void {
    if (!this.options.distinct) for (const d of this.contributions.get(transaction.id) ?? []) this.move(d, toDecimal(-d.delta), null);
    this.noteExpiries(transaction);
    const deltas = stockDeltas(transaction);
    for (const d of deltas) this.move(d, toDecimal(d.delta), transaction.createdAt);
    if (!this.options.distinct) this.contributions.set(transaction.id, deltas);
    for (const item of transaction.items ?? []) {
      if (!item.sku) continue;
      if (!this.names.has(item.sku)) this.sortedCodes = null;
      // The latest name wins; an item without one keeps the name seen before.
      if (item.variantName || !this.names.has(item.sku)) this.names.set(item.sku, item.variantName ?? null);
    }
    if (advance && (this.lastCreatedAt === null || transaction.createdAt > this.lastCreatedAt)) this.lastCreatedAt = transaction.createdAt;
  }

  /** Stock of one SKU in every warehouse and lot it has been in (levels at zero included). */
  levelsOf(sku: string): readonly FoldedLevel[] {
    return this.levelsBySku.get(sku) ?? [];
  }

  /** Epoch ms: when the lot numbered `control` expires, as the latest transaction stating it said; null when none did. */
  expiryOfLot(control: string): number | null {
    return this.expiriesByLot.get(control) ?? null;
  }

  hasSku(sku: string): boolean {
    return this.names.has(sku);
  }

  nameOf(sku: string): string | null {
    return this.names.get(sku) ?? null;
  }

  /** Every level, in the order first moved. */
  allLevels(): readonly FoldedLevel[] {
    return [...this.levels.values()];
  }

  /** Every SKU seen, in code order. */
  skuCodes(): readonly string[] {
    this.sortedCodes ??= [...this.names.keys()].sort();
    return this.sortedCodes;
  }

  /**
   * Items of tracked lots may state when the lot expires (document 003 `items.expiresAt`); the
   * latest transaction that states it wins, and every level of the lot shows it.
   */
  private noteExpiries(transaction: HapihubTransaction): void {
    for (const item of transaction.items ?? []) {
      if (!item.sku || !item.control || typeof item.expiresAt !== 'number') continue;
      this.expiriesByLot.set(item.control, item.expiresAt);
      const key = lotKey(item.sku, item.control);
      if (this.expiries.get(key) === item.expiresAt) continue;
      this.expiries.set(key, item.expiresAt);
      for (const level of this.levelsBySku.get(item.sku) ?? []) if (level.control === item.control) level.expiresAt = item.expiresAt;
    }
  }

  private move(d: StockDelta, amount: string, at: number | null): void {
    const key = stockKey(d.sku, d.control, d.warehouse);
    let level = this.levels.get(key);
    if (!level) {
      const expiresAt = d.control === null ? null : (this.expiries.get(lotKey(d.sku, d.control)) ?? null);
      level = { sku: d.sku, control: d.control, warehouse: d.warehouse, onHand: '0', updatedAt: at ?? 0, expiresAt };
      this.levels.set(key, level);
      const ofSku = this.levelsBySku.get(d.sku);
      if (ofSku) ofSku.push(level);
      else this.levelsBySku.set(d.sku, [level]);
    }
    level.onHand = addDecimals([level.onHand, amount]);
    if (at !== null && at > level.updatedAt) level.updatedAt = at;
  }
}

/** One key per (sku, lot). */
function lotKey(sku: string, control: string): string {
  return JSON.stringify([sku, control]);
}
