import { z } from 'zod';
import { toDecimal } from '../../model/decimal.js';
import { quoteInput } from '../../errors.js';
import { idempotencyKey, OBJECT_ID, prose, requiredLine } from '../../mutations/input-rules.js';

/**
 * zod schemas of the GraphQL inputs of HAPIHub's mutations (schema/mutations-hapihub.graphql) and
 * of `adjustStock`: everything opsgraph can refuse itself, before any vendor call. Decimals arrive
 * canonical from the Decimal scalar, times as Dates from the DateTime scalar. A null optional field
 * means the same as an absent one.
 */

/** HAPIHub ids (transactions, warehouses) are ObjectIds, 24 hex digits (docs/vendors/hapihub.md). */
const id = z.string().trim().regex(OBJECT_ID, 'must be a HAPIHub id (24 hex digits)');
/** SKU codes and lot numbers: at most 100 (they are quoted back in messages); the document states no length. */
const code = requiredLine(100);
const text = prose();

/** HAPIHub takes quantities as JSON numbers: refuse a decimal that a number cannot carry exactly. */
const exactNumber = z.string().transform((value, ctx) => {
  const n = Number(value);
  if (!Number.isFinite(n) || toDecimal(n) !== toDecimal(value)) {
    ctx.addIssue({ code: 'custom', message: `HAPIHub takes quantities as JSON numbers, which cannot hold ${quoteInput(value)} exactly` });
    return z.NEVER;
  }
  return n;
});
const nonNegative = exactNumber.refine((n) => n >= 0, 'must not be negative');
const nonZero = exactNumber.refine((n) => n !== 0, 'must not be zero');
/** Epoch milliseconds, HAPIHub's time format. */
const epochMs = z.union([z.date(), z.string()]).transform((value, ctx) => {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms) || ms < 0) {
    ctx.addIssue({ code: 'custom', message: 'must be an instant after 1970' });
    return z.NEVER;
  }
  return ms;
});

export const TRANSACTION_TYPES = ['ADJUSTMENT', 'PURCHASE', 'SALES', 'TRANSFER', 'RECEIVING', 'PACKAGING', 'RETURN'] as const;
const typeSchema = z.enum(TRANSACTION_TYPES);
export type TransactionTypeInput = z.output<typeof typeSchema>;

const itemSchema = z.object({
  skuCode: code,
  lotNumber: code.nullish(),
  quantity: nonNegative.nullish(),
  adjustment: nonZero.nullish(),
  price: nonNegative.nullish(),
  note: text.nullish(),
  expiresAt: epochMs.nullish(),
});
export type ItemInput = z.output<typeof itemSchema>;

/** A problem found by a rule across fields: where in the input, and what. */
export interface InputIssue {
  path: (string | number)[];
  message: string;
}

/** How an item moves stock depends on the type (docs/vendors/hapihub.md): check it says how much. */
function itemIssues(type: TransactionTypeInput, items: readonly ItemInput[]): InputIssue[] {
  return items.flatMap((item, i): InputIssue[] => {
    const issues: InputIssue[] = [];
    if (type === 'ADJUSTMENT') {
      if (item.adjustment == null) issues.push({ path: ['items', i, 'adjustment'], message: 'an ADJUSTMENT item needs a signed adjustment' });
      if (item.quantity != null) issues.push({ path: ['items', i, 'quantity'], message: 'an ADJUSTMENT moves stock by adjustment, not quantity' });
    } else {
      if (item.quantity == null) issues.push({ path: ['items', i, 'quantity'], message: `a ${type} item needs a quantity` });
      if (item.adjustment != null) issues.push({ path: ['items', i, 'adjustment'], message: 'only an ADJUSTMENT takes an adjustment' });
    }
    return issues;
  });
}

function transferIssues(type: TransactionTypeInput, source: string | null | undefined, destination: string | null | undefined): InputIssue[] {
  if (type !== 'TRANSFER') {
    return [
      ...(source != null ? [{ path: ['sourceWarehouseId'], message: 'only a TRANSFER has a source warehouse' }] : []),
      ...(destination != null ? [{ path: ['destinationWarehouseId'], message: 'only a TRANSFER has a destination warehouse' }] : []),
    ];
  }
  const issues: InputIssue[] = [];
  if (source == null) issues.push({ path: ['sourceWarehouseId'], message: 'a TRANSFER needs a source warehouse' });
  if (destination == null) issues.push({ path: ['destinationWarehouseId'], message: 'a TRANSFER needs a destination warehouse' });
  if (source != null && source === destination) issues.push({ path: ['destinationWarehouseId'], message: 'must differ from the source warehouse' });
  return issues;
}

/**
 * The rules across fields, for a create or for an update merged with the stored transaction:
 * `items` are only checked when given (stored items were valid when written).
 */
export function transactionIssues(tx: { type: TransactionTypeInput; items?: readonly ItemInput[] | null; sourceWarehouseId?: string | null; destinationWarehouseId?: string | null }): InputIssue[] {
  return [...(tx.items ? itemIssues(tx.type, tx.items) : []), ...transferIssues(tx.type, tx.sourceWarehouseId, tx.destinationWarehouseId)];
}

export const createTransactionInputSchema = z
  .object({
    idempotencyKey,
    type: typeSchema,
    warehouseId: id,
    sourceWarehouseId: id.nullish(),
    destinationWarehouseId: id.nullish(),
    items: z.array(itemSchema).min(1, 'needs at least one item').max(500, 'must have at most 500 items'),
    reason: text.nullish(),
    invoice: code.nullish(),
    relatedTransactionId: id.nullish(),
    createdAt: epochMs.nullish(),
  })
  .superRefine((tx, ctx) => {
    for (const issue of transactionIssues(tx)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type CreateTransactionInput = z.output<typeof createTransactionInputSchema>;

/** Rules that need the stored transaction (its type, its transfer ends) are checked by writes.ts with `transactionIssues`. */
export const updateTransactionInputSchema = z.object({
  idempotencyKey,
  vendorId: id,
  type: typeSchema.nullish(),
  warehouseId: id.nullish(),
  sourceWarehouseId: id.nullish(),
  destinationWarehouseId: id.nullish(),
  items: z.array(itemSchema).min(1, 'needs at least one item').max(500, 'must have at most 500 items').nullish(),
  reason: text.nullish(),
  invoice: code.nullish(),
  relatedTransactionId: id.nullish(),
});
export type UpdateTransactionInput = z.output<typeof updateTransactionInputSchema>;

/** `adjustStock`, the HAPIHub half of the gateway's `adjustInventory`. */
export const adjustStockInputSchema = z.object({
  skuCode: code,
  warehouseId: id,
  /** Signed, non-zero decimal string. */
  quantity: nonZero,
  lotNumber: code.nullish(),
  reason: text.nullish(),
  /** opsgraph's write marker (src/mutations/reconcile/marker.ts), kept in the transaction's `metadata`. */
  marker: text.nullish(),
});
export type AdjustStockInput = z.input<typeof adjustStockInputSchema>;
