import { z } from 'zod';
import { toDecimal } from '../../model/decimal.js';
import { quoteInput } from '../../errors.js';
import { expectId } from '../../server/ids.js';
import { PHARUS_ID } from './client.js';
import { idempotencyKey as keyRule, line, prose, REFERENCE, requiredLine } from '../../mutations/input-rules.js';

/**
 * zod schemas of the GraphQL inputs of Pharus's mutations (schema/mutations-pharus.graphql) and of
 * `adjustFinishedGoods`: what opsgraph can refuse itself, before any vendor call. GraphQL has
 * already checked the types; these check what document 001 states beyond types (UUID ids,
 * `quantity > 0`, item quantities integers ≥ 1, costs ≥ 0, the status enums), decode global ids,
 * and turn decimals into the JSON numbers Pharus takes. Limits the document does not state (how
 * many decimal places) are left to Pharus, whose `validation_failed` comes back as VALIDATION_FAILED
 * on the same field.
 *
 * A null optional field means the same as an absent one (as in every opsgraph mutation): it is not
 * sent, so on an update Pharus keeps what it has.
 */

const idempotencyKey = keyRule;
/** Document 001 gives SKU codes 1..100 characters ("Create SKU", `code`); we use 100 for every code-like field. */
const text = requiredLine(100);
/** Free text the document gives no length: at most 1,000, no control characters but line breaks. */
const note = prose();

/** Document 001 gives every id the UUID pattern. */
const pharusId = (what: string) => z.string().trim().regex(PHARUS_ID, `must be a Pharus ${what} id (a UUID)`);

/** Pharus takes decimals as JSON numbers: refuse a decimal that a number cannot carry exactly. */
const jsonNumber = z.string().transform((value, ctx) => {
  const n = Number(value);
  if (!Number.isFinite(n) || toDecimal(n) !== toDecimal(value)) {
    ctx.addIssue({ code: 'custom', message: `Pharus takes decimals as JSON numbers, which cannot hold ${quoteInput(value)} exactly` });
    return z.NEVER;
  }
  return n;
});
const nonNegative = jsonNumber.refine((n) => n >= 0, 'must not be negative');
const positive = jsonNumber.refine((n) => n > 0, 'must be greater than 0');
const nonZero = jsonNumber.refine((n) => n !== 0, 'must not be zero');

