import { z } from 'zod';
import { opsError } from '../errors.js';
import { isDecimal, toDecimal } from '../model/decimal.js';
import type { InventoryLevelRecord, Vendor } from '../model/records.js';
import type { GatewayContext } from '../server/context.js';
import { adjustStock } from '../vendors/hapihub/writes.js';
import { adjustFinishedGoods } from '../vendors/pharus/writes.js';

/**
 * adjustInventory: one mutation over the vendors that can adjust stock. Pharus adjusts (or, for a
 * negative quantity, disposes) finished goods; HAPIHub records an `adjustment` transaction.
 * Distru's public API has no stock adjustment (its inventory is read-only: it moves through
 * orders and purchases) and ISOlocity's inventory endpoint only relinks locations — both are
 * refused before any vendor call, saying so.
 */
const UNSUPPORTED: Partial<Record<Vendor, string>> = {
  DISTRU: "Distru's public API cannot adjust stock (inventory changes only through orders, purchases and packages in Distru itself)",
  ISOLOCITY: "ISOlocity's API cannot adjust stock (its inventory endpoint only updates linked locations)",
};

const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const adjustInventoryInputSchema = z.object({
  vendor: z.enum(['ISOLOCITY', 'PHARUS', 'DISTRU', 'HAPIHUB']),
  skuCode: nonEmpty.max(200),
  locationId: nonEmpty.max(200),
  quantity: z
    .string()
    .refine(isDecimal, 'must be a decimal such as "12" or "-3.5"')
    .transform((q) => toDecimal(q))
    .refine((q) => q !== '0', 'must not be zero: + adds stock, − takes it away'),
  lotNumber: nonEmpty.max(200).nullish(),
  reason: z.string().trim().max(500).nullish(),
});
export type AdjustInventoryInput = z.output<typeof adjustInventoryInputSchema>;

export interface AdjustInventoryResult {
  vendor: Vendor;
  sku: { code: string };
  levels: InventoryLevelRecord[];
}

export async function adjustInventory(input: AdjustInventoryInput, ctx: GatewayContext): Promise<AdjustInventoryResult> {
  const reason = UNSUPPORTED[input.vendor];
  if (reason) throw opsError(reason, { code: 'UNSUPPORTED_OPERATION', vendor: input.vendor.toLowerCase() as Lowercase<Vendor>, field: 'input.vendor' });
  const canonical = ctx.crosswalk.canonicalOfAny(input.skuCode);
  const vendorCode = ctx.crosswalk.toVendor(input.vendor, canonical);
  const common = { skuCode: vendorCode, quantity: input.quantity, lotNumber: input.lotNumber ?? null, reason: input.reason ?? null };
  const levels =
    input.vendor === 'PHARUS'
      ? await adjustFinishedGoods(ctx, { ...common, locationId: input.locationId })
      : await adjustStock(ctx, { ...common, warehouseId: input.locationId });
  return { vendor: input.vendor, sku: { code: canonical }, levels };
}
