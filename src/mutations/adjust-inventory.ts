import { z } from 'zod';
import { opsError } from '../errors.js';
import { prose, requiredLine } from './input-rules.js';
import { isDecimal, toDecimal } from '../model/decimal.js';
import type { InventoryLevelRecord, Vendor } from '../model/records.js';
import type { GatewayContext } from '../server/context.js';
import { adjustStock, findAdjustedStock } from '../vendors/hapihub/writes.js';
import { adjustFinishedGoods, findAdjustedFinishedGoods } from '../vendors/pharus/writes.js';
import type { Recognition } from './idempotency.js';
import { writeMarker } from './reconcile/marker.js';

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


export const adjustInventoryInputSchema = z.object({
  idempotencyKey: z.string().nullish(),
  vendor: z.enum(['ISOLOCITY', 'PHARUS', 'DISTRU', 'HAPIHUB']),
  skuCode: requiredLine(100),
  // The vendor's own format (Pharus UUID, HAPIHub ObjectId) is checked by its half; no path characters here either way.
  locationId: z.string().trim().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a location id of the vendor (a UUID or an ObjectId)'),
  quantity: z
    .string()
    .refine(isDecimal, 'must be a decimal such as "12" or "-3.5"')
    .transform((q) => toDecimal(q))
    .refine((q) => q !== '0', 'must not be zero: + adds stock, − takes it away'),
  lotNumber: requiredLine(100).nullish(),
  reason: prose(500).trim().nullish(),
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
  const marker = input.idempotencyKey ? writeMarker('adjustInventory', input.idempotencyKey) : null;
  const common = { skuCode: vendorCode, quantity: input.quantity, lotNumber: input.lotNumber ?? null, reason: input.reason ?? null, marker };
  const levels =
    input.vendor === 'PHARUS'
      ? await adjustFinishedGoods(ctx, { ...common, locationId: input.locationId })
      : await adjustStock(ctx, { ...common, warehouseId: input.locationId });
  return { vendor: input.vendor, sku: { code: canonical }, levels };
}

/**
 * How a retry finds an adjustment whose answer was lost: by the marker opsgraph wrote with it — in
 * the HAPIHub transaction's `metadata`, in the Pharus ledger entry's `notes` — read back with the
 * SKU's stock now. Distru and ISOlocity are refused before any call: sending again is safe.
 */
export function recogniseAdjustment(input: AdjustInventoryInput, ctx: GatewayContext, key: string): Recognition<AdjustInventoryResult> {
  if (input.vendor === 'DISTRU' || input.vendor === 'ISOLOCITY') return { kind: 'resend' };
  const canonical = ctx.crosswalk.canonicalOfAny(input.skuCode);
  const skuCode = ctx.crosswalk.toVendor(input.vendor, canonical);
  const marker = writeMarker('adjustInventory', key);
  return {
    kind: 'find',
    find: async () => {
      const levels =
        input.vendor === 'PHARUS'
          ? await findAdjustedFinishedGoods(ctx, { skuCode, locationId: input.locationId, quantity: input.quantity, lotNumber: input.lotNumber ?? null, reason: input.reason ?? null, marker })
          : await findAdjustedStock(ctx, { skuCode, warehouseId: input.locationId, marker });
      return levels ? { vendor: input.vendor, sku: { code: canonical }, levels } : null;
    },
  };
}
