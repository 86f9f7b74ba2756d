import type { OrderLineResolvers, OrderResolvers } from '../src/generated/resolvers.generated.js';
import { toGlobalId } from '../src/model/global-id.js';
import { multiplyDecimals } from '../src/model/decimal.js';
import { invoicesOfShownOrder } from '../src/lists/single-object.js';
import { unitOfMeasureOf } from '../src/catalog/sku-view.js';

export const Order: OrderResolvers = {
  id: (order) => toGlobalId('Order', order.vendor, order.vendorId),
  lineCount: (order) => order.lines.length,
  lines: (order) => order.lines.map((line) => ({ ...line, vendor: order.vendor })),
  // Only Distru has invoices: from the store once synced (caught up first under order(id:)), else one call per batch of orders (`order_id[]`).
  invoices: (order, _args, ctx) => (order.vendor === 'DISTRU' ? invoicesOfShownOrder(ctx, order) : []),
  // Records stored before these fields existed lack them (src/model/records.ts).
  billingAddress: (order) => order.billingAddress ?? null,
  shippingAddress: (order) => order.shippingAddress ?? null,
  charges: (order) => order.charges ?? [],
  taxes: (order) => (order.charges ?? []).filter((c) => c.type === 'TAX'),
  discounts: (order) => (order.charges ?? []).filter((c) => c.type === 'DISCOUNT'),
  fulfillmentStatus: (order) => order.fulfillmentStatus ?? null,
  channel: (order, _args, ctx) => (order.channelVendorId ? ctx.loaders.channelName(order.vendor, order.channelVendorId) : null),
};

export const OrderLine: OrderLineResolvers = {
  skuCode: (line, _args, ctx) => (line.vendorSkuCode === null ? null : ctx.crosswalk.toCanonical(line.vendor, line.vendorSkuCode)),
  unitOfMeasure: (line, _args, ctx) => unitOfMeasureOf(ctx, line.vendor, line.vendorSkuCode, line.unitOfMeasure),
  lineTotal: (line) => (line.unitPrice === null ? null : multiplyDecimals(line.quantity, line.unitPrice)),
  sku: (line, _args, ctx) => (line.vendorSkuCode === null ? null : { code: ctx.crosswalk.toCanonical(line.vendor, line.vendorSkuCode), knownName: line.productName }),
  /**
   * Stock of the line's product in the order's vendor: by the vendor's product id where the line
   * names one (so a Distru product without a SKU code keeps its stock), else by its SKU code. One
   * loader batch for all lines of a query.
   */
  inventory: async (line, _args, ctx) => {
    const byProduct = line.productVendorId ? ctx.loaders.levelsOfProduct(line.vendor, line.productVendorId) : undefined;
    const levels = byProduct ?? (line.vendorSkuCode === null ? [] : ctx.loaders.levels(line.vendor, line.vendorSkuCode));
    return (await levels).map((level) => ({ ...level, vendorSkuCode: line.vendorSkuCode }));
  },
};
