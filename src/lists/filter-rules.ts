import { opsError, quoteInput } from '../errors.js';
import type { Vendor } from '../model/records.js';
import { toSortTime, type RowQuery } from '../sync/record-store.js';
import type { ListContext, RowFilter } from './list-spec.js';

/**
 * Checks shared by every list filter. Each refuses with BAD_USER_INPUT naming the argument path
 * (`filter.customer`), before the store is read; values are quoted back cut to 100 characters.
 */

/** Codes, numbers and names are quoted back in messages, so 100 characters as elsewhere (docs/gateway.md). */
const MAX_TEXT = 100;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function refuse(field: string, why: string) {
  return opsError(`${field}: ${why}`, { code: 'BAD_USER_INPUT', field });
}

/** A text filter: trimmed; empty, over-long or control characters are refused; absent stays absent. */
export function textFilter(value: string | null | undefined, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') throw refuse(field, 'must not be empty (leave it out to match all)');
  if (trimmed.length > MAX_TEXT) throw refuse(field, `at most ${MAX_TEXT} characters, got ${trimmed.length}`);
  if (CONTROL.test(trimmed)) throw refuse(field, 'must not contain control characters');
  return trimmed;
}

/**
 * Values from a closed set, matched without regard to case and answered in the spelling the store
 * holds (`allowed` maps lower case to it). An unknown value is refused, naming the known ones.
 */
export function oneOfFilter(values: readonly string[] | null | undefined, allowed: ReadonlyMap<string, string>, field: string): string[] | undefined {
  if (values === null || values === undefined || values.length === 0) return undefined;
  if (values.length > 50) throw refuse(field, `at most 50 values, got ${values.length}`);
  return [
    ...new Set(
      values.map((value) => {
        const found = allowed.get(value.trim().toLowerCase());
        if (found === undefined) throw refuse(field, `unknown value ${quoteInput(value)}; one of ${[...new Set(allowed.values())].join(', ')}`);
        return found;
      }),
    ),
  ];
}

/** A closed set keyed by lower case: `closedSet(['Open', 'Closed'])`. */
export function closedSet(values: readonly string[]): ReadonlyMap<string, string> {
  return new Map(values.map((v) => [v.toLowerCase(), v]));
}

/** An instant (already a canonical DateTime from the scalar, or an export parameter) as store sort text. */
export function instantFilter(value: string | null | undefined, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const sort = toSortTime(value);
  if (sort === '') throw refuse(field, `expected an ISO-8601 date-time such as "2026-06-01T10:32:05Z", got ${quoteInput(value)}`);
  return sort;
}

/** `{ from, to }` on the list's own time: from inclusive, to exclusive; an empty or inverted range is refused. */
export function rangeFilter(range: { from?: string | null; to?: string | null } | null | undefined, field: string): Pick<RowQuery, 'sortFrom' | 'sortTo'> {
  if (!range) return {};
  const sortFrom = instantFilter(range.from, `${field}.from`);
  const sortTo = instantFilter(range.to, `${field}.to`);
  if (sortFrom !== undefined && sortTo !== undefined && sortFrom >= sortTo) throw refuse(field, '`from` must be before `to` (from is inclusive, to exclusive)');
  return { ...(sortFrom !== undefined ? { sortFrom } : {}), ...(sortTo !== undefined ? { sortTo } : {}) };
}

/**
 * The vendors a list reads: those asked for (all the list holds when none), refusing a vendor that
 * does not hold the list; a configured-vendor check as every list makes (an unconfigured vendor is
 * skipped and reported in `extensions.skippedVendors`).
 */
export function vendorsFilter(requested: readonly string[] | null | undefined, holders: readonly Vendor[], ctx: ListContext, field: string): Vendor[] {
  const asked = requested && requested.length > 0 ? requested.map((v) => v.trim().toUpperCase()) : holders;
  for (const vendor of asked) {
    if (!holders.includes(vendor as Vendor)) throw refuse(field, `${quoteInput(vendor)} holds none of these; one of ${holders.join(', ')}`);
  }
  const configured = ctx.configuredVendors();
  const wanted = holders.filter((v) => asked.includes(v));
  for (const v of wanted) if (!configured.includes(v)) ctx.noteSkipped(v);
  return wanted.filter((v) => configured.includes(v));
}

/**
 * A SKU-code filter as store filters: the code (canonical or any vendor's spelling) in each
 * vendor's own spelling (the crosswalk), one row filter per distinct spelling, merged by the reader.
 */
export function skuCodeParts(base: RowFilter, vendors: readonly Vendor[], code: string | undefined, ctx: ListContext, kind: 'tag' | 'number' = 'tag'): RowFilter[] {
  if (code === undefined) return [{ ...base, vendors }];
  const canonical = ctx.crosswalk.canonicalOfAny(code);
  const bySpelling = new Map<string, Vendor[]>();
  for (const vendor of vendors) {
    const spelling = ctx.crosswalk.toVendor(vendor, canonical);
    bySpelling.set(spelling, [...(bySpelling.get(spelling) ?? []), vendor]);
  }
  return [...bySpelling].map(([spelling, group]) => (kind === 'tag' ? { ...base, vendors: group, tag: { kind: 'sku' as const, value: spelling } } : { ...base, vendors: group, number: spelling }));
}
