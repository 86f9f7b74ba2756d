import type { Kysely } from 'kysely';
import { addDecimals, toDecimal } from '../model/decimal.js';
import type { InventoryLevelRecord } from '../model/records.js';
import type { StoreSchema } from '../store/schema.js';
import { toFoldable, type InventoryTransactionRecord } from '../vendors/hapihub/mapping.js';
import { stockDeltas, stockKey } from '../vendors/hapihub/stock-rule.js';
import { rowsByKey, rowsByParent, upsertRows } from './record-store.js';
import { inventoryRow } from './rows.js';

/** A stored level as the fold writes it (src/sync/relations/hapihub.ts keeps the item's name beside it). */
type StoredLevel = InventoryLevelRecord & { name?: string | null };

interface Move {
  sku: string;
  control: string | null;
  warehouse: string;
  amounts: string[];
  /** Epoch ms: the latest createdAt of the transactions that added to it (taking back moves no time). */
  at: number | null;
}

/**
 * Moves the stored HAPIHub stock by transactions about to be stored, by the fold's rule
 * (`stockDeltas`, src/vendors/hapihub/stock-fold.ts) but only where they move it: what each one's
 * stored version added is taken back and its own deltas added, so a transaction read again (the
 * increment re-reads those at its mark) or patched never counts twice. A lot's expiry an item
 * states (the latest stated wins) reaches every stored level of that SKU and lot, and a new level
 * of a lot takes the expiry its other levels show, as in the fold.
 *
 * `updatedAt`: `now` for opsgraph's own writes (read-your-writes); `created` for the sync, the
 * latest createdAt of the transactions that moved a level, as the fold has it.
 *
 * The sync calls it for every page of transactions once the stock has been folded whole, so new
 * transactions move the levels they touch: folding all of them again for each new one held the
 * event loop about 5 s per pass at the budget bench's scale 100 (41,000 transactions).
 */
export async function moveStoredStock(db: Kysely<StoreSchema>, transactions: readonly InventoryTransactionRecord[], now: number, updatedAt: 'now' | 'created'): Promise<void> {
  const previous = (await rowsByKey(db, 'HAPIHUB', 'transactions', transactions.map((t) => t.vendorId))) as Map<string, InventoryTransactionRecord>;
  const moves = new Map<string, Move>();
  const add = (record: InventoryTransactionRecord, sign: 1 | -1) => {
    const createdAt = Date.parse(record.createdAt);
    for (const d of stockDeltas(toFoldable(record))) {
      const k = stockKey(d.sku, d.control, d.warehouse);
      const move = moves.get(k) ?? { sku: d.sku, control: d.control, warehouse: d.warehouse, amounts: [], at: null };
      move.amounts.push(toDecimal(sign * d.delta));
      if (sign === 1 && (move.at === null || createdAt > move.at)) move.at = createdAt;
      moves.set(k, move);
    }
  };
  // (SKU, lot) → the expiry the latest item stating one gave (`items.expiresAt`).
  const stated = new Map<string, { sku: string; lot: string; expiresAt: string }>();
  for (const record of transactions) {
    const before = previous.get(record.vendorId);
    if (before) add(before, -1);
    add(record, 1);
    for (const item of record.items) {
      const expiresAt = item.expiresAt ? new Date(item.expiresAt).toISOString() : null;
      if (item.vendorSkuCode && item.lotNumber && expiresAt) stated.set(lotKey(item.vendorSkuCode, item.lotNumber), { sku: item.vendorSkuCode, lot: item.lotNumber, expiresAt });
    }
  }
  if (moves.size === 0 && stated.size === 0) return;

  // Every stored level of the SKUs concerned: the levels moved, and the other levels of a lot whose expiry is stated or known.
  const skus = [...new Set([...[...moves.values()].map((m) => m.sku), ...[...stated.values()].map((s) => s.sku)])];
  const stored = new Map<string, StoredLevel>();
  const knownExpiry = new Map<string, string>();
  for (const list of (await rowsByParent(db, 'HAPIHUB', 'inventory', skus)).values()) {
    for (const level of list as StoredLevel[]) {
      stored.set(stockKey(level.vendorSkuCode ?? '', level.lotNumber, level.location?.id ?? ''), level);
      if (level.lotNumber && level.expiresAt) knownExpiry.set(lotKey(level.vendorSkuCode ?? '', level.lotNumber), level.expiresAt);
    }
  }
  const levels = new Map(stored);
  const nowIso = new Date(now).toISOString();
  for (const [k, move] of moves) {
    const level = levels.get(k) ?? newLevel(move, move.control === null ? null : (knownExpiry.get(lotKey(move.sku, move.control)) ?? null));
    const movedAt = move.at === null ? null : new Date(move.at).toISOString();
    levels.set(k, { ...level, onHand: addDecimals([level.onHand, ...move.amounts]), updatedAt: updatedAt === 'now' ? nowIso : laterIso(level.updatedAt, movedAt) });
  }
  for (const { sku, lot, expiresAt } of stated.values()) {
    for (const [k, level] of levels) if (level.vendorSkuCode === sku && level.lotNumber === lot && level.expiresAt !== expiresAt) levels.set(k, { ...level, expiresAt });
  }
  // Only levels that differ from their stored copy are written: a transaction read again unchanged writes nothing.
  const rows = [...levels].filter(([k, level]) => !sameLevel(stored.get(k), level)).map(([k, level]) => inventoryRow(k, level));
  if (rows.length > 0) await upsertRows(db, 'HAPIHUB', 'inventory', rows, now);
}

function newLevel(move: Move, expiresAt: string | null): StoredLevel {
  return { vendor: 'HAPIHUB', vendorSkuCode: move.sku, location: { id: move.warehouse, name: null }, lotNumber: move.control, onHand: '0', available: null, updatedAt: null, expiresAt, unitOfMeasure: null, name: null };
}

function sameLevel(a: StoredLevel | undefined, b: StoredLevel): boolean {
  return a !== undefined && a.onHand === b.onHand && a.updatedAt === b.updatedAt && (a.expiresAt ?? null) === (b.expiresAt ?? null);
}

/** The later of two ISO times; a level no transaction dated keeps the epoch, as the fold (it starts at 0). */
function laterIso(a: string | null | undefined, b: string | null): string {
  if (!a) return b ?? new Date(0).toISOString();
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** One key per (SKU, lot). */
function lotKey(sku: string, lot: string): string {
  return JSON.stringify([sku, lot]);
}
