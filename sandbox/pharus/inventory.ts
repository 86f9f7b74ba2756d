import { randomUUID } from 'node:crypto';
import { PharusApiError, notFound } from './errors.js';
import type { LedgerEntryRecord, LedgerEventType, StockCellRecord, TransferRecord } from './records.js';
import { Table } from './table.js';

/**
 * One inventory ledger with its summary: finished goods (items are SKUs) or materials (items are
 * materials). Document 001, "FinishedGoodsInventory" and "MaterialsInventory", as Pharus's own pages
 * spell the rules out (https://docs.pharus.ai/modules/finished-goods-inventory,
 * https://docs.pharus.ai/modules/inventory-transfers, E097–E110): every quantity is positive and the
 * event type says the direction; on hand adds RECEIVE, PRODUCE and ADJUST and subtracts CONSUME,
 * DISPOSE and TRANSFER (a REVERSE_<type> undoes its type). A transfer is a TRANSFER row at the
 * source (carrying `toLocationId`) and, once completed, a RECEIVE row at the destination with the
 * same `ref`. Neither disposals nor transfers are guarded by stock ("No stock guard in v1", W100,
 * W104): on hand may go below zero.
 */
export type LedgerSeed = Omit<LedgerEntryRecord, 'seq'>;

export interface Movement {
  itemId: string;
  locationId: string;
  /** Positive, scaled by 10^QUANTITY_PLACES. */
  quantity: number;
  notes: string | null;
  eventDate: Date;
}

export interface TransferInput {
  itemId: string;
  sourceLocationId: string;
  destinationLocationId: string;
  quantity: number;
  notes: string | null;
  eventDate: Date;
}

export interface LedgerFilter {
  itemId?: string;
  locationId?: string;
  eventType?: LedgerEventType;
  ref?: string;
  from?: Date;
  /** Exclusive upper bound. */
  before?: Date;
}

const seqKey = (seq: number) => String(seq).padStart(12, '0');

/** +1 where an event adds to on hand, -1 where it takes away, 0 where on hand is untouched (E108, E101). */
const ON_HAND_EFFECT: Partial<Record<LedgerEventType, 1 | -1>> = { RECEIVE: 1, PRODUCE: 1, ADJUST: 1, CONSUME: -1, DISPOSE: -1, TRANSFER: -1 };

export function onHandEffect(eventType: LedgerEventType): number {
  const reversed = eventType.startsWith('REVERSE_');
  const base = (reversed ? eventType.slice('REVERSE_'.length) : eventType) as LedgerEventType;
  const effect = ON_HAND_EFFECT[base] ?? 0;
  return reversed ? -effect : effect;
}

/** A `?ref=` filter: an SQL LIKE pattern (`%` any run, `_` one character); without a wildcard an exact match (E109). */
function refMatcher(pattern: string): (ref: string | null) => boolean {
  if (!/[%_]/.test(pattern)) return (ref) => ref === pattern;
  const regex = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 's');
  return (ref) => ref !== null && regex.test(ref);
}
const cellKey = (itemId: string, locationId: string) => `${itemId}:${locationId}`;

export class InventoryBook {
  private readonly ledger: Table<LedgerEntryRecord>;
  private readonly ledgerByItem = new Map<string, Table<LedgerEntryRecord>>();
  private readonly cells: Table<StockCellRecord>;
  private readonly transfers = new Map<string, TransferRecord>();
  private nextSeq = 1;
  private nextTransfer = 1;

  /**
   * @param refPrefix prefix of transfer refs (`TFR-FG` → `TFR-FG-001`, `TFR-MI` → `TFR-MI-001`)
   * @param cells the opening summary (cells may be zero)
   * @param entries the opening ledger, in the order it happened; must add up to `cells`
   */
  constructor(
    private readonly refPrefix: string,
    cells: readonly StockCellRecord[],
    entries: readonly LedgerSeed[],
  ) {
    const numbered = entries.map((e) => ({ ...e, seq: this.nextSeq++ }));
    this.ledger = new Table(ledgerId, ledgerKey, numbered);
    const byItem = new Map<string, LedgerEntryRecord[]>();
    for (const entry of numbered) {
      const list = byItem.get(entry.itemId);
      if (list) list.push(entry);
      else byItem.set(entry.itemId, [entry]);
    }
    for (const [itemId, list] of byItem) this.ledgerByItem.set(itemId, new Table(ledgerId, ledgerKey, list));
    this.cells = new Table(cellId, cellId, cells);
  }

  entry(id: string): LedgerEntryRecord | undefined {
    return this.ledger.get(id);
  }

  /**
   * Every matching entry, newest first (by `eventDate`, then `createdAt`, then append order): the
   * ledger is unpaginated ("bounded per org in v1", E109).
   */
  listLedger(filter: LedgerFilter): LedgerEntryRecord[] {
    const table = filter.itemId === undefined ? this.ledger : this.ledgerByItem.get(filter.itemId);
    if (table === undefined) return [];
    const refMatches = filter.ref === undefined ? null : refMatcher(filter.ref);
    const rows = table.all().filter(
      (e) =>
        (filter.locationId === undefined || e.locationId === filter.locationId) &&
        (filter.eventType === undefined || e.eventType === filter.eventType) &&
        (refMatches === null || refMatches(e.ref)) &&
        (filter.from === undefined || e.eventDate >= filter.from) &&
        (filter.before === undefined || e.eventDate < filter.before),
    );
    return rows.sort((a, b) => b.eventDate.getTime() - a.eventDate.getTime() || b.createdAt.getTime() - a.createdAt.getTime() || b.seq - a.seq);
  }

