import type { InvoiceResolvers } from '../src/generated/resolvers.generated.js';
import { toGlobalId } from '../src/model/global-id.js';

export const Invoice: InvoiceResolvers = {
  id: (invoice) => toGlobalId('Invoice', invoice.vendor, invoice.vendorId),
  order: (invoice, _args, ctx) => (invoice.orderVendorId === null ? null : ctx.loaders.order('DISTRU', invoice.orderVendorId)),
};
