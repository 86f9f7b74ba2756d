import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseDateRange, type DateRange } from './datetime.js';

/**
 * List query parameters (seed 002: every list takes `page`, the date filters `from,to`, some take
 * `status[]`, `order_id[]`, `grouping[]`, `product_ids[]`). Keys arrive as sent: `page[number]`,
 * `status[]` (the framework does not expand brackets).
 */

/** When no `page[size]` is sent (seed 002, "PageWithSize" example: size 100). */
export const DEFAULT_PAGE_SIZE = 100;

const pageInt = z
  .string()
  .regex(/^\d+$/, 'must be a positive integer')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be a positive integer').max(1_000_000, 'is too large'));

export const dateRange = z.string().transform((value, ctx): DateRange => {
  const range = parseDateRange(value);
  if (!range) {
    ctx.addIssue({ code: 'custom', message: 'must be a range "from,to" of ISO-8601 datetimes (either end may be empty)' });
    return z.NEVER;
  }
  return range;
});

/** A repeated `key[]` parameter: one value arrives as a string, several as an array. */
export function arrayParam<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.enum(values)));
}

export const stringArrayParam = (item: z.ZodString) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(item));

/** The schema of one list endpoint's query: paging, its date filters, and its own extra parameters. */
export function listQuery<const D extends readonly string[], E extends z.ZodRawShape>(dateFilters: D, extra: E) {
  const dates = Object.fromEntries(dateFilters.map((name) => [name, dateRange.optional()])) as { [K in D[number]]: z.ZodOptional<typeof dateRange> };
  return z
    .object({
      'page[number]': pageInt.optional(),
      'page[size]': pageInt.optional(),
      ...dates,
      ...extra,
    })
    .strict();
}

export interface Paging {
  number: number;
  size: number;
}

/** Page number and size; a size above the endpoint's maximum is lowered to it, as Distru does. */
export function paging(query: { 'page[number]'?: number | undefined; 'page[size]'?: number | undefined }, maxSize: number): Paging {
  return { number: query['page[number]'] ?? 1, size: Math.min(query['page[size]'] ?? DEFAULT_PAGE_SIZE, maxSize) };
}

/**
 * One page of the records that pass `keep`, walking `source` in its order (no sort per request)
 * and stopping one record past the page to learn whether another page exists.
 */
export function takePage<T>(source: Iterable<T>, keep: (record: T) => boolean, page: Paging): { records: T[]; more: boolean } {
  const skip = (page.number - 1) * page.size;
  const records: T[] = [];
  let seen = 0;
  for (const record of source) {
    if (!keep(record)) continue;
    if (seen++ < skip) continue;
    if (records.length === page.size) return { records, more: true };
    records.push(record);
  }
  return { records, more: false };
}

/**
 * The list body: `{data}`, plus `next_page` — the URL of the next page, the same query with
 * `page[number]` one higher — exactly when another page exists (seed README, "What else is known").
 */
export function listBody(request: FastifyRequest, data: unknown[], page: Paging, more: boolean): { data: unknown[]; next_page?: string } {
  if (!more) return { data };
  const [path = '/', rawQuery = ''] = request.url.split('?', 2);
  const kept = rawQuery.split('&').filter((part) => part !== '' && safeDecode(part.split('=', 1)[0] ?? '') !== 'page[number]');
  kept.push(`page[number]=${page.number + 1}`);
  const host = request.headers.host ?? `${request.hostname}`;
  return { data, next_page: `${request.protocol}://${host}${path}?${kept.join('&')}` };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
