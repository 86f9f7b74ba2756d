import type { MutationResolvers } from '../../src/generated/resolvers.generated.js';
import { runMutation } from '../../src/mutations/run.js';
import { adjustInventory, adjustInventoryInputSchema, recogniseAdjustment } from '../../src/mutations/adjust-inventory.js';

/** Cross-vendor stock mutations (schema/mutations-stock.graphql). */
export const stockMutations: MutationResolvers = {
  adjustInventory: (_root, { input }, ctx) => runMutation({ name: 'adjustInventory', input: adjustInventoryInputSchema, write: adjustInventory, recognise: recogniseAdjustment }, input, ctx),
};
