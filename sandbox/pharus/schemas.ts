import { z } from 'zod';
import { MONEY_PLACES, QUANTITY_PLACES, scaleNumber } from './decimal.js';
import { MAX_LIMIT } from './paging.js';
import { FG_EVENT_TYPES, FULFILLMENT_STATUSES, MATERIAL_EVENT_TYPES, ORDER_STATUSES } from './records.js';

/**
 * zod schemas of every Pharus body, path and query the sandbox accepts, following document 001's
 * field lists (lengths, enums, `>= 0` / `> 0` bounds). Bodies are strict: an unknown field is a
 * `validation_failed`, so a misspelt field never passes silently. Query strings ignore unknown
 * parameters, as most HTTP APIs do. Decimal inputs come out as scaled integers (decimal.ts).
 */

/** Document 001's id pattern: `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}…` (8-4-4-4-12 hex). */
export const uuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID');

export const idParams = z.object({ id: uuid });
export const refParams = z.object({ ref: z.string().min(1) });

const DATE_OR_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const dateText = z.string().regex(DATE_OR_DATETIME, 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time with a time zone');
const toDate = (text: string) => new Date(text.length === 10 ? `${text}T00:00:00.000Z` : text);

/** A date (`2026-06-01`, read as UTC midnight) or an ISO-8601 date-time with a zone. */
export const dateInput = dateText.transform((text, ctx) => {
  const date = toDate(text);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'not a real date' });
    return z.NEVER;
  }
  return date;
});

/** A range bound: the instant, and whether it named a whole day (`dateTo=2026-06-01` includes that day). */
const dateBound = dateText.transform((text, ctx) => {
  const at = toDate(text);
  if (Number.isNaN(at.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'not a real date' });
    return z.NEVER;
  }
  return { at, wholeDay: text.length === 10 };
});

/** A JSON number with at most `places` decimals, as a scaled integer. */
function decimal(places: number, bound: { min?: number; positive?: boolean } = {}) {
  let n = z.number();
  if (bound.positive) n = n.positive();
  if (bound.min !== undefined) n = n.min(bound.min);
  return n.transform((value, ctx) => {
    const scaled = scaleNumber(value, places);
    if (scaled === null) {
      ctx.addIssue({ code: 'custom', message: `must have at most ${places} decimal places` });
      return z.NEVER;
    }
    return scaled;
  });
}

const money = decimal(MONEY_PLACES, { min: 0 });
const percent = decimal(MONEY_PLACES, { min: 0 }).nullable();
const positiveQuantity = decimal(QUANTITY_PLACES, { positive: true });
const text = (max?: number) => (max === undefined ? z.string() : z.string().max(max)).nullable().optional();
const name = (max: number) => z.string().min(1).max(max);
const country = z.string().length(2).nullable().optional();
const optionalId = uuid.nullable().optional();

// --- Locations (document 001, "Locations")
const locationFields = {
  address: text(),
  city: text(150),
  state: text(100),
  country,
  zipCode: text(20),
  notes: text(),
};
export const locationCreate = z.strictObject({ name: name(100), ...locationFields });
export const locationUpdate = z.strictObject({ name: name(100).optional(), ...locationFields, sortOrder: z.number().int().min(0).optional(), isActive: z.boolean().optional() });

// --- SKU types, material types, customer types, segments, brokers, order channels
export const lookupCreate = z.strictObject({ name: name(100) });
export const lookupUpdate = z.strictObject({ name: name(100).optional(), sortOrder: z.number().int().optional(), isActive: z.boolean().optional() });

// --- SKUs (document 001, "Products")
const skuFields = {
  itemsPerUnit: z.number().int().min(1).optional(),
  ozPerItem: decimal(QUANTITY_PLACES, { min: 0 }).nullable().optional(),
  qboId: text(),
  notes: text(),
};
export const skuCreate = z.strictObject({ code: name(100), name: name(255), typeId: uuid, ...skuFields });
export const skuUpdate = z.strictObject({ code: name(100).optional(), name: name(255).optional(), typeId: uuid.optional(), ...skuFields, isActive: z.boolean().optional() });

// --- Materials (document 001, "Materials")
export const materialCreate = z.strictObject({ code: name(100), name: name(255), typeId: uuid, notes: text() });
export const materialUpdate = z.strictObject({ code: name(100).optional(), name: name(255).optional(), typeId: uuid.optional(), notes: text(), isActive: z.boolean().optional() });

// --- Customers (document 001, "Customers")
const customerFields = {
  segmentId: optionalId,
  brokerId: optionalId,
  brokerFeePercent: percent.optional(),
  address: text(),
  city: text(),
  state: text(),
  country,
  zipCode: text(),
  parentId: optionalId,
  qboId: text(),
  notes: text(),
};
export const customerCreate = z.strictObject({ name: name(255), typeId: uuid, ...customerFields });
export const customerUpdate = z.strictObject({ name: name(255).optional(), typeId: uuid.optional(), ...customerFields, isActive: z.boolean().optional() });

