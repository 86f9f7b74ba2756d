import type { InspectionRecord, NcrRecord, PartRecord } from '../../model/records.js';
import { closedSet, instantFilter, oneOfFilter, rangeFilter, refuse, textFilter, vendorsFilter } from '../filter-rules.js';
import type { ListContext, ListSpec, RowFilter } from '../list-spec.js';
import { partKeysOfCode } from '../part-keys.js';

/** `PartFilter`, `InspectionFilter`, `NcrFilter` (schema/quality.graphql). */
export interface PartListFilter {
  identification?: string | null;
  updatedSince?: string | null;
}
export interface InspectionListFilter {
  lotNumber?: string | null;
  skuCode?: string | null;
  inspectedAt?: { from?: string | null; to?: string | null } | null;
  updatedSince?: string | null;
}
export interface NcrListFilter {
  status?: string | null;
  source?: string | null;
  lotNumber?: string | null;
  number?: string | null;
  skuCode?: string | null;
  createdAt?: { from?: string | null; to?: string | null } | null;
  updatedSince?: string | null;
}

/** ISOlocity NCR status and source values (docs/vendors/isolocity.md, "NCRs": any case on filters). */
const NCR_STATUSES = closedSet(['Open', 'Closed']);
const NCR_SOURCES = closedSet(['internal', 'customer', 'supplier']);

function isolocity(ctx: ListContext, field: string) {
  return vendorsFilter(null, ['ISOLOCITY'], ctx, `${field}.vendors`);
}

function since(value: string | null | undefined, field: string): RowFilter {
  const updatedSince = instantFilter(value, `${field}.updatedSince`);
  return updatedSince !== undefined ? { updatedSince } : {};
}

export const partsList: ListSpec<PartListFilter, PartRecord> = {
  name: 'parts',
  relation: 'parts',
  vendors: ['ISOLOCITY'],
  orderFields: ['NUMBER', 'UPDATED'],
  defaultOrder: { field: 'NUMBER', direction: 'ASC' },
  plan(filter, ctx, field) {
    const vendors = isolocity(ctx, field);
    const identification = textFilter(filter?.identification, `${field}.identification`);
    return { parts: [{ vendors, ...(identification !== undefined ? { number: identification } : {}), ...since(filter?.updatedSince, field) }], empty: vendors.length === 0 };
  },
  node: (_vendor, _key, data) => data as PartRecord,
};

export const inspectionsList: ListSpec<InspectionListFilter, InspectionRecord> = {
  name: 'inspections',
  relation: 'inspections',
  vendors: ['ISOLOCITY'],
  orderFields: ['TIME', 'UPDATED'],
  defaultOrder: { field: 'TIME', direction: 'DESC' },
  plan(filter, ctx, field) {
    const vendors = isolocity(ctx, field);
    const lot = textFilter(filter?.lotNumber, `${field}.lotNumber`);
    const sku = textFilter(filter?.skuCode, `${field}.skuCode`);
    const base: RowFilter = { vendors, ...rangeFilter(filter?.inspectedAt, `${field}.inspectedAt`), ...since(filter?.updatedSince, field), ...(lot !== undefined ? { tag: { kind: 'lot' as const, value: lot } } : {}) };
    if (sku === undefined) return { parts: [base], empty: vendors.length === 0 };
    return partKeysOfCode(ctx, sku).then((parentKeys) => ({ parts: [{ ...base, parentKeys }], empty: vendors.length === 0 || parentKeys.length === 0 }));
  },
  node: (_vendor, _key, data) => data as InspectionRecord,
};

export const ncrsList: ListSpec<NcrListFilter, NcrRecord> = {
  name: 'ncrs',
  relation: 'ncrs',
  vendors: ['ISOLOCITY'],
  orderFields: ['TIME', 'NUMBER', 'UPDATED'],
  defaultOrder: { field: 'TIME', direction: 'DESC' },
  plan(filter, ctx, field) {
    const vendors = isolocity(ctx, field);
    const status = filter?.status ? oneOfFilter([filter.status], NCR_STATUSES, `${field}.status`) : undefined;
    if (filter?.status === '') throw refuse(`${field}.status`, 'must not be empty (leave it out to match all)');
    const source = filter?.source ? oneOfFilter([filter.source], NCR_SOURCES, `${field}.source`)?.[0] : undefined;
    if (filter?.source === '') throw refuse(`${field}.source`, 'must not be empty (leave it out to match all)');
    const lot = textFilter(filter?.lotNumber, `${field}.lotNumber`);
    const number = textFilter(filter?.number, `${field}.number`);
    const sku = textFilter(filter?.skuCode, `${field}.skuCode`);
    const base: RowFilter = {
      vendors,
      ...(status ? { statuses: status } : {}),
      ...(number !== undefined ? { number } : {}),
      ...(lot !== undefined ? { tag: { kind: 'lot' as const, value: lot } } : {}),
      ...rangeFilter(filter?.createdAt, `${field}.createdAt`),
      ...since(filter?.updatedSince, field),
    };
    // ISOlocity's sources are spelled in several cases (docs/vendors/isolocity.md): compared without case, after reading.
    const residual = source === undefined ? undefined : (ncr: NcrRecord) => (ncr.source ?? '').toLowerCase() === source;
    const planned = (parentKeys?: string[]) => ({
      parts: [{ ...base, ...(parentKeys ? { parentKeys } : {}) }],
      ...(residual ? { residual } : {}),
      empty: vendors.length === 0 || (parentKeys !== undefined && parentKeys.length === 0),
    });
    return sku === undefined ? planned() : partKeysOfCode(ctx, sku).then(planned);
  },
  node: (_vendor, _key, data) => data as NcrRecord,
};
