import type { InspectionResolvers, NcrResolvers, PartResolvers } from '../src/generated/resolvers.generated.js';
import { toGlobalId } from '../src/model/global-id.js';
import { inspectionsOfPart, ncrsOfPart, partById } from '../src/lists/store-relations.js';

export const Part: PartResolvers = {
  id: (part) => toGlobalId('Part', part.vendor, part.vendorId),
  sku: (part, _args, ctx) => ({ code: ctx.crosswalk.toCanonical('ISOLOCITY', part.identification), knownName: part.name }),
  // From the store once ISOlocity's inspections and NCRs are synced (one query per batch of parts), else live.
  inspections: (part, _args, ctx) => inspectionsOfPart(ctx, part.vendorId),
  ncrs: (part, _args, ctx) => ncrsOfPart(ctx, part.vendorId),
};

export const Inspection: InspectionResolvers = {
  id: (inspection) => toGlobalId('Inspection', inspection.vendor, inspection.vendorId),
  part: (inspection, _args, ctx) => (inspection.partVendorId === null ? null : partById(ctx, inspection.partVendorId)),
};

export const Ncr: NcrResolvers = {
  id: (ncr) => toGlobalId('Ncr', ncr.vendor, ncr.vendorId),
  part: (ncr, _args, ctx) => (ncr.partVendorId === null ? null : partById(ctx, ncr.partVendorId)),
};