// --- Sales orders (document 001, "SalesOrders")
export const orderStatus = z.enum(ORDER_STATUSES);
export const salesOrderItemCreate = z.strictObject({ skuId: uuid, quantity: z.number().int().min(1), unitPrice: money.optional() });
export const salesOrderItemUpdate = z.strictObject({ skuId: uuid.optional(), quantity: z.number().int().min(1).optional(), unitPrice: money.optional() });

const salesOrderFields = {
  fulfillmentLocationId: optionalId,
  brokerId: optionalId,
  brokerFeePercent: percent.optional(),
  brokerFees: money.optional(),
  fulfillmentCosts: money.optional(),
  freightCosts: money.optional(),
  promoCosts: money.optional(),
  otherCosts: money.optional(),
  notes: text(),
  qboId: text(),
};
export const salesOrderCreate = z.strictObject({
  customerId: uuid,
  channelId: uuid,
  status: orderStatus,
  fulfillmentStatus: z.enum(FULFILLMENT_STATUSES),
  mabd: dateInput,
  ...salesOrderFields,
  items: z.array(salesOrderItemCreate),
});
const stamp = dateInput.nullable().optional();
export const salesOrderUpdate = z.strictObject({
  customerId: uuid.optional(),
  channelId: uuid.optional(),
  status: orderStatus.optional(),
  fulfillmentStatus: z.enum(FULFILLMENT_STATUSES).optional(),
  mabd: dateInput.optional(),
  ...salesOrderFields,
  placedAt: dateInput.optional(),
  receivedAt: stamp,
  enteredAt: stamp,
  shippedAt: stamp,
  invoicedAt: stamp,
  paidAt: stamp,
  rejectedAt: stamp,
  inDisputeAt: stamp,
  completedAt: stamp,
});
export const timelineNoteCreate = z.strictObject({ body: z.string().min(1), statusAtTime: orderStatus.optional() });

// --- Inventory (document 001, "FinishedGoodsInventory" and "MaterialsInventory")
const movementFields = { locationId: uuid, quantity: positiveQuantity, notes: text(), eventDate: dateInput.optional() };
const transferFields = { sourceLocationId: uuid, destinationLocationId: uuid, quantity: positiveQuantity, notes: text(), eventDate: dateInput.optional() };
export const fgMovement = z.strictObject({ skuId: uuid, ...movementFields });
export const fgTransfer = z.strictObject({ skuId: uuid, ...transferFields });
export const materialMovement = z.strictObject({ materialId: uuid, ...movementFields });
export const materialTransfer = z.strictObject({ materialId: uuid, ...transferFields });
export const completeTransfer = z.strictObject({ eventDate: dateInput.optional(), notes: text() });

/** Bulk imports (document 001, "Conventions"): `{ rows: [...] }`; each row is checked on its own. */
export const MAX_IMPORT_ROWS = 1000;
export const bulkImport = z.strictObject({ rows: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS) });

// --- Query strings
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const numeric = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
  .transform(Number);
export const pageQuery = {
  cursor: z.string().min(1).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_LIMIT))
    .optional(),
};
export const skuListQuery = z.object({
  ...pageQuery,
  active: flag.optional(),
  type: z.string().min(1).optional(),
  itemsPerUnitMin: numeric.optional(),
  itemsPerUnitMax: numeric.optional(),
  ozPerItemMin: numeric.optional(),
  ozPerItemMax: numeric.optional(),
  q: z.string().optional(),
});
export const materialListQuery = z.object({ ...pageQuery, active: flag.optional(), type: z.string().min(1).optional(), q: z.string().optional() });
export const customerListQuery = z.object({
  ...pageQuery,
  active: flag.optional(),
  type: z.string().min(1).optional(),
  segment: z.string().min(1).optional(),
  broker: z.string().min(1).optional(),
  parentCustomer: z.string().min(1).optional(),
  q: z.string().optional(),
});
export const salesOrderListQuery = z.object({ ...pageQuery });
// Summaries and ledgers are unpaginated (E101, E102, E108, E109): no cursor, no limit.
export const fgSummaryQuery = z.object({ skuId: uuid.optional(), locationId: uuid.optional() });
export const materialSummaryQuery = z.object({ materialId: uuid.optional(), locationId: uuid.optional() });
const ledgerFilters = { locationId: uuid.optional(), ref: z.string().min(1).optional(), dateFrom: dateBound.optional(), dateTo: dateBound.optional() };
export const fgLedgerQuery = z.object({ skuId: uuid.optional(), eventType: z.enum(FG_EVENT_TYPES).optional(), ...ledgerFilters });
export const materialLedgerQuery = z.object({
  materialId: uuid.optional(),
  eventType: z.enum(MATERIAL_EVENT_TYPES).optional(),
  ...ledgerFilters,
});
