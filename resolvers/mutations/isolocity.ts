import DataLoader from 'dataloader';
import type { z } from 'zod';
import type { InspectionResolvers, MutationResolvers } from '../../src/generated/resolvers.generated.js';
import { toGlobalId } from '../../src/model/global-id.js';
import type { Recognition } from '../../src/mutations/idempotency.js';
import { runMutation } from '../../src/mutations/run.js';
import type { GatewayContext } from '../../src/server/context.js';
import { asIsolocityRuntime } from '../../src/vendors/isolocity/index.js';
import type { InspectionSampleView } from '../../src/vendors/isolocity/mapping.js';
import {
  addInspectionSampleInput,
  createInspectionInput,
  createNcrInput,
  deleteInspectionSampleInput,
  recordInspectionResultInput,
  updateInspectionSampleInput,
  updateNcrInput,
} from '../../src/vendors/isolocity/write-inputs.js';
import type { IsolocityWrites } from '../../src/vendors/isolocity/writes.js';
import { storeWritten } from '../../src/sync/store-written.js';

/**
 * ISOlocity's mutations (schema/mutations-isolocity.graphql). Each is runMutation over one method
 * of the vendor's writes (src/vendors/isolocity/writes.ts): input validation, idempotency keys and
 * field paths are runMutation's; vendor calls, error mapping and invalidation are the writes'.
 */

const writesOf = (c: GatewayContext) => asIsolocityRuntime(c.runtime.vendors.ISOLOCITY).writes(c.scope, c.crosswalk);

/** How a mutation finds its earlier write when the answer was lost (docs/gateway.md "Retrying a mutation"). */
type Recognise<I, R> = (writes: IsolocityWrites, input: I, key: string) => Recognition<R>;
/** A PATCH of the same fields leaves the same record: sending it again is the look. */
const resend = (): Recognition<never> => ({ kind: 'resend' });

/** One run: validate, (idempotently) write, then forget this request's samples (they may have changed). */
async function run<S extends z.ZodType, R>(name: string, schema: S, rawInput: unknown, ctx: GatewayContext, write: (writes: IsolocityWrites, input: z.output<S>) => Promise<R>, recognise: Recognise<z.output<S>, R>): Promise<R> {
  try {
    return await runMutation({ name, input: schema, write: (input, c) => write(writesOf(c), input), recognise: (input, c, key) => recognise(writesOf(c), input, key) }, rawInput, ctx);
  } finally {
    sampleLoaders.get(ctx)?.clearAll();
  }
}

const inspectionGlobalId = (vendorId: string) => toGlobalId('Inspection', 'ISOLOCITY', vendorId);

export const isolocityMutations: MutationResolvers = {
  // The NCR number is unique at ISOlocity: look it up.
  createNcr: async (_root, { input }, ctx) => ({ ncr: await storeWritten(ctx, 'ISOLOCITY', 'ncrs', await run('createNcr', createNcrInput, input, ctx, (w, i) => w.createNcr(i), (w, i) => ({ kind: 'find', find: () => w.findCreatedNcr(i) }))) }),
  updateNcr: async (_root, { input }, ctx) => ({ ncr: await storeWritten(ctx, 'ISOLOCITY', 'ncrs', await run('updateNcr', updateNcrInput, input, ctx, (w, i) => w.updateNcr(i), resend)) }),
  // The inspection id is derived from the key: read it.
  createInspection: async (_root, { input }, ctx) => ({
    inspection: await storeWritten(ctx, 'ISOLOCITY', 'inspections', await run('createInspection', createInspectionInput, input, ctx, (w, i) => w.createInspection(i), (w, i, key) => ({ kind: 'find', find: () => w.findCreatedInspection(i, key) }))),
  }),
  recordInspectionResult: async (_root, { input }, ctx) => ({
    inspection: await storeWritten(ctx, 'ISOLOCITY', 'inspections', await run('recordInspectionResult', recordInspectionResultInput, input, ctx, (w, i) => w.recordInspectionResult(i), resend)),
  }),
  addInspectionSample: (_root, { input }, ctx) =>
    run('addInspectionSample', addInspectionSampleInput, input, ctx, async (w, i) => ({ inspectionId: inspectionGlobalId(i.inspectionId), sample: await w.addInspectionSample(i) }), sampleByNumber),
  updateInspectionSample: (_root, { input }, ctx) =>
    run('updateInspectionSample', updateInspectionSampleInput, input, ctx, async (w, i) => ({ inspectionId: inspectionGlobalId(i.inspectionId), sample: await w.updateInspectionSample(i) }), resend),
  deleteInspectionSample: (_root, { input }, ctx) =>
    run(
      'deleteInspectionSample',
      deleteInspectionSampleInput,
      input,
      ctx,
      async (w, i) => {
        await w.deleteInspectionSample(i);
        return deleted(i);
      },
      // A sample that is gone was deleted (by the earlier attempt); one still there was not.
      (w, i) => ({ kind: 'find', find: async () => ((await w.sampleIsGone(i)) ? deleted(i) : null) }),
    ),
};

const deleted = (i: { inspectionId: string; sampleId: string }) => ({ inspectionId: inspectionGlobalId(i.inspectionId), deletedSampleId: i.sampleId });

/** A sample number is unique within its inspection; without one, nothing tells the added sample apart. */
const sampleByNumber: Recognise<z.output<typeof addInspectionSampleInput>, { inspectionId: string; sample: InspectionSampleView }> = (w, i) => {
  const sampleNumber = i.sampleNumber;
  if (sampleNumber == null) return { kind: 'none', check: `give sampleNumber to make addInspectionSample recognisable; look at inspection ${i.inspectionId}'s samples for one added by the first attempt` };
  return {
    kind: 'find',
    find: async () => {
      const sample = await w.findAddedSample({ ...i, sampleNumber });
      return sample ? { inspectionId: inspectionGlobalId(i.inspectionId), sample } : null;
    },
  };
};

/**
 * `Inspection.samples`, read live through a per-request DataLoader (per-request state kept in a
 * WeakMap keyed by the request's context): the inspections of one query level are asked together,
 * one `GET /inspections/:id` each.
 */
const sampleLoaders = new WeakMap<GatewayContext, DataLoader<string, InspectionSampleView[] | null>>();

function samplesLoader(ctx: GatewayContext): DataLoader<string, InspectionSampleView[] | null> {
  let loader = sampleLoaders.get(ctx);
  if (!loader) {
    const runtime = asIsolocityRuntime(ctx.runtime.vendors.ISOLOCITY);
    loader = new DataLoader((ids: readonly string[]) => runtime.samplesOf(ids, ctx.scope));
    sampleLoaders.set(ctx, loader);
  }
  return loader;
}

/** Fields this file adds to `Inspection` (merged into its resolvers in resolvers/index.ts). */
export const isolocityInspectionFields: Pick<InspectionResolvers, 'samples'> = {
  samples: (inspection, _args, ctx) => samplesLoader(ctx).load(inspection.vendorId),
};
