import { z } from 'zod';
import { isDecimal } from '../../model/decimal.js';

/**
 * zod schemas of Distru's payloads as opsgraph reads them (seed 002, the recorded responses; the
 * sandbox's choices are in docs/vendors/distru.md). Lenient where Distru may add fields or leave
 * optional ones null (`looseObject`, `nullish`), strict on what opsgraph joins on: ids, SKU codes,
 * quantities and the list envelope.
 */

/** Distru sends decimals as strings (`"10.000000000"`); the model says number, so numbers pass too. */
export const decimal = z.union([z.string().refine(isDecimal, 'not a decimal'), z.number().finite()]);
const text = z.string().nullish();

/**
 * `{data: [...], next_page?}`: one page of a list. Distru's API FAQ
 * (http://help.distru.com/en/articles/12314293-distru-api-faq) shows `"next_page": "https://…?page[number]=2"`
 * in its example and names it `next_page_url` in its prose: either key means another page exists.
 */
export const list = <S extends z.ZodType>(row: S) => z.looseObject({ data: z.array(row), next_page: z.string().nullish(), next_page_url: z.string().nullish() });
/** `{data: {...}}`: one record. */
export const one = <S extends z.ZodType>(row: S) => z.looseObject({ data: row });

export const productSchema = z.looseObject({
  id: z.string(),
  // "sku: string, required false": a product without one cannot be joined, but must not fail the page.
  sku: text,
  name: text,
  /** "A unit type as shown in Distru": `{name: "Gram"}` (seed 002, Product and UnitType models). */
  unit_type: z.looseObject({ name: text }).nullish(),
  updated_datetime: text,
});
export type DistruProduct = z.output<typeof productSchema>;

export const locationSchema = z.looseObject({ id: z.string(), name: text });
export type DistruLocation = z.output<typeof locationSchema>;

export const inventorySchema = z.looseObject({
  product_id: z.string(),
  location_id: text,
  batch_number: text,
  active: decimal,
  available: decimal.nullish(),
  updated_datetime: text,
});
export type DistruInventory = z.output<typeof inventorySchema>;

const itemProduct = z.looseObject({ id: z.string().nullish(), name: text, sku: text, unit_type: z.looseObject({ name: text }).nullish() });
const itemBatch = z.looseObject({ id: z.string().nullish(), name: text, batch_number: text });
const itemPackage = z.looseObject({ id: z.string().nullish(), batch_number: text });

export const orderItemSchema = z.looseObject({
  id: text,
  product: itemProduct.nullish(),
  batch: itemBatch.nullish(),
  package: itemPackage.nullish(),
  quantity: decimal,
  price: decimal.nullish(),
});

/**
 * A charge line (seed 002 "Charge"): `percent` and `price` are numbers in the model and decimal
 * strings in the recorded bodies (`"10.0000"`, `"1.00"`); `type` and `unit_type` are "array(any)" in
 * the model and strings (`"TAX"`, `"Discount"`, `"PERCENT"`) in the examples, so any text passes.
 */
export const chargeSchema = z.looseObject({
  id: text,
  name: text,
  percent: decimal.nullish(),
  price: decimal.nullish(),
  type: text,
  unit_type: text,
  tax: z.looseObject({ name: text, percent: decimal.nullish() }).nullish(),
});
export type DistruCharge = z.output<typeof chargeSchema>;

/** seed 002 "Location": the order's `billing_location` and `shipping_location`. */
const locationRef = z.looseObject({ id: text, name: text, address: text });
export type DistruLocationRef = z.output<typeof locationRef>;

export const orderSchema = z.looseObject({
  id: z.string(),
  order_number: text,
  status: text,
  order_datetime: text,
  due_datetime: text,
  total: decimal.nullish(),
  company: z.looseObject({ name: text }).nullish(),
  items: z.array(orderItemSchema).nullish(),
  billing_location: locationRef.nullish(),
  shipping_location: locationRef.nullish(),
  charges: z.array(chargeSchema).nullish(),
  updated_datetime: text,
});
export type DistruOrder = z.output<typeof orderSchema>;

export const invoiceSchema = z.looseObject({
  id: z.string(),
  invoice_number: text,
  status: text,
  total: decimal.nullish(),
  invoice_datetime: text,
  due_datetime: text,
  order: z.looseObject({ id: z.string().nullish() }).nullish(),
  // seed 002 "Get invoices": each item names the order item it bills (`order_item_id`), its product, batch or package, price and quantity.
  items: z.array(orderItemSchema.extend({ order_item_id: text })).nullish(),
  charges: z.array(chargeSchema).nullish(),
  // Not in seed 002's InvoiceItem model: read when Distru sends it (docs/vendors/distru.md "Invoice balance").
  balance: decimal.nullish(),
  updated_datetime: text,
});
export type DistruInvoice = z.output<typeof invoiceSchema>;

export const purchaseSchema = z.looseObject({
  id: z.string(),
  purchase_number: text,
  status: text,
  updated_datetime: text,
  order_datetime: text,
  due_datetime: text,
  total: decimal.nullish(),
  company: z.looseObject({ name: text }).nullish(),
  items: z
    .array(
      z.looseObject({
        id: text,
        product: itemProduct.nullish(),
        batch: itemBatch.nullish(),
        quantity: decimal,
        received_quantity: decimal.nullish(),
        price: decimal.nullish(),
      }),
    )
    .nullish(),
});
export type DistruPurchase = z.output<typeof purchaseSchema>;

/** A refused write (seed 002): `{errors: [{context, message, pointer, section}]}`. */
export const errorBodySchema = z.looseObject({
  errors: z
    .array(
      z.looseObject({
        message: z.string(),
        pointer: z.array(z.union([z.string(), z.number()])).nullish(),
        // What the vendor echoes of the offending record (`{"id": "…"}` on a charge, `{}` on items in seed 002).
        context: z.record(z.string(), z.unknown()).nullish(),
        section: text,
      }),
    )
    .min(1),
});
export type DistruErrorEntry = z.output<typeof errorBodySchema>['errors'][number];

/** A batch (seed 002, "Batches"): its rows carry no update time, so the sync re-reads them on a schedule. */
export const batchSchema = z.looseObject({ id: z.string(), name: text, batch_number: text });
export type DistruBatch = z.output<typeof batchSchema>;

/** A company (seed 002, "Get companies"): customers and suppliers. */
export const companySchema = z.looseObject({ id: z.string(), name: text, updated_datetime: text });
export type DistruCompany = z.output<typeof companySchema>;
