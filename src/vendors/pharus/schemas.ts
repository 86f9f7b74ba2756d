import { z } from 'zod';
import { isDecimal } from '../../model/decimal.js';

/**
 * zod schemas of the Pharus payloads opsgraph reads (document 001; field names as its response
 * samples spell them, shapes of collapsed bodies as docs/vendors/pharus.md records). Lenient where
 * Pharus may add fields or leave optional ones null (`looseObject`, `nullish`), strict on what
 * opsgraph depends on: ids, codes, quantities.
 */

/** Decimals arrive as strings (`"12.0000"`); a JSON number is accepted too. */
const decimal = z.union([z.string().refine(isDecimal, 'not a decimal'), z.number().finite()]);
const text = z.string().nullish();

/** Document 001, "Conventions / Cursor pagination": `{ data, nextCursor }`. */
export const cursorPage = <S extends z.ZodType>(row: S) => z.looseObject({ data: z.array(row), nextCursor: z.string().nullish() });

export const skuSchema = z.looseObject({ id: z.string().min(1), skuCode: z.string().min(1), name: text, isActive: z.boolean().nullish() });
export type PharusSku = z.output<typeof skuSchema>;

export const customerSchema = z.looseObject({ id: z.string().min(1), name: text });

/**
 * A row of the finished-goods summary: `{ skuId, locationId, onHand, demand, allocated, available }`
 * (E108, https://docs.pharus.ai/internal/api/endpoints/finished-goods-inventory/E108-get-finished-goods-inventory-summary).
 * `locationName` and `lastEventDate` are not on that page; they are read when present.
 */
export const fgSummarySchema = z.looseObject({
  skuId: z.string().min(1),
  locationId: z.string().min(1),
  onHand: decimal,
  demand: decimal.nullish(),
  allocated: decimal.nullish(),
  available: decimal.nullish(),
  locationName: text,
  lastEventDate: text,
});
export type PharusFgSummaryRow = z.output<typeof fgSummarySchema>;

export const salesOrderSchema = z.looseObject({
  id: z.string().min(1),
  soNumber: text,
  customerId: text,
  orderStatus: text,
  // "Get sales order detail": the fulfilment state (Pending, Partial, Fulfilled) and the order channel.
  fulfillmentStatus: text,
  orderChannelId: text,
  placedAt: text,
  mabd: text,
  /** Document 001 "SalesOrders": bumped by every change, items included; the sync re-reads a detail only when it moved. */
  updatedAt: text,
  /** Where opsgraph's write marker lives (docs/gateway.md "Retrying a mutation"). */
  notes: text,
});
export type PharusSalesOrder = z.output<typeof salesOrderSchema>;

export const salesOrderItemSchema = z.looseObject({
  id: z.string().min(1),
  skuId: z.string().min(1),
  quantity: decimal,
  unitPrice: decimal.nullish(),
});
export type PharusSalesOrderItem = z.output<typeof salesOrderItemSchema>;

/** "Get sales order detail": `{ salesOrder, items }`. */
export const salesOrderDetailSchema = z.looseObject({ salesOrder: salesOrderSchema, items: z.array(salesOrderItemSchema) });
export type PharusSalesOrderDetail = z.output<typeof salesOrderDetailSchema>;

// --- What the writes read and answer (document 001, "Locations", "SalesOrders", "FinishedGoodsInventory")

export const locationSchema = z.looseObject({ id: z.string().min(1), name: text, isActive: z.boolean().nullish() });
export type PharusLocation = z.output<typeof locationSchema>;

/** A name-list record (order channels: `Direct`, `Broker`, `Online`). */
export const lookupSchema = z.looseObject({ id: z.string().min(1), name: z.string(), isActive: z.boolean().nullish() });
export type PharusLookup = z.output<typeof lookupSchema>;

/** Bounded lists ("List locations (bounded; no pagination)"): `{ data }`. */
export const boundedList = <S extends z.ZodType>(row: S) => z.looseObject({ data: z.array(row) });

/**
 * A finished-goods ledger entry (E110; adjust, dispose, transfer and complete answer one). The
 * quantity is always positive: the event type says the direction (TRANSFER leaves `locationId`
 * for `toLocationId`; the completing RECEIVE arrives at `locationId`).
 */
export const ledgerEntrySchema = z.looseObject({
  id: z.string().min(1),
  skuId: z.string().min(1),
  locationId: z.string().min(1),
  eventType: z.string(),
  quantity: decimal,
  ref: text,
  toLocationId: text,
  notes: text,
  eventDate: text,
  sourceType: text,
  sourceId: text,
});
export type PharusLedgerEntry = z.output<typeof ledgerEntrySchema>;

/** "Create FG transfer": `{ ledgerEntry, ref }`. */
export const transferAnswerSchema = z.looseObject({ ledgerEntry: ledgerEntrySchema, ref: z.string().min(1) });
export type PharusTransferAnswer = z.output<typeof transferAnswerSchema>;

/**
 * Document 001, "Conventions / Errors": `{ error: { code, message, details? } }`. The sandbox's
 * `details` (docs/vendors/pharus.md): `issues[{ location, path, message }]` for validation_failed,
 * `{ field, id }` for a record a body names, `{ from, to, allowed }` for invalid_transition,
 * `{ status }` for items locked by their order's status, `{ field, skuId }` for a SKU already on
 * the order. All optional: a vendor that says less still maps.
 */
export const pharusErrorSchema = z.looseObject({
  error: z.looseObject({
    code: z.string(),
    message: z.string().nullish(),
    details: z
      .looseObject({
        issues: z.array(z.looseObject({ location: z.string().nullish(), path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).nullish(), message: z.string().nullish() })).nullish(),
        field: z.string().nullish(),
        from: z.string().nullish(),
        to: z.string().nullish(),
        allowed: z.array(z.string()).nullish(),
        completedAt: z.string().nullish(),
        status: z.string().nullish(),
        skuId: z.string().nullish(),
      })
      .nullish(),
  }),
});
export type PharusErrorBody = z.output<typeof pharusErrorSchema>;
