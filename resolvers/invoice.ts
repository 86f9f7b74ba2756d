import type { InvoiceLineResolvers, InvoiceResolvers } from '../src/generated/resolvers.generated.js';
import { multiplyDecimals } from '../src/model/decimal.js';
import { toGlobalId } from '../src/model/global-id.js';
import { orderOfShownInvoice } from '../src/lists/single-object.js';

export const Invoice: InvoiceResolvers = {
  id: (invoice) => toGlobalId('Invoice', invoice.vendor, invoice.vendorId),
  // From the store once Distru orders are synced (one store query for every invoice of the page), else live.
  order: (invoice, _args, ctx) => (invoice.orderVendorId === null ? null : orderOfShownInvoice(ctx, invoice, invoice.orderVendorId)),
  // Records stored before these fields existed lack them (src/model/records.ts).
  lines: (invoice) => invoice.lines ?? [],
  charges: (invoice) => invoice.charges ?? [],
};

/** Invoice lines are Distru's (the only vendor with invoices): codes go through the crosswalk as Distru's. */
export const InvoiceLine: InvoiceLineResolvers = {
  skuCode: (line, _args, ctx) => (line.vendorSkuCode === null ? null : ctx.crosswalk.toCanonical('DISTRU', line.vendorSkuCode)),
  lineTotal: (line) => (line.unitPrice === null ? null : multiplyDecimals(line.quantity, line.unitPrice)),
  sku: (line, _args, ctx) => (line.vendorSkuCode === null ? null : { code: ctx.crosswalk.toCanonical('DISTRU', line.vendorSkuCode), knownName: line.productName }),
};
