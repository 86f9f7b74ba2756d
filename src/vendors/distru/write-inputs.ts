import { z } from 'zod';
import { addDecimals, isDecimal, toDecimal } from '../../model/decimal.js';
import { fromGlobalId } from '../../model/global-id.js';
import { toUtcIso } from '../../model/time.js';
import { UUID } from '../id-shapes.js';
import { idempotencyKey, line, prose, requiredLine } from '../../mutations/input-rules.js';

/**
 * zod schemas of the Distru mutations' inputs (schema/mutations-distru.graphql). GraphQL has
 * already checked the types; these check what opsgraph can refuse itself before any vendor call:
 * signs and bounds Distru enforces, required combinations, id shapes. Decimals arrive canonical from
 * the Decimal scalar, times as Dates (or strings) from the DateTime scalar.
 */

/** Every Distru id is a UUID (seed 002): anything else cannot name a Distru record. */
const vendorId = z.string().regex(UUID, 'is not a Distru id (a UUID)');

/** Seed 002 states no lengths: SKU codes at most 100 (they are quoted back), other text 1,000. */
const sku = requiredLine(100);
/** An order, invoice or purchase without items is meaningless; Distru's own limit is not documented, 500 is ours. */
const MAX_ITEMS = 500;
const ITEMS_NEEDED = 'needs at least one item';
const TOO_MANY_ITEMS = `must have at most ${MAX_ITEMS} entries`;

const sign = (value: string): number => (value.startsWith('-') ? -1 : toDecimal(value) === '0' ? 0 : 1);
const decimal = z.string().refine(isDecimal, 'is not a decimal').transform(toDecimal);
const positive = decimal.refine((v) => sign(v) > 0, 'must be greater than 0');
const notNegative = decimal.refine((v) => sign(v) >= 0, 'must not be negative');
/** Distru refuses a percent outside −100…100 ("Must be less than or equal to 100", seed 002). */
const percent = decimal.refine((v) => sign(addDecimals([v, '-100'])) <= 0 && sign(addDecimals([v, '100'])) >= 0, 'must be between -100 and 100');

/** A time from the DateTime scalar (canonical text, or a Date) as Distru's ISO-8601 text, microseconds kept. */
const datetime = z.union([z.date(), z.string()]).transform((value, ctx) => {
  const text = value instanceof Date ? (Number.isNaN(value.getTime()) ? null : value.toISOString()) : toUtcIso(value);
  if (text === null) {
    ctx.addIssue({ code: 'custom', message: 'is not a datetime' });
    return z.NEVER;
  }
  return text;
});

/** The Distru key of a global id of `type`, refused when it is not one. */
const globalIdOf = (type: 'Order' | 'Invoice') =>
  z.string().transform((id, ctx) => {
    const parsed = fromGlobalId(id);
    if (!parsed || parsed.type !== type || parsed.vendor !== 'DISTRU' || !UUID.test(parsed.key)) {
      ctx.addIssue({ code: 'custom', message: `is not the id of a Distru ${type}` });
      return z.NEVER;
    }
    return parsed.key;
  });

export const chargeInputSchema = z
  .object({
    vendorId: vendorId.nullish(),
    name: line().nullish(),
    type: z.enum(['CHARGE', 'DISCOUNT', 'TAX']),
    unitType: z.enum(['PERCENT', 'PRICE']),
    percent: percent.nullish(),
    price: decimal.nullish(),
  })
  .superRefine((charge, ctx) => {
    if (charge.unitType === 'PERCENT' && !charge.percent) ctx.addIssue({ code: 'custom', path: ['percent'], message: 'is required for a PERCENT charge' });
    if (charge.unitType === 'PRICE' && !charge.price) ctx.addIssue({ code: 'custom', path: ['price'], message: 'is required for a PRICE charge' });
  });
export type ChargeInput = z.output<typeof chargeInputSchema>;

