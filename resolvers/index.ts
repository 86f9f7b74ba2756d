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
import { guardWrites, vendorOfInput } from './guard-writes.js';

/** Every resolver, one file per type (or close family of types). */
export const resolvers: Resolvers = {
  Query,
  // Every mutation passes the client's write scope for its vendor first (src/server/auth/).
  Mutation: {
    ...guardWrites(vendorOfInput, stockMutations),
    ...guardWrites('hapihub', hapihubMutations),
    ...guardWrites('isolocity', isolocityMutations),
    ...guardWrites('distru', distruMutations),
    ...guardWrites('pharus', pharusMutations),
  },
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
