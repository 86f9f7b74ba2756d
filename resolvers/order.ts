import type { OrderLineResolvers, OrderResolvers } from '../src/generated/resolvers.generated.js';
import { toGlobalId } from '../src/model/global-id.js';
import { multiplyDecimals } from '../src/model/decimal.js';

export const Order: OrderResolvers = {
  id: (order) => toGlobalId('Order', order.vendor, order.vendorId),
  lineCount: (order) => order.lines.length,
  lines: (order) => order.lines.map((line) => ({ ...line, vendor: order.vendor })),
  // Only Distru has invoices; one call per batch of orders (`order_id[]`).
  invoices: (order, _args, ctx) => (order.vendor === 'DISTRU' ? ctx.loaders.invoicesOfOrder(order.vendorId) : []),
};

export const OrderLine: OrderLineResolvers = {
  skuCode: (line, _args, ctx) => (line.vendorSkuCode === null ? null : ctx.crosswalk.toCanonical(line.vendor, line.vendorSkuCode)),
  lineTotal: (line) => (line.unitPrice === null ? null : multiplyDecimals(line.quantity, line.unitPrice)),
  sku: (line, _args, ctx) => (line.vendorSkuCode === null ? null : { code: ctx.crosswalk.toCanonical(line.vendor, line.vendorSkuCode), knownName: line.productName }),
};