const orderItemSchema = z
  .object({
    vendorId: vendorId.nullish(),
    skuCode: sku.nullish(),
    batchId: vendorId.nullish(),
    packageId: vendorId.nullish(),
    locationId: vendorId.nullish(),
    quantity: positive,
    unitPrice: notNegative,
  })
  .superRefine((item, ctx) => {
    if (!item.skuCode && !item.batchId && !item.packageId) ctx.addIssue({ code: 'custom', path: ['skuCode'], message: 'one of skuCode, batchId or packageId is required' });
  });
export type OrderItemInput = z.output<typeof orderItemSchema>;

export const upsertOrderInputSchema = z.object({
  idempotencyKey,
  id: globalIdOf('Order').nullish(),
  companyId: vendorId.nullish(),
  billingLocationId: vendorId.nullish(),
  shippingLocationId: vendorId.nullish(),
  status: z.enum(['PENDING', 'PROCESSING', 'READY_TO_SHIP', 'DELIVERING', 'DELIVERED', 'COMPLETED', 'CANCELED']).nullish(),
  orderedAt: datetime.nullish(),
  dueAt: datetime.nullish(),
  deliveredAt: datetime.nullish(),
  externalNotes: prose().nullish(),
  items: z.array(orderItemSchema).min(1, ITEMS_NEEDED).max(MAX_ITEMS, TOO_MANY_ITEMS),
  charges: z.array(chargeInputSchema).max(MAX_ITEMS, TOO_MANY_ITEMS).nullish(),
});
export type UpsertOrderInput = z.output<typeof upsertOrderInputSchema>;

export const upsertInvoiceInputSchema = z
  .object({
    idempotencyKey,
    id: globalIdOf('Invoice').nullish(),
    orderId: globalIdOf('Order').nullish(),
    billingLocationId: vendorId.nullish(),
    invoicedAt: datetime.nullish(),
    dueAt: datetime.nullish(),
    items: z.array(z.object({ vendorId: vendorId.nullish(), orderItemId: vendorId, quantity: positive })).min(1, ITEMS_NEEDED).max(MAX_ITEMS, TOO_MANY_ITEMS),
    charges: z.array(chargeInputSchema).max(MAX_ITEMS, TOO_MANY_ITEMS).nullish(),
  })
  .superRefine((invoice, ctx) => {
    // Distru needs the order to create an invoice; an update keeps the invoice's own order.
    if (!invoice.id && !invoice.orderId) ctx.addIssue({ code: 'custom', path: ['orderId'], message: 'is required to create an invoice' });
  });
export type UpsertInvoiceInput = z.output<typeof upsertInvoiceInputSchema>;

const purchaseItemSchema = z
  .object({
    vendorId: vendorId.nullish(),
    skuCode: sku.nullish(),
    batchId: vendorId.nullish(),
    locationId: vendorId.nullish(),
    quantity: positive,
    unitPrice: notNegative,
  })
  .superRefine((item, ctx) => {
    if (!item.skuCode && !item.batchId) ctx.addIssue({ code: 'custom', path: ['skuCode'], message: 'skuCode or batchId is required' });
  });
export type PurchaseItemInput = z.output<typeof purchaseItemSchema>;

export const upsertPurchaseInputSchema = z.object({
  idempotencyKey,
  vendorId: vendorId.nullish(),
  supplierId: vendorId.nullish(),
  locationId: vendorId.nullish(),
  billingLocationId: vendorId.nullish(),
  description: prose().nullish(),
  orderedAt: datetime.nullish(),
  dueAt: datetime.nullish(),
  items: z.array(purchaseItemSchema).min(1, ITEMS_NEEDED).max(MAX_ITEMS, TOO_MANY_ITEMS),
  charges: z.array(chargeInputSchema).max(MAX_ITEMS, TOO_MANY_ITEMS).nullish(),
});
export type UpsertPurchaseInput = z.output<typeof upsertPurchaseInputSchema>;
