import DataLoader from 'dataloader';
import type { z } from 'zod';
import type { InspectionResolvers, MutationResolvers } from '../../src/generated/resolvers.generated.js';
import { toGlobalId } from '../../src/model/global-id.js';
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

/**
 * ISOlocity's mutations (schema/mutations-isolocity.graphql). Each is runMutation over one method
 * of the vendor's writes (src/vendors/isolocity/writes.ts): input validation, idempotency keys and
 * field paths are runMutation's; vendor calls, error mapping and invalidation are the writes'.
 */

/** One run: validate, (idempotently) write, then forget this request's samples (they may have changed). */
async function run<S extends z.ZodType, R>(name: string, schema: S, rawInput: unknown, ctx: GatewayContext, write: (writes: IsolocityWrites, input: z.output<S>) => Promise<R>): Promise<R> {
  try {
    return await runMutation({ name, input: schema, write: (input, c) => write(asIsolocityRuntime(c.runtime.vendors.ISOLOCITY).writes(c.scope, c.crosswalk), input) }, rawInput, ctx);
  } finally {
    sampleLoaders.get(ctx)?.clearAll();
  }
}

const inspectionGlobalId = (vendorId: string) => toGlobalId('Inspection', 'ISOLOCITY', vendorId);

export const isolocityMutations: MutationResolvers = {
  createNcr: async (_root, { input }, ctx) => ({ ncr: await run('createNcr', createNcrInput, input, ctx, (w, i) => w.createNcr(i)) }),
  updateNcr: async (_root, { input }, ctx) => ({ ncr: await run('updateNcr', updateNcrInput, input, ctx, (w, i) => w.updateNcr(i)) }),
  createInspection: async (_root, { input }, ctx) => ({ inspection: await run('createInspection', createInspectionInput, input, ctx, (w, i) => w.createInspection(i)) }),
  recordInspectionResult: async (_root, { input }, ctx) => ({
    inspection: await run('recordInspectionResult', recordInspectionResultInput, input, ctx, (w, i) => w.recordInspectionResult(i)),
  }),
  addInspectionSample: (_root, { input }, ctx) =>
    run('addInspectionSample', addInspectionSampleInput, input, ctx, async (w, i) => ({ inspectionId: inspectionGlobalId(i.inspectionId), sample: await w.addInspectionSample(i) })),
  updateInspectionSample: (_root, { input }, ctx) =>
    run('updateInspectionSample', updateInspectionSampleInput, input, ctx, async (w, i) => ({ inspectionId: inspectionGlobalId(i.inspectionId), sample: await w.updateInspectionSample(i) })),
  deleteInspectionSample: (_root, { input }, ctx) =>
    run('deleteInspectionSample', deleteInspectionSampleInput, input, ctx, async (w, i) => {
      await w.deleteInspectionSample(i);
      return { inspectionId: inspectionGlobalId(i.inspectionId), deletedSampleId: i.sampleId };
    }),
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
