import type { Resolvers } from '../src/generated/resolvers.generated.js';
import { Query } from './query.js';
import { Node } from './node.js';
import { Order, OrderLine } from './order.js';
import { Invoice } from './invoice.js';
import { Sku, VendorSku, InventoryLevel } from './sku.js';
import { Part, Inspection, Ncr } from './quality.js';
import { Decimal, DateTime } from './scalars.js';
import { hapihubMutations } from './mutations/hapihub.js';
import { pharusMutations } from './mutations/pharus.js';
import { distruMutations } from './mutations/distru.js';
import { isolocityMutations, isolocityInspectionFields } from './mutations/isolocity.js';
import { stockMutations } from './mutations/stock.js';
import { vendorApiResolvers } from '../src/vendor-api/resolvers.js';

// The generated vendor APIs (src/vendor-api): `Query.<vendor>`, `<vendor>…` mutations, their types.
const vendorApi = vendorApiResolvers();

/** Every resolver, one file per type (or close family of types). */
export const resolvers: Resolvers = {
  // Generic resolvers over generated tables: typed by their zod schemas, not by the resolver types.
  ...(vendorApi as Resolvers),
  Query: { ...(vendorApi.Query as Resolvers['Query']), ...Query },
  Mutation: { ...(vendorApi.Mutation as Resolvers['Mutation']), ...stockMutations, ...hapihubMutations, ...isolocityMutations, ...distruMutations, ...pharusMutations },
  Node,
  Order,
  OrderLine,
  Invoice,
  Sku,
  VendorSku,
  InventoryLevel,
  Part,
  Inspection: { ...Inspection, ...isolocityInspectionFields },
  Ncr,
  Decimal,
  DateTime,
};
