import type { MutationResolvers } from '../../src/generated/resolvers.generated.js';
import { runMutation } from '../../src/mutations/run.js';
import { upsertInvoiceInputSchema, upsertOrderInputSchema, upsertPurchaseInputSchema } from '../../src/vendors/distru/write-inputs.js';
import { upsertDistruInvoice, upsertDistruOrder, upsertDistruPurchase } from '../../src/vendors/distru/writes.js';

/** Distru's mutations (schema/mutations-distru.graphql): validation and idempotency by runMutation. */
export const distruMutations: MutationResolvers = {
  upsertDistruOrder: (_root, { input }, ctx) => runMutation({ name: 'upsertDistruOrder', input: upsertOrderInputSchema, write: (valid, c) => upsertDistruOrder(c, valid) }, input, ctx),
  upsertDistruInvoice: (_root, { input }, ctx) => runMutation({ name: 'upsertDistruInvoice', input: upsertInvoiceInputSchema, write: (valid, c) => upsertDistruInvoice(c, valid) }, input, ctx),
  upsertDistruPurchase: (_root, { input }, ctx) => runMutation({ name: 'upsertDistruPurchase', input: upsertPurchaseInputSchema, write: (valid, c) => upsertDistruPurchase(c, valid) }, input, ctx),
};
