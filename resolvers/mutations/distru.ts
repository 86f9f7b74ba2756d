import type { MutationResolvers } from '../../src/generated/resolvers.generated.js';
import { runMutation } from '../../src/mutations/run.js';
import { upsertInvoiceInputSchema, upsertOrderInputSchema, upsertPurchaseInputSchema } from '../../src/vendors/distru/write-inputs.js';
import { upsertDistruInvoice, upsertDistruOrder, upsertDistruPurchase } from '../../src/vendors/distru/writes.js';

/**
 * Distru's mutations (schema/mutations-distru.graphql): validation and idempotency by runMutation.
 * Every Distru write is an upsert by id, and a create with an idempotency key sends an id derived
 * from the key (src/vendors/distru/writes.ts): sending it again replaces the record with itself, so
 * a retry of a lost answer re-sends (`resend`) and Distru keeps one record.
 */
const resend = () => ({ kind: 'resend' }) as const;

export const distruMutations: MutationResolvers = {
  upsertDistruOrder: (_root, { input }, ctx) => runMutation({ name: 'upsertDistruOrder', input: upsertOrderInputSchema, write: (valid, c) => upsertDistruOrder(c, valid), recognise: resend }, input, ctx),
  upsertDistruInvoice: (_root, { input }, ctx) => runMutation({ name: 'upsertDistruInvoice', input: upsertInvoiceInputSchema, write: (valid, c) => upsertDistruInvoice(c, valid), recognise: resend }, input, ctx),
  upsertDistruPurchase: (_root, { input }, ctx) => runMutation({ name: 'upsertDistruPurchase', input: upsertPurchaseInputSchema, write: (valid, c) => upsertDistruPurchase(c, valid), recognise: resend }, input, ctx),
};
