import { randomUUID } from 'node:crypto';
import { PharusApiError, notFound } from './errors.js';
import { formatScaled, QUANTITY_PLACES } from './decimal.js';
import type { LedgerEntryRecord, LedgerEventType, StockCellRecord, TransferRecord } from './records.js';
import { Table, type PageSlice } from './table.js';

/**
 * One inventory ledger with its summary: finished goods (items are SKUs) or materials (items are
 * materials). Document 001, "FinishedGoodsInventory" and "MaterialsInventory": stock moves only
 * through ledger entries (adjust, dispose, transfer, complete transfer), and the summary is what
 * the ledger adds up to per item and location, plus what is in transit to each location.
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
const cellKey = (itemId: string, locationId: string) => `${itemId}:${locationId}`;

export class InventoryBook {
  private readonly ledger: Table<LedgerEntryRecord>;
  private readonly ledgerByItem = new Map<string, Table<LedgerEntryRecord>>();
  private readonly cells: Table<StockCellRecord>;
  private readonly transfers = new Map<string, TransferRecord>();
  private nextSeq = 1;
  private nextTransfer = 1;

  /**
   * @param refPrefix prefix of transfer refs (`FGT-000001`, `MT-000001`)
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

  pageLedger(filter: LedgerFilter, after: string | undefined, limit: number): PageSlice<LedgerEntryRecord> {
    const table = filter.itemId === undefined ? this.ledger : this.ledgerByItem.get(filter.itemId);
    if (table === undefined) return { rows: [], nextAfter: null };
    const matches = (e: LedgerEntryRecord) =>
      (filter.locationId === undefined || e.locationId === filter.locationId) &&
      (filter.eventType === undefined || e.eventType === filter.eventType) &&
      (filter.ref === undefined || e.ref === filter.ref) &&
      (filter.from === undefined || e.eventDate >= filter.from) &&
      (filter.before === undefined || e.eventDate < filter.before);
    return table.page({ after, limit, filter: matches });
  }

  /** Summary rows, optionally of one item (a contiguous key range) and/or one location. */
  pageSummary(itemId: string | undefined, locationId: string | undefined, after: string | undefined, limit: number): PageSlice<StockCellRecord> {
    return this.cells.page({
      after,
      limit,
      prefix: itemId === undefined ? undefined : `${itemId}:`,
      filter: locationId === undefined ? undefined : (c) => c.locationId === locationId,
    });
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

  /** ADJUST: the document's adjust takes `quantity > 0`, so it adds stock (a found or counted surplus). */
  adjust(m: Movement): LedgerEntryRecord {
    return this.append({ itemId: m.itemId, locationId: m.locationId, eventType: 'ADJUST', quantity: m.quantity, notes: m.notes, eventDate: m.eventDate });
  }

  /** DISPOSE: removes stock; refused with `conflict` when the location holds less than asked. */
  dispose(m: Movement): LedgerEntryRecord {
    this.requireOnHand(m.itemId, m.locationId, m.quantity);
    return this.append({ itemId: m.itemId, locationId: m.locationId, eventType: 'DISPOSE', quantity: -m.quantity, notes: m.notes, eventDate: m.eventDate });
  }

  /**
   * TRANSFER out of the source now; the stock is in transit (counted in the destination's
   * `inTransit`) until the transfer is completed by its ref.
   */
  transfer(t: TransferInput): { entry: LedgerEntryRecord; ref: string } {
    if (t.sourceLocationId === t.destinationLocationId) {
      throw new PharusApiError('validation_failed', 'Source and destination locations must differ', {
        issues: [{ location: 'body', path: 'destinationLocationId', message: 'must differ from sourceLocationId' }],
      });
    }
    this.requireOnHand(t.itemId, t.sourceLocationId, t.quantity);
    const ref = `${this.refPrefix}-${String(this.nextTransfer++).padStart(6, '0')}`;
    const entry = this.append({
      itemId: t.itemId,
      locationId: t.sourceLocationId,
      eventType: 'TRANSFER',
      quantity: -t.quantity,
      ref,
      toLocationId: t.destinationLocationId,
      notes: t.notes,
      eventDate: t.eventDate,
    });
    this.cellFor(t.itemId, t.destinationLocationId).inTransit += t.quantity;
    this.transfers.set(ref, { ref, itemId: t.itemId, sourceLocationId: t.sourceLocationId, destinationLocationId: t.destinationLocationId, quantity: t.quantity, completedAt: null });
    return { entry, ref };
  }

  /** Receives an in-transit transfer at its destination; a second completion is `invalid_transition`. */
  completeTransfer(ref: string, eventDate: Date, notes: string | null): LedgerEntryRecord {
    const transfer = this.transfers.get(ref);
    if (transfer === undefined) throw notFound('Transfer', ref);
    if (transfer.completedAt !== null) {
      throw new PharusApiError('invalid_transition', `Transfer ${ref} was already completed`, { ref, completedAt: transfer.completedAt.toISOString() });
    }
    transfer.completedAt = new Date();
    this.cellFor(transfer.itemId, transfer.destinationLocationId).inTransit -= transfer.quantity;
    return this.append({
      itemId: transfer.itemId,
      locationId: transfer.destinationLocationId,
      eventType: 'TRANSFER',
      quantity: transfer.quantity,
      ref,
      notes,
      eventDate,
      sourceType: 'transfer',
      sourceId: ref,
    });
  }

  private requireOnHand(itemId: string, locationId: string, quantity: number): void {
    const onHand = this.cell(itemId, locationId)?.onHand ?? 0;
    if (onHand < quantity) {
      throw new PharusApiError('conflict', `Insufficient stock: ${formatScaled(onHand, QUANTITY_PLACES)} on hand, ${formatScaled(quantity, QUANTITY_PLACES)} requested`, {
        itemId,
        locationId,
        onHand: formatScaled(onHand, QUANTITY_PLACES),
        requested: formatScaled(quantity, QUANTITY_PLACES),
      });
    }
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
    cell.onHand += entry.quantity;
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