  /** Summary rows, optionally of one item and/or one location, by item id then location id (unpaginated, E108/E101). */
  summary(itemId: string | undefined, locationId: string | undefined): StockCellRecord[] {
    return this.cells.all().filter((c) => (itemId === undefined || c.itemId === itemId) && (locationId === undefined || c.locationId === locationId));
  }

  cell(itemId: string, locationId: string): StockCellRecord | undefined {
    return this.cells.get(cellKey(itemId, locationId));
  }

  /** How many ledger entries name the item (the SKU/material in-use check). */
  references(itemId: string): number {
    return this.ledgerByItem.get(itemId)?.size ?? 0;
  }

  /** How many entries happened at (or were sent to) the location (the location in-use check). */
  entriesAt(locationId: string): number {
    let count = 0;
    for (const e of this.ledger.all()) if (e.locationId === locationId || e.toLocationId === locationId) count++;
    return count;
  }

  /** Drops summary rows that hold nothing (when their SKU, material or location is deleted). */
  dropEmptyCells(match: (cell: StockCellRecord) => boolean): void {
    const empty = this.cells.all().filter((c) => match(c) && c.onHand === 0 && c.inTransit === 0);
    for (const cell of empty) this.cells.remove(cellId(cell));
  }

  /** ADJUST: found stock, positive only (E106/E099); reductions are disposals. */
  adjust(m: Movement): LedgerEntryRecord {
    return this.append({ itemId: m.itemId, locationId: m.locationId, eventType: 'ADJUST', quantity: m.quantity, notes: m.notes, eventDate: m.eventDate });
  }

  /** DISPOSE: a positive quantity that leaves on hand (E107/E100); not guarded by stock (W100). */
  dispose(m: Movement): LedgerEntryRecord {
    return this.append({ itemId: m.itemId, locationId: m.locationId, eventType: 'DISPOSE', quantity: m.quantity, notes: m.notes, eventDate: m.eventDate });
  }

  /**
   * The outbound leg (E104/E097): one TRANSFER row at the source with `toLocationId` and a new
   * `ref`; on hand at the source drops now. Same source and destination is `validation_failed`; too
   * little stock is not refused (W104, "No stock guard in v1").
   */
  transfer(t: TransferInput): { entry: LedgerEntryRecord; ref: string } {
    if (t.sourceLocationId === t.destinationLocationId) {
      throw new PharusApiError('validation_failed', 'Source and destination locations must differ', {
        issues: [{ location: 'body', path: 'destinationLocationId', message: 'must differ from sourceLocationId' }],
      });
    }
    const ref = `${this.refPrefix}-${String(this.nextTransfer++).padStart(3, '0')}`;
    const entry = this.append({
      itemId: t.itemId,
      locationId: t.sourceLocationId,
      eventType: 'TRANSFER',
      quantity: t.quantity,
      ref,
      toLocationId: t.destinationLocationId,
      notes: t.notes,
      eventDate: t.eventDate,
    });
    this.cellFor(t.itemId, t.destinationLocationId).inTransit += t.quantity;
    this.transfers.set(ref, { ref, itemId: t.itemId, sourceLocationId: t.sourceLocationId, destinationLocationId: t.destinationLocationId, quantity: t.quantity, completedAt: null });
    return { entry, ref };
  }

  /**
   * The inbound leg (E105/E098): a RECEIVE row at the outbound row's destination with the same ref
   * and quantity (and its unit cost, W105). Unknown ref → `not_found`; a second completion →
   * `invalid_transition`.
   */
  completeTransfer(ref: string, eventDate: Date, notes: string | null): LedgerEntryRecord {
    const transfer = this.transfers.get(ref);
    if (transfer === undefined) throw notFound('Transfer', ref);
    if (transfer.completedAt !== null) {
      throw new PharusApiError('invalid_transition', `Transfer ${ref} was already completed`, { ref, completedAt: transfer.completedAt.toISOString() });
    }
    transfer.completedAt = new Date();
    this.cellFor(transfer.itemId, transfer.destinationLocationId).inTransit -= transfer.quantity;
    return this.append({ itemId: transfer.itemId, locationId: transfer.destinationLocationId, eventType: 'RECEIVE', quantity: transfer.quantity, ref, notes, eventDate });
  }

  private cellFor(itemId: string, locationId: string): StockCellRecord {
    const existing = this.cell(itemId, locationId);
    if (existing) return existing;
    const cell: StockCellRecord = { itemId, locationId, onHand: 0, inTransit: 0, lastEventDate: null };
    this.cells.insert(cell);
    return cell;
  }

  private append(fields: Pick<LedgerEntryRecord, 'itemId' | 'locationId' | 'eventType' | 'quantity' | 'notes' | 'eventDate'> & Partial<LedgerEntryRecord>): LedgerEntryRecord {
    const entry: LedgerEntryRecord = {
      id: randomUUID(),
      seq: this.nextSeq++,
      code: null,
      unitCost: null,
      ref: null,
      toLocationId: null,
      sourceType: null,
      sourceId: null,
      createdAt: new Date(),
      ...fields,
    };
    this.ledger.insert(entry);
    const byItem = this.ledgerByItem.get(entry.itemId);
    if (byItem) byItem.insert(entry);
    else this.ledgerByItem.set(entry.itemId, new Table(ledgerId, ledgerKey, [entry]));
    const cell = this.cellFor(entry.itemId, entry.locationId);
    cell.onHand += onHandEffect(entry.eventType) * entry.quantity;
    if (cell.lastEventDate === null || entry.eventDate > cell.lastEventDate) cell.lastEventDate = entry.eventDate;
    return entry;
  }
}

function ledgerId(e: LedgerEntryRecord): string {
  return e.id;
}
function ledgerKey(e: LedgerEntryRecord): string {
  return seqKey(e.seq);
}
function cellId(c: StockCellRecord): string {
  return cellKey(c.itemId, c.locationId);
}
