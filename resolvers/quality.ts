import type { InspectionResolvers, IsolocitySpecification, LotResolvers, NcrResolvers, PartResolvers } from '../src/generated/resolvers.generated.js';
import { toGlobalId } from '../src/model/global-id.js';
import { vendorRecord } from '../src/vendor-api/node.js';
import { inspectionsOfPart, ncrsOfPart, partById } from '../src/lists/store-relations.js';

export const Part: PartResolvers = {
  id: (part) => toGlobalId('Part', part.vendor, part.vendorId),
  sku: (part, _args, ctx) => ({ code: ctx.crosswalk.toCanonical('ISOLOCITY', part.identification), knownName: part.name }),
  // From the store once ISOlocity's inspections and NCRs are synced (one query per batch of parts), else live.
  inspections: (part, _args, ctx) => inspectionsOfPart(ctx, part.vendorId),
  ncrs: (part, _args, ctx) => ncrsOfPart(ctx, part.vendorId),
};

/** A lot's QA records: inspections from the index, NCRs by ISOlocity's keyword filter (cached per lot). */
export const Lot: LotResolvers = {
  inspections: (lot, _args, ctx) => ctx.loaders.inspectionsOfLot(lot.number),
  ncrs: (lot, _args, ctx) => ctx.loaders.ncrsOfLot(lot.number),
  // HAPIHub states lot expiry on its transactions' items; the others document none.
  expiresAt: (lot, _args, ctx) => ctx.loaders.lotExpiry(lot.number),
};

export const Inspection: InspectionResolvers = {
  id: (inspection) => toGlobalId('Inspection', inspection.vendor, inspection.vendorId),
  part: (inspection, _args, ctx) => (inspection.partVendorId === null ? null : partById(ctx, inspection.partVendorId)),
  // The generated `IsolocitySpecification` ("View information for a particular specification"), once per request.
  specification: (inspection, _args, ctx) => (inspection.specificationVendorId ? vendorRecord<IsolocitySpecification>('IsolocitySpecification', 'isolocity', inspection.specificationVendorId, ctx) : null),
};

export const Ncr: NcrResolvers = {
  id: (ncr) => toGlobalId('Ncr', ncr.vendor, ncr.vendorId),
  part: (ncr, _args, ctx) => (ncr.partVendorId === null ? null : partById(ctx, ncr.partVendorId)),
  // Records stored before these fields existed lack them (src/model/records.ts).
  immediateAction: (ncr) => ncr.immediateAction ?? null,
  rootCauseDetermined: (ncr) => ncr.rootCauseDetermined ?? null,
  hasIncompleteActionItems: (ncr) => ncr.hasIncompleteActionItems ?? null,
};
