import type { InspectionResolvers, NcrResolvers, PartResolvers } from '../src/generated/resolvers.generated.js';
import { toGlobalId } from '../src/model/global-id.js';

export const Part: PartResolvers = {
  id: (part) => toGlobalId('Part', part.vendor, part.vendorId),
  sku: (part, _args, ctx) => ({ code: ctx.crosswalk.toCanonical('ISOLOCITY', part.identification), knownName: part.name }),
  inspections: (part, _args, ctx) => ctx.loaders.inspectionsOfPart(part.vendorId),
  ncrs: (part, _args, ctx) => ctx.loaders.ncrsOfPart(part.vendorId),
};

export const Inspection: InspectionResolvers = {
  id: (inspection) => toGlobalId('Inspection', inspection.vendor, inspection.vendorId),
  part: (inspection, _args, ctx) => (inspection.partVendorId === null ? null : ctx.loaders.part(inspection.partVendorId)),
};

export const Ncr: NcrResolvers = {
  id: (ncr) => toGlobalId('Ncr', ncr.vendor, ncr.vendorId),
  part: (ncr, _args, ctx) => (ncr.partVendorId === null ? null : ctx.loaders.part(ncr.partVendorId)),
};
