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

/** A row of the finished-goods summary (collapsed in the document; see docs/vendors/pharus.md). */
export const fgSummarySchema = z.looseObject({
  skuId: z.string().min(1),
  locationId: z.string().min(1),
  locationName: text,
  onHand: decimal,
  inTransit: decimal.nullish(),
  lastEventDate: text,
});
export type PharusFgSummaryRow = z.output<typeof fgSummarySchema>;

export const salesOrderSchema = z.looseObject({
  id: z.string().min(1),
  soNumber: text,
  customerId: text,
  orderStatus: text,
  placedAt: text,
  mabd: text,
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
