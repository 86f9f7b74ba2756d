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
import { vendorApiResolvers } from '../src/vendor-api/resolvers.js';
import { VENDOR_NAMES } from '../src/errors.js';
import type { MutationResolvers } from '../src/generated/resolvers.generated.js';

// The generated vendor APIs (src/vendor-api): `Query.<vendor>`, `<vendor>…` mutations, their types.
const vendorApi = vendorApiResolvers();
const generatedMutations = (vendorApi.Mutation ?? {}) as MutationResolvers;
/** The generated mutations of one vendor: their names carry its prefix (`isolocityCreateCar`). */
const generatedOf = (vendor: (typeof VENDOR_NAMES)[number]): MutationResolvers =>
  Object.fromEntries(Object.entries(generatedMutations).filter(([name]) => name.startsWith(vendor))) as MutationResolvers;

/** Every resolver, one file per type (or close family of types). */
export const resolvers: Resolvers = {
  // Generic resolvers over generated tables: typed by their zod schemas, not by the resolver types.
  ...(vendorApi as Resolvers),
  Query: { ...(vendorApi.Query as Resolvers['Query']), ...Query },
  // Every mutation passes the client's write scope for its vendor first (src/server/auth/).
  Mutation: {
    ...Object.assign({}, ...VENDOR_NAMES.map((vendor) => guardWrites(vendor, generatedOf(vendor)))),
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
