import { z } from 'zod';
import { parseDecimal } from './decimal.js';
import { parseDatetime } from './datetime.js';
import { entry, type DistruErrorEntry, type ErrorSection } from './errors.js';
import { ORDER_STATUSES } from './records.js';

/**
 * The shapes of every body the sandbox accepts (seed 002: the "…Request" models and the recorded
 * requests). Unknown fields are refused so that a misspelt field from the gateway fails loudly
 * instead of being dropped; values keep Distru's conventions (decimals as strings or numbers).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuid = z.string({ error: 'must be a string' }).regex(UUID, 'is not a valid UUID');

export const isUuid = (value: string): boolean => UUID.test(value);

/** A decimal sent as a string (`"10.000000000"`, as Distru sends) or a JSON number. */
export const decimal = z.union([z.string(), z.number()], { error: 'must be a decimal string or number' }).transform((value, ctx) => {
  const parsed = parseDecimal(value);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: 'is not a decimal with at most nine places' });
    return z.NEVER;
  }
  return parsed;
});

export const datetime = z.string({ error: 'must be a string' }).transform((value, ctx) => {
  const parsed = parseDatetime(value);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: 'is not an ISO-8601 datetime with a time zone' });
    return z.NEVER;
  }
  return parsed;
});

/** OrderChargeRequest, InvoiceChargeRequest, PurchaseChargeRequest (all alike). */
export const chargeRequest = z
  .object({
    id: uuid.optional(),
    name: z.string().nullish(),
    percent: decimal.nullish(),
    price: decimal.nullish(),
    type: z.enum(['CHARGE', 'DISCOUNT', 'TAX']),
    unit_type: z.enum(['PERCENT', 'PRICE']),
  })
  .strict();
export type ChargeRequest = z.infer<typeof chargeRequest>;

/** OrderItemRequest, plus `location_id`, `position` and `compliance_quantity` seen in the recorded requests. */
export const orderItemRequest = z
  .object({
    id: uuid.optional(),
    product_id: uuid.nullish(),
    batch_id: uuid.nullish(),
    package_id: uuid.nullish(),
    location_id: uuid.nullish(),
    price_base: decimal,
    quantity: decimal,
    position: z.number().int().min(0).optional(),
    compliance_quantity: decimal.nullish(),
  })
  .strict();
export type OrderItemRequest = z.infer<typeof orderItemRequest>;

export const orderRequest = z
  .object({
    id: uuid.optional(),
    company_id: uuid.nullish(),
    billing_location_id: uuid.nullish(),
    shipping_location_id: uuid.nullish(),
    delivery_datetime: datetime.nullish(),
    due_datetime: datetime.nullish(),
    order_datetime: datetime.nullish(),
    // "Default: PENDING" (seed 002, "Upsert an order").
    status: z.enum(ORDER_STATUSES).default('PENDING'),
    external_notes: z.string().nullish(),
    charges: z.array(chargeRequest).default([]),
    items: z.array(orderItemRequest).default([]),
  })
  .strict();
export type OrderRequest = z.infer<typeof orderRequest>;

export const invoiceItemRequest = z
  .object({
    id: uuid.optional(),
    order_item_id: uuid,
    quantity: decimal,
  })
  .strict();

export const invoiceRequest = z
  .object({
    id: uuid.optional(),
    order_id: uuid.optional(),
    billing_location_id: uuid.nullish(),
    due_datetime: datetime.nullish(),
    invoice_datetime: datetime.nullish(),
    charges: z.array(chargeRequest).default([]),
    items: z.array(invoiceItemRequest).default([]),
  })
  .strict();
export type InvoiceRequest = z.infer<typeof invoiceRequest>;

/** PurchaseItemRequest, plus `location_id` seen in every recorded purchase request. */
export const purchaseItemRequest = z
  .object({
    id: uuid.optional(),
    product_id: uuid.nullish(),
    batch_id: uuid.nullish(),
    location_id: uuid.nullish(),
    price: decimal,
    quantity: decimal,
  })
  .strict();
export type PurchaseItemRequest = z.infer<typeof purchaseItemRequest>;

export const purchaseRequest = z
  .object({
    id: uuid.optional(),
    description: z.string().nullish(),
    location_id: uuid.nullish(),
    company_id: uuid.nullish(),
    billing_location_id: uuid.nullish(),
    order_datetime: datetime.nullish(),
    due_datetime: datetime.nullish(),
    charges: z.array(chargeRequest).default([]),
    items: z.array(purchaseItemRequest).default([]),
  })
  .strict();
export type PurchaseRequest = z.infer<typeof purchaseRequest>;

/** `POST /api/v1/sessions` (seed 002, "Logging in as your user"). */
export const loginRequest = z
  .object({
    session: z.object({ email: z.string(), password: z.string(), mobile: z.boolean().optional() }).strict(),
    platform: z.string().optional(),
  })
  .strict();

/** `POST /api/v1/sessions/delete`. */
export const deleteSessionsRequest = z.object({ tokens: z.array(z.string()).min(1) }).strict();

/**
 * Parses `input` or returns Distru error entries, one per problem: a missing required value reads
 * "can't be blank", an unknown field "is not a known field", anything else zod's message.
 */
export function parseOrErrors<S extends z.ZodType>(schema: S, input: unknown, section: ErrorSection): { ok: true; value: z.output<S> } | { ok: false; errors: DistruErrorEntry[] } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors: DistruErrorEntry[] = [];
  for (const issue of result.error.issues) {
    const pointer = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push(entry(section === 'query' ? 'is not a known parameter' : 'is not a known field', [...pointer, key], section));
    } else if (valueAt(input, pointer) === undefined) {
      errors.push(entry("can't be blank", pointer, section));
    } else {
      errors.push(entry(issue.message, pointer, section));
    }
  }
  return { ok: false, errors };
}

function valueAt(input: unknown, pointer: (string | number)[]): unknown {
  let current = input;
  for (const key of pointer) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
