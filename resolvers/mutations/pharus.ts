import type { MutationResolvers } from '../../src/generated/resolvers.generated.js';
import { vendorError } from '../../src/errors.js';
import type { OrderRecord } from '../../src/model/records.js';
import { runMutation } from '../../src/mutations/run.js';
import type { GatewayContext } from '../../src/server/context.js';
import { asPharusRuntime } from '../../src/vendors/pharus/runtime.js';
import {
  addSalesOrderItemInputSchema,
  completeInventoryTransferInputSchema,
  createSalesOrderInputSchema,
  transferInventoryInputSchema,
  updateSalesOrderInputSchema,
} from '../../src/vendors/pharus/write-inputs.js';
import {
  addSalesOrderItem,
  completeCreatedTransfer,
  completeTransfer,
  createSalesOrder,
  findAddedSalesOrderItem,
  findCompletedTransfer,
  findCreatedSalesOrder,
  findCreatedTransfer,
  createTransfer,
  transferOfRef,
  updateSalesOrder,
  type ChangedSalesOrder,
} from '../../src/vendors/pharus/writes.js';
import { storeWritten } from '../../src/sync/store-written.js';

/**
 * Pharus's mutations (schema/mutations-pharus.graphql). Each runs its write through runMutation
 * (input validation, idempotency keys, field paths); the vendor calls, error mapping and
 * invalidation are src/vendors/pharus/writes.ts's.
 *
 * What a write remembers under its idempotency key is what the write itself answered; the state
 * the payload shows (the order with its lines, the stock after a transfer) is read here, after
 * runMutation, i.e. once the write is remembered. So a read that fails after a successful write
 * fails the response but not the write: a retry with the same key writes nothing again and reads
 * again.
 */

/** The Pharus order `id` as it now is (1 `GET /sales-orders/:id`; this request's loaders were cleared by runMutation). */
async function currentOrder(ctx: GatewayContext, written: ChangedSalesOrder): Promise<OrderRecord> {
  const order = await ctx.loaders.order('PHARUS', written.orderVendorId);
  if (!order) throw vendorError('pharus', 'NOT_FOUND', `sales order ${written.orderVendorId} was written but is gone (deleted since?)`);
  return order;
}

export const pharusMutations: MutationResolvers = {
  createPharusSalesOrder: async (_root, { input }, ctx) => {
    const { detail } = await runMutation(
      {
        name: 'createPharusSalesOrder',
        input: createSalesOrderInputSchema,
        write: (valid, c) => createSalesOrder(c, valid),
        // Found again by the marker opsgraph ends the order's `notes` with.
        recognise: (_valid, c, key) => ({ kind: 'find', find: () => findCreatedSalesOrder(c, key) }),
      },
      input,
      ctx,
    );
    // Pharus answers the created order whole: no read needed beyond the indexes (SKU codes, customer name).
    return { order: await storeWritten(ctx, 'PHARUS', 'orders', await asPharusRuntime(ctx.runtime.vendors.PHARUS).orderRecordOf(detail, ctx.scope)), line: null };
  },

  addPharusSalesOrderItem: async (_root, { input }, ctx) => {
    const written = await runMutation(
      {
        name: 'addPharusSalesOrderItem',
        input: addSalesOrderItemInputSchema,
        write: (valid, c) => addSalesOrderItem(c, valid),
        // One line per SKU (E149): the order's line of that SKU, if it is the one asked for.
        recognise: (valid, c) => ({ kind: 'find', find: () => findAddedSalesOrderItem(c, valid) }),
      },
      input,
      ctx,
    );
    const order = await storeWritten(ctx, 'PHARUS', 'orders', await currentOrder(ctx, written));
    const line = order.lines.find((l) => l.vendorId === written.itemVendorId);
    return { order, line: line ? { ...line, vendor: order.vendor } : null };
  },

  updatePharusSalesOrder: async (_root, { input }, ctx) => {
    // A PATCH of the same fields leaves the same order: a retry of a lost answer sends it again.
    const written = await runMutation({ name: 'updatePharusSalesOrder', input: updateSalesOrderInputSchema, write: (valid, c) => updateSalesOrder(c, valid), recognise: () => ({ kind: 'resend' }) }, input, ctx);
    return { order: await storeWritten(ctx, 'PHARUS', 'orders', await currentOrder(ctx, written)), line: null };
  },

  transferInventory: async (_root, { input }, ctx) => {
    const written = await runMutation(
      {
        name: 'transferInventory',
        input: transferInventoryInputSchema,
        write: (valid, c) => createTransfer(c, valid),
        // Found again by the marker opsgraph ends the TRANSFER entry's `notes` with.
        recognise: (valid, c, key) => ({ kind: 'find', find: () => findCreatedTransfer(c, valid, key) }),
      },
      input,
      ctx,
    );
    // The second step runs once the first is remembered: if it fails, a retry with the same key
    // completes the same transfer instead of sending the stock again.
    const transfer = written.complete ? await completeCreatedTransfer(ctx, written).catch(withRef(written.transfer.ref)) : written.transfer;
    return { transfer, levels: await asPharusRuntime(ctx.runtime.vendors.PHARUS).levelsAfterWrite(written.skuRecord, ctx.scope) };
  },

  completeInventoryTransfer: async (_root, { input }, ctx) => {
    const { ref, entry } = await runMutation(
      {
        name: 'completeInventoryTransfer',
        input: completeInventoryTransferInputSchema,
        write: (valid, c) => completeTransfer(c, valid),
        // A completed transfer has its entry into the destination in the ledger.
        recognise: (valid, c) => ({ kind: 'find', find: () => findCompletedTransfer(c, valid) }),
      },
      input,
      ctx,
    );
    const runtime = asPharusRuntime(ctx.runtime.vendors.PHARUS);
    const sku = (await runtime.skuById(entry.skuId, ctx.scope)) ?? { vendor: 'PHARUS' as const, vendorId: entry.skuId, code: entry.skuId, name: null };
    const [transfer, levels] = await Promise.all([transferOfRef(ctx, ref, sku), runtime.levelsAfterWrite(sku, ctx.scope)]);
    return { transfer, levels };
  },
};

/** A failed completion says which transfer is left in transit, so the client can complete it. */
function withRef(ref: string) {
  return (error: unknown): never => {
    const ext = (error as { extensions?: Record<string, unknown> }).extensions;
    if (ext && typeof ext === 'object') {
      throw vendorError('pharus', (ext.code as never) ?? 'VENDOR_UNAVAILABLE', `${(error as Error).message.replace(/^pharus: /, '')} (transfer ${ref} is in transit: retry with the same idempotencyKey, or completeInventoryTransfer)`, {
        ...ext,
        transferRef: ref,
      });
    }
    throw error;
  };
}