/** `mabd` ("must arrive by date"): a calendar date. */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00.000Z`)) && new Date(`${d}T00:00:00.000Z`).toISOString().startsWith(d), 'is not a real date');

/** The Pharus id of a global `Order` id (an order of another vendor cannot be changed here). */
const pharusOrderId = z.string().transform((raw, ctx) => {
  try {
    const { vendor, key } = expectId(raw, 'Order', 'id');
    if (vendor !== 'PHARUS' || !PHARUS_ID.test(key)) throw new Error(`${quoteInput(raw)} is the id of a ${vendor ?? ''} order, not of a Pharus order`);
    return key;
  } catch (error) {
    // expectId names the argument first ("id: …"); zod's path already says which field.
    ctx.addIssue({ code: 'custom', message: (error instanceof Error ? error.message : String(error)).replace(/^id: /, '') });
    return z.NEVER;
  }
});

/** Document 001's order statuses; GraphQL enum values cannot hold `-`, hence IN_DISPUTE. */
export const ORDER_STATUS_TO_PHARUS = {
  RECEIVED: 'Received',
  ENTERED: 'Entered',
  SHIPPED: 'Shipped',
  INVOICED: 'Invoiced',
  PAID: 'Paid',
  REJECTED: 'Rejected',
  IN_DISPUTE: 'In-Dispute',
  COMPLETED: 'Completed',
} as const;
export type PharusOrderStatusInput = keyof typeof ORDER_STATUS_TO_PHARUS;
/** Pharus status → the GraphQL enum value (for `allowed` in a refused transition); unknown → verbatim. */
export const orderStatusName = (vendor: string): string => Object.entries(ORDER_STATUS_TO_PHARUS).find(([, v]) => v === vendor)?.[0] ?? vendor;

export const FULFILLMENT_STATUS_TO_PHARUS = { PENDING: 'Pending', PARTIAL: 'Partial', FULFILLED: 'Fulfilled' } as const;

const orderStatus = z.enum(Object.keys(ORDER_STATUS_TO_PHARUS) as [PharusOrderStatusInput, ...PharusOrderStatusInput[]]).transform((s) => ORDER_STATUS_TO_PHARUS[s]);
const fulfillmentStatus = z
  .enum(Object.keys(FULFILLMENT_STATUS_TO_PHARUS) as [keyof typeof FULFILLMENT_STATUS_TO_PHARUS, ...(keyof typeof FULFILLMENT_STATUS_TO_PHARUS)[]])
  .transform((s) => FULFILLMENT_STATUS_TO_PHARUS[s]);

/** Document 001, "Add item to sales order": `quantity` integer ≥ 1, `unitPrice` ≥ 0 (default: the SKU's price). */
const itemFields = {
  skuCode: text,
  quantity: z.number().int('must be a whole number').min(1, 'must be at least 1'),
  unitPrice: nonNegative.nullish(),
};
const itemSchema = z.object(itemFields);
export type SalesOrderItemInput = z.output<typeof itemSchema>;

/** Fields a create and an update share (document 001, "Create sales order" / "Update sales order"). */
const orderFields = {
  fulfillmentLocationId: pharusId('location').nullish(),
  brokerId: pharusId('broker').nullish(),
  brokerFeePercent: nonNegative.nullish(),
  brokerFees: nonNegative.nullish(),
  fulfillmentCosts: nonNegative.nullish(),
  freightCosts: nonNegative.nullish(),
  promoCosts: nonNegative.nullish(),
  otherCosts: nonNegative.nullish(),
  notes: note.nullish(),
  qboId: line(100).nullish(),
};

export const createSalesOrderInputSchema = z.object({
  idempotencyKey,
  customerId: pharusId('customer'),
  channel: text,
  status: orderStatus,
  fulfillmentStatus,
  mabd: calendarDate,
  ...orderFields,
  // A sales order without items is not an order (document 001 creates the items with it).
  items: z.array(itemSchema).min(1, 'needs at least one item').max(500, 'must have at most 500 items'),
});
export type CreateSalesOrderInput = z.output<typeof createSalesOrderInputSchema>;

export const updateSalesOrderInputSchema = z
  .object({
    idempotencyKey,
    id: pharusOrderId,
    customerId: pharusId('customer').nullish(),
    channel: text.nullish(),
    status: orderStatus.nullish(),
    fulfillmentStatus: fulfillmentStatus.nullish(),
    mabd: calendarDate.nullish(),
    ...orderFields,
  })
  .superRefine((input, ctx) => {
    const { idempotencyKey: _key, id: _id, ...changes } = input;
    if (Object.values(changes).every((v) => v === null || v === undefined)) ctx.addIssue({ code: 'custom', path: [], message: 'names nothing to change' });
  });
export type UpdateSalesOrderInput = z.output<typeof updateSalesOrderInputSchema>;

export const addSalesOrderItemInputSchema = z.object({ idempotencyKey, orderId: pharusOrderId, ...itemFields });
export type AddSalesOrderItemInput = z.output<typeof addSalesOrderItemInputSchema>;

export const transferInventoryInputSchema = z
  .object({
    idempotencyKey,
    skuCode: text,
    sourceLocationId: pharusId('location'),
    destinationLocationId: pharusId('location'),
    quantity: positive,
    notes: note.nullish(),
    /** GraphQL's default is true; absent here (a direct call) means the same. */
    complete: z.boolean().nullish(),
  })
  .superRefine((input, ctx) => {
    if (input.sourceLocationId.toLowerCase() === input.destinationLocationId.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['destinationLocationId'], message: 'must differ from sourceLocationId' });
    }
  });
export type TransferInventoryInput = z.output<typeof transferInventoryInputSchema>;

/** `ref` goes into the path (`POST …/transfers/:ref/complete`): only a reference Pharus could have made. */
export const completeInventoryTransferInputSchema = z.object({ idempotencyKey, ref: z.string().trim().regex(REFERENCE, 'must be a Pharus transfer reference such as FGT-000001'), notes: note.nullish() });
export type CompleteInventoryTransferInput = z.output<typeof completeInventoryTransferInputSchema>;

/**
 * `adjustFinishedGoods`, the Pharus half of the gateway's `adjustInventory`; field names are
 * `adjustInventory`'s, so its errors point at that mutation's input.
 */
export const adjustFinishedGoodsInputSchema = z.object({
  skuCode: text,
  locationId: pharusId('location'),
  /** Signed, non-zero decimal string: + adjusts (adds), − disposes. */
  quantity: nonZero,
  lotNumber: text.nullish(),
  reason: note.nullish(),
  /** opsgraph's write marker (src/mutations/reconcile/marker.ts), kept in the ledger entry's `notes`. */
  marker: text.nullish(),
});
export type AdjustFinishedGoodsInput = z.input<typeof adjustFinishedGoodsInputSchema>;
