import type { MutationResolvers } from '../../src/generated/resolvers.generated.js';
import { runMutation } from '../../src/mutations/run.js';
import { createTransactionInputSchema, updateTransactionInputSchema } from '../../src/vendors/hapihub/write-inputs.js';
import { createInventoryTransaction, findCreatedTransaction, updateInventoryTransaction } from '../../src/vendors/hapihub/writes.js';

/** HAPIHub's mutations (schema/mutations-hapihub.graphql): validation and idempotency by runMutation. */
export const hapihubMutations: MutationResolvers = {
  createInventoryTransaction: (_root, { input }, ctx) =>
    runMutation(
      {
        name: 'createInventoryTransaction',
        input: createTransactionInputSchema,
        write: (valid, c) => createInventoryTransaction(c, valid),
        // Found again by the marker in its `metadata`.
        recognise: (valid, c, key) => ({ kind: 'find', find: () => findCreatedTransaction(c, valid, key) }),
      },
      input,
      ctx,
    ),
  updateInventoryTransaction: (_root, { input }, ctx) =>
    // A PATCH merges the same fields again: the same transaction.
    runMutation({ name: 'updateInventoryTransaction', input: updateTransactionInputSchema, write: (valid, c) => updateInventoryTransaction(c, valid), recognise: () => ({ kind: 'resend' }) }, input, ctx),
};
