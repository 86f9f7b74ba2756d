import type { InvoiceRecord } from '../../model/records.js';
import { INVOICE_FILTER_VALUES } from '../../vendors/distru/mapping.js';
import { closedSet, instantFilter, oneOfFilter, rangeFilter, textFilter, vendorsFilter } from '../filter-rules.js';
import type { ListSpec } from '../list-spec.js';

/** `InvoiceFilter` (schema/invoices.graphql). */
export interface InvoiceListFilter {
  statuses?: readonly string[] | null;
  customer?: string | null;
  number?: string | null;
  invoicedAt?: { from?: string | null; to?: string | null } | null;
  updatedSince?: string | null;
}

/** Distru's invoice statuses in the words its `status[]` filter takes, as records carry them (docs/vendors/distru.md). */
const STATUSES = closedSet(INVOICE_FILTER_VALUES);

export const invoicesList: ListSpec<InvoiceListFilter, InvoiceRecord> = {
  name: 'invoices',
  relation: 'invoices',
  vendors: ['DISTRU'],
  orderFields: ['TIME', 'NUMBER', 'UPDATED'],
  defaultOrder: { field: 'TIME', direction: 'DESC' },
  plan(filter, ctx, field) {
    const vendors = vendorsFilter(null, ['DISTRU'], ctx, `${field}.vendors`);
    const statuses = oneOfFilter(filter?.statuses, STATUSES, `${field}.statuses`);
    const customer = textFilter(filter?.customer, `${field}.customer`);
    const number = textFilter(filter?.number, `${field}.number`);
    const updatedSince = instantFilter(filter?.updatedSince, `${field}.updatedSince`);
    return {
      parts: [
        {
          vendors,
          ...(statuses ? { statuses } : {}),
          ...(customer !== undefined ? { customer } : {}),
          ...(number !== undefined ? { number } : {}),
          ...rangeFilter(filter?.invoicedAt, `${field}.invoicedAt`),
          ...(updatedSince !== undefined ? { updatedSince } : {}),
        },
      ],
      empty: vendors.length === 0,
    };
  },
  node: (_vendor, _key, data) => data as InvoiceRecord,
};
