import type { Resolvers } from '../src/generated/resolvers.generated.js';
import { Query } from './query.js';
import { Node } from './node.js';
import { Order, OrderLine } from './order.js';
import { Invoice, InvoiceLine } from './invoice.js';
import { Sku, VendorSku, InventoryLevel } from './sku.js';
import { Part, Inspection, Lot, Ncr } from './quality.js';
import { Decimal, DateTime } from './scalars.js';
import { hapihubMutations } from './mutations/hapihub.js';
import { pharusMutations } from './mutations/pharus.js';
import { distruMutations } from './mutations/distru.js';
import { isolocityMutations, isolocityInspectionFields } from './mutations/isolocity.js';
import { stockMutations } from './mutations/stock.js';
import { guardWrites, vendorOfInput, type WriteTarget } from './guard-writes.js';
import { announceWrites } from './announce-writes.js';
import { vendorApiResolvers } from '../src/vendor-api/resolvers.js';
import { VENDOR_NAMES } from '../src/errors.js';
import type { MutationResolvers } from '../src/generated/resolvers.generated.js';

// The generated vendor APIs (src/vendor-api): `Query.<vendor>`, `<vendor>…` mutations, their types.
const vendorApi = vendorApiResolvers();
const generatedMutations = (vendorApi.Mutation ?? {}) as MutationResolvers;
/** The generated mutations of one vendor: their names carry its prefix (`isolocityCreateCar`). */
const generatedOf = (vendor: (typeof VENDOR_NAMES)[number]): MutationResolvers =>
  Object.fromEntries(Object.entries(generatedMutations).filter(([name]) => name.startsWith(vendor))) as MutationResolvers;

/** A vendor's mutations: scope-checked first, announced to the other replicas after. */
const writes = (target: WriteTarget, mutations: MutationResolvers): MutationResolvers => guardWrites(target, announceWrites(target, mutations));

/** Every resolver, one file per type (or close family of types). */
export const resolvers: Resolvers = {
  // Generic resolvers over generated tables: typed by their zod schemas, not by the resolver types.
  ...(vendorApi as Resolvers),
  Query: { ...(vendorApi.Query as Resolvers['Query']), ...Query },
  // Every mutation passes the client's write scope for its vendor first (src/server/auth/).
  // Then it runs, and every other replica hears that the vendor's data changed (src/scale/).
  Mutation: {
    ...Object.assign({}, ...VENDOR_NAMES.map((vendor) => writes(vendor, generatedOf(vendor)))),
    ...writes(vendorOfInput, stockMutations),
    ...writes('hapihub', hapihubMutations),
    ...writes('isolocity', isolocityMutations),
    ...writes('distru', distruMutations),
    ...writes('pharus', pharusMutations),
  },
  Node,
  Order,
  OrderLine,
  Invoice,
  InvoiceLine,
  Sku,
  VendorSku,
  InventoryLevel,
  Part,
  Inspection: { ...Inspection, ...isolocityInspectionFields },
  Ncr,
  Lot,
  Decimal,
  DateTime,
};
