import { opsError } from '../errors.js';
import type { GatewayContext } from '../server/context.js';
import { at, badResponse, executeOperation, type Input, type PageQuery } from './execute.js';
import type { Paging, VendorOperation } from './types.js';

export interface Connection {
  edges: { cursor: string; node: unknown }[];
  nodes: unknown[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

/** Page sizes when the client gives no `first`; a vendor without a size parameter serves its own. */
const DEFAULT_FIRST = 50;
/** ISOlocity's page size when a list takes no `per_page` (docs/vendors/isolocity.md "Paging"). */
const VENDOR_DEFAULT_SIZE = 50;

/**
 * A Relay connection over one vendor list, on the vendor's own paging (one vendor page per GraphQL page):
 * - `page` (ISOlocity `page`/`per_page`, Distru `page[number]`/`page[size]`): cursors name the vendor page (numberedPage);
 * - `offset` (HAPIHub `$skip`/`$limit`): cursors are positions;
 * - `cursor` (Pharus `cursor`/`limit` → `nextCursor`): cursors are the vendor's cursor plus an offset
 *   into the page it opens.
 * Cursors are opaque, tagged with the operation, and refused (BAD_USER_INPUT) on another list.
 */
export async function connectionOf(op: VendorOperation, input: Input, ctx: GatewayContext, first: number | null | undefined, after: string | null | undefined): Promise<Connection> {
  const paging = op.paging as Exclude<Paging, { style: 'none' }>;
  const max = 'maxSize' in paging ? paging.maxSize : 500;
  const size = first ?? Math.min(DEFAULT_FIRST, max);
  if (!Number.isInteger(size) || size < 1 || size > max) throw opsError(`first: must be between 1 and ${max} (${op.vendor}'s largest page)`, { code: 'BAD_USER_INPUT', field: 'first', vendor: op.vendor });
  const start = decodeCursor(op, after ?? null);
  if (paging.style === 'cursor') {
    if (typeof start === 'object' && 'p' in start) throw notACursor(op);
    return cursorPage(op, paging, input, ctx, size, start);
  }
  const pos = typeof start === 'number' ? start : 0;
  const rows: unknown[] = [];
  let total: number | null = null;
  let more = false;
  if (paging.style === 'offset') {
    const body = await executeOperation(op, input, ctx, [[paging.skip, String(pos)], [paging.size, String(size)]]);
    const items = itemsOf(op, body);
    rows.push(...items);
    total = totalOf(body, 'total');
    more = total !== null ? pos + items.length < total : items.length === size;
  } else {
    return numberedPage(op, paging, input, ctx, size, typeof start === 'object' && 'p' in start ? start : null);
  }
  const edges = rows.map((node, i) => ({ cursor: encodeCursor(op, pos + i + 1), node }));
  return finish(edges, more, total, pos > 0);
}

/**
 * Numbered pages (ISOlocity `page`/`per_page`, Distru `page[number]`/`page[size]`). A vendor may serve
 * fewer rows than asked (Distru caps `page[size]` silently, seed README), so a cursor names the vendor
 * page, the rows of it already given and the size asked — never a position computed from the size
 * asked — and the next GraphQL page asks the same size again, so the vendor's page boundaries stay put.
 * One vendor page per GraphQL page: a page the vendor served short gives fewer rows than `first`
 * (Relay allows it) rather than a second call that the next GraphQL page would read again.
 */
async function numberedPage(op: VendorOperation, paging: Extract<Paging, { style: 'page' }>, input: Input, ctx: GatewayContext, size: number, start: PagePosition | null): Promise<Connection> {
  const pageSize = start?.s ?? (paging.size ? size : VENDOR_DEFAULT_SIZE);
  const page = start?.p ?? 1;
  const skip = start?.o ?? 0;
  let given = start?.n ?? 0;
  const query: [string, string][] = [[paging.page, String(page)]];
  if (paging.size) query.push([paging.size, String(pageSize)]);
  const body = await executeOperation(op, input, ctx, query);
  const items = itemsOf(op, body);
  const taken = items.slice(skip, skip + size);
  const edges = taken.map((node, i) => ({ cursor: encodeCursor(op, { p: page, o: skip + i + 1, s: pageSize, n: ++given }), node }));
  const total = totalOf(at(body, paging.meta ?? ''), 'total');
  const restOfPage = items.length > skip + taken.length;
  const next = paging.next ? (at(body, paging.next) ?? at(body, `${paging.next}_url`)) : undefined;
  const nextPage = total !== null ? given < total : paging.next ? typeof next === 'string' && next !== '' : items.length >= pageSize;
  // The page is used up: the last row's cursor opens the next page rather than this one again.
  if (!restOfPage && nextPage && edges.length > 0) edges[edges.length - 1]!.cursor = encodeCursor(op, { p: page + 1, o: 0, s: pageSize, n: given });
  return finish(edges, restOfPage || nextPage, total, start !== null && start.n > 0);
}

async function cursorPage(op: VendorOperation, paging: Extract<Paging, { style: 'cursor' }>, input: Input, ctx: GatewayContext, size: number, start: number | { c: string | null; o: number }): Promise<Connection> {
  const { c, o } = typeof start === 'number' ? { c: null, o: 0 } : start;
  const query: PageQuery = [...(c ? [[paging.cursor, c] as const] : []), [paging.size, String(size + o)]];
  const body = await executeOperation(op, input, ctx, query);
  const items = itemsOf(op, body);
  const rows = items.slice(o, o + size);
  const next = at(body, paging.next);
  const restOfPage = items.length > o + size;
  const edges = rows.map((node, i) => ({ cursor: encodeCursor(op, { c, o: o + i + 1 }), node }));
  const more = restOfPage || (typeof next === 'string' && next !== '');
  if (edges.length > 0 && !restOfPage && typeof next === 'string' && next !== '') edges[edges.length - 1]!.cursor = encodeCursor(op, { c: next, o: 0 });
  return finish(edges, more, null, c !== null || o > 0);
}

function finish(edges: Connection['edges'], more: boolean, total: number | null, hasPrevious: boolean): Connection {
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: more, hasPreviousPage: hasPrevious, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
    totalCount: total,
  };
}

/** The rows of a list answer: at `items` of the body, or the body itself when it is a bare array (HAPIHub). */
export function itemsOf(op: VendorOperation, body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  const items = at(body, op.paging?.items ?? 'data');
  if (!Array.isArray(items)) throw badResponse(op, `no list at "${op.paging?.items ?? 'data'}"`);
  return items;
}

function totalOf(value: unknown, key: string): number | null {
  const total = at(value, key);
  const n = typeof total === 'string' ? Number(total) : total;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** Where a numbered-page connection stands: vendor page `p`, rows of it given `o`, size asked `s`, rows given in all `n`. */
interface PagePosition {
  p: number;
  o: number;
  s: number;
  n: number;
}

function encodeCursor(op: VendorOperation, value: number | { c: string | null; o: number } | PagePosition): string {
  return Buffer.from(JSON.stringify([op.vendor, op.operationId, value]), 'utf8').toString('base64url');
}

function decodeCursor(op: VendorOperation, cursor: string | null): number | { c: string | null; o: number } | PagePosition {
  if (cursor === null) return 0;
  try {
    const [vendor, operationId, value] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown, unknown];
    if (vendor === op.vendor && operationId === op.operationId) {
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
      if (value && typeof value === 'object') {
        const { c, o, p, s, n } = value as { c?: unknown; o?: unknown; p?: unknown; s?: unknown; n?: unknown };
        const count = (x: unknown, min: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min;
        if (count(p, 1) && count(o, 0) && count(s, 1) && count(n, 0)) return { p, o, s, n };
        if ((c === null || typeof c === 'string') && typeof o === 'number' && Number.isInteger(o) && o >= 0) return { c, o };
      }
    }
  } catch {
    // falls through to the error below
  }
  throw notACursor(op);
}

function notACursor(op: VendorOperation) {
  return opsError(`after: not a cursor of ${op.vendor} ${op.graphql.field}`, { code: 'BAD_USER_INPUT', field: 'after', vendor: op.vendor });
}
