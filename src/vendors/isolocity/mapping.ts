import { toDecimal } from '../../model/decimal.js';
import { toUtcIso } from '../../model/time.js';
import type { InspectionRecord, InventoryLevelRecord, NcrRecord, OrderRecord, OrderStatus, PartRecord, VendorSkuRecord } from '../../model/records.js';
import type { IsolocityInspection, IsolocityInventory, IsolocityNcr, IsolocityOrder, IsolocityPart, IsolocitySample } from './schemas.js';

/** ISOlocity payloads → opsgraph's unified records. Pure functions. */

/**
 * A vendor timestamp as ISO-8601 UTC, or null when absent or unreadable. ISOlocity writes
 * `"2020-01-01 12:00:00"` with no zone (https://docs.isolocity.com, every response sample): a wall
 * time in the account's zone, `zone` (ISOLOCITY_TIMEZONE, default UTC) — never the gateway host's.
 * A bare date ("Order date yyyy-mm-dd") is midnight in that zone; a timestamp with `Z` or an
 * offset keeps it.
 */
export function isoTime(value: string | null | undefined, zone: string): string | null {
  return toUtcIso(value, zone);
}

export function toPartRecord(p: IsolocityPart): PartRecord {
  return {
    vendor: 'ISOLOCITY',
    vendorId: p.id,
    identification: p.identification,
    name: p.name ?? null,
    unitOfMeasure: p.unit_of_measure ?? null,
    isFinishedProduct: p.is_finished_product ?? null,
  };
}

/** A part is ISOlocity's product record for a SKU: its code is `identification`. */
export function toSkuRecord(p: PartRecord): VendorSkuRecord {
  return { vendor: 'ISOLOCITY', vendorId: p.vendorId, code: p.identification, name: p.name, unitOfMeasure: p.unitOfMeasure };
}

export function toInspectionRecord(i: IsolocityInspection, zone: string): InspectionRecord {
  return {
    vendor: 'ISOLOCITY',
    vendorId: i.id,
    // Inspections of equipment name no part.
    partVendorId: i.entity_type === undefined || i.entity_type === null || i.entity_type === 'part' ? (i.entity_id ?? null) : null,
    passed: i.passed ?? null,
    sampleSize: i.sample_size ?? null,
    lotNumber: i.lot_number ?? null,
    inspectedAt: isoTime(i.created_at, zone),
    specificationVendorId: i.drawing_id ?? null,
  };
}

export function toNcrRecord(n: IsolocityNcr, zone: string): NcrRecord {
  return {
    vendor: 'ISOLOCITY',
    vendorId: n.id,
    number: n.ncr_number ?? null,
    source: n.source ?? null,
    status: n.status ?? null,
    lotNumber: n.lot_number ?? null,
    quantity: n.quantity ?? null,
    description: n.description ?? null,
    partVendorId: n.part_id ?? null,
    createdAt: isoTime(n.created_at, zone),
    immediateAction: n.immediate_action ?? null,
    rootCauseDetermined: n.is_root_cause_determined ?? null,
    hasIncompleteActionItems: n.has_incomplete_action_items ?? null,
  };
}

/** A level without its SKU code: the code is the one the caller asked for (see runtime.ts). */
export type LevelOfPart = Omit<InventoryLevelRecord, 'vendorSkuCode'>;

/** One inventory record (a part's lot) → one level per location that holds it. */
export function toLevels(inv: IsolocityInventory, zone: string): LevelOfPart[] {
  return (inv.locations ?? []).map((l) => ({
    vendor: 'ISOLOCITY',
    location: { id: l.location_id, name: l.name ?? null },
    lotNumber: inv.lot_number ?? null,
    onHand: toDecimal(l.quantity),
    // ISOlocity reports no reservations.
    available: null,
    updatedAt: isoTime(inv.updated_at, zone),
    // The record's own unit (docs/vendors/isolocity.md "Inventory"); without one, InventoryLevel asks the part.
    unitOfMeasure: inv.unit_of_measure ?? null,
  }));
}

/** ISOlocity orders have only `is_closed`: closed or open. */
export function orderStatusOf(isClosed: boolean | null | undefined): OrderStatus {
  return isClosed === true ? 'CLOSED' : isClosed === false ? 'OPEN' : 'UNKNOWN';
}

export interface OrderContext {
  /** ISOLOCITY_TIMEZONE. */
  zone: string;
  part(id: string): PartRecord | undefined;
  customerName(id: string): string | null;
}

export function toOrderRecord(o: IsolocityOrder, ctx: OrderContext): OrderRecord {
  const items = [...(o.items ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  return {
    vendor: 'ISOLOCITY',
    vendorId: o.id,
    number: o.order_number === null || o.order_number === undefined ? null : String(o.order_number),
    status: orderStatusOf(o.is_closed),
    // Not the vendor's word (it has none): derived from `is_closed`, named like the NCR statuses.
    vendorStatus: o.is_closed === true ? 'Closed' : o.is_closed === false ? 'Open' : null,
    orderedAt: isoTime(o.order_date, ctx.zone),
    dueAt: null,
    // ISOlocity orders carry no prices.
    total: null,
    customerName: o.contact_id ? ctx.customerName(o.contact_id) : null,
    lines: items.map((item) => {
      const part = ctx.part(item.part_id);
      return {
        vendorId: item.id,
        vendorSkuCode: part?.identification ?? null,
        productVendorId: item.part_id,
        productName: part?.name ?? null,
        quantity: toDecimal(item.quantity),
        unitPrice: null,
        lotNumber: item.serial_number === null || item.serial_number === undefined ? null : String(item.serial_number),
      };
    }),
  };
}

/** One inspection sample as the GraphQL `InspectionSample` type shows it (no unified record: only ISOlocity has samples). */
export interface InspectionSampleView {
  vendorId: string;
  sampleNumber: number;
  sampleSerial: string | null;
  results: { characteristicId: string; value: string | null; passed: boolean | null }[];
  createdAt: string | null;
  updatedAt: string | null;
}

export function toSampleView(s: IsolocitySample, zone: string): InspectionSampleView {
  return {
    vendorId: s.id,
    sampleNumber: s.sample_number,
    sampleSerial: s.sample_serial ?? null,
    results: (s.results ?? []).map((r) => ({
      characteristicId: r.characteristic_id,
      value: r.value === null || r.value === undefined ? null : String(r.value),
      passed: r.passed ?? null,
    })),
    createdAt: isoTime(s.created_at, zone),
    updatedAt: isoTime(s.updated_at, zone),
  };
}
