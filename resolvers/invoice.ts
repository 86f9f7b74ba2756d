import type { InvoiceResolvers } from '../src/generated/resolvers.generated.js';
import { toGlobalId } from '../src/model/global-id.js';
import { orderOfInvoice } from '../src/lists/store-relations.js';

export const Invoice: InvoiceResolvers = {
  id: (invoice) => toGlobalId('Invoice', invoice.vendor, invoice.vendorId),
  // From the store once Distru orders are synced (one store query for every invoice of the page), else live.
  order: (invoice, _args, ctx) => (invoice.orderVendorId === null ? null : orderOfInvoice(ctx, invoice.orderVendorId)),
};
