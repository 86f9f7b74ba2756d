import type { z } from 'zod';
import type { SourceScope } from '../../cache/scope.js';
import { vendorError } from '../../errors.js';
import type { VendorConnection } from '../../config.js';
import type { VendorHttp } from '../../http/vendor-http.js';
import type { VendorRequest, VendorResponse } from '../../http/types.js';
import { DEFAULT_VENDOR_SETTINGS, type VendorSettings } from '../types.js';
import { parseVendorBody } from '../parse.js';
import { CONCURRENCY } from './limit.js';
import { mapLimit } from '../map-limit.js';
import { customerSchema, inspectionDetailSchema, inspectionSchema, inventorySchema, ncrSchema, one, orderSchema, page, partSchema } from './schemas.js';
import { isolocityEndpoints, type Endpoint, type IsolocityEndpoints, type IsolocityOperation } from './paths.js';

/**
 * What to append to a sandbox's origin to get the base URL a user configures for ISOlocity
 * (`ISOLOCITY_BASE_URL=https://<host>/api/v2`): the paths below are relative to it.
 */
export const SANDBOX_BASE_PATH = '/api/v2';

/** Bearer token on every call (document: "bearerAuth"). */
export function isolocityAuthHeaders(connection: VendorConnection): () => Record<string, string> {
  const headers = { authorization: `Bearer ${connection.token}` };
  return () => headers;
}

/** The page size opsgraph asks for: the sandbox's maximum. A vendor that cuts it is followed through `meta`. */
export const PER_PAGE = 200;

/** A write: never retried by VendorHttp (`idempotent: false`), answered raw so writes.ts can map 4xx. */
export type WriteEndpoint = Endpoint<'POST' | 'PUT' | 'PATCH' | 'DELETE'>;

/** Reading a list that never ends (a vendor ignoring `page`) stops here with VENDOR_BAD_RESPONSE. */
export const MAX_PAGES = 100_000;

const DEFAULT_ENDPOINTS = isolocityEndpoints();

/** Every route pattern of the paths table in use, for logs, metrics and spans (src/http/route-pattern.ts). */
export function isolocityRoutes(settings: VendorSettings = DEFAULT_VENDOR_SETTINGS): readonly string[] {
  return Object.values(endpointsOf(settings)).map((e) => e.route);
}

/** The start-up check: the cheapest authenticated read (one part), on the paths table in use. */
export function isolocityProbe(settings: VendorSettings = DEFAULT_VENDOR_SETTINGS): VendorRequest {
  return { method: 'GET', path: endpointsOf(settings).listParts.path(), query: [['page', '1'], ['per_page', '1']] };
}

function endpointsOf(settings: VendorSettings): IsolocityEndpoints {
  return settings.isolocity.paths ? isolocityEndpoints(settings.isolocity.paths) : DEFAULT_ENDPOINTS;
}

type ListOperation = Extract<IsolocityOperation, `list${string}`>;
type Query = ReadonlyArray<readonly [string, string]>;
export interface ListCall {
  route: string;
  path: string;
  query?: Query;
}

export interface NcrQuery {
  keyword?: string | null;
  status?: string | null;
  source?: string | null;
}

/** Rows from `offset` on (at most `count`), and whether the list goes on after them. */
export interface Range<T> {
  rows: T[];
  more: boolean;
}

/** One page as read: its rows, the page size the vendor used, the next page's number (null after the last). */
export interface Page<T> {
  rows: T[];
  perPage: number;
  next: number | null;
  /** How many pages the list has, when the meta says (`total`, else `last_page`). */
  pageCount: number | null;
}

/**
 * One GraphQL request's view of ISOlocity: one method per vendor call, each returning the parsed
 * body. A 404 on a by-id read is `null`; any other 4xx is VENDOR_BAD_RESPONSE; VendorHttp's own
 * errors (5xx, timeouts, 401…) pass through unchanged.
 */
export class IsolocityClient {
  constructor(
    private readonly http: VendorHttp,
    private readonly scope: SourceScope,
    /** The paths table (ISOLOCITY_PATHS_FILE, else DEFAULT_ISOLOCITY_PATHS). */
    readonly endpoints: IsolocityEndpoints = DEFAULT_ENDPOINTS,
  ) {}

  getPart = (id: string) => this.getOne(this.endpoints.getPart, id, partSchema);
  getInspection = (id: string) => this.getOne(this.endpoints.getInspection, id, inspectionSchema);
  /** The inspection with its sample records (the list rows carry them too, but the index keeps no samples). */
  getInspectionDetail = (id: string) => this.getOne(this.endpoints.getInspection, id, inspectionDetailSchema);
  getNcr = (id: string) => this.getOne(this.endpoints.getNcr, id, ncrSchema);
  getOrder = (id: string) => this.getOne(this.endpoints.getOrder, id, orderSchema);

  /** Every part: one call per page of PER_PAGE. */
  allParts = () => this.readAll(this.list('listParts'), partSchema);
  allInspections = () => this.readAll(this.list('listInspections'), inspectionSchema);
  allNcrs = () => this.readAll(this.list('listNcrs'), ncrSchema);
  /** `onPageCount`: told how many pages the whole list takes as soon as its first page says, before the rest are read. */
  allInventory = (onPageCount?: (pages: number) => void) => this.readAll(this.list('listInventory'), inventorySchema, onPageCount);
  allCustomers = () => this.readAll(this.list('listCustomers'), customerSchema);
  /** Inventory of one part (`part_id` filter): usually one call. */
  inventoryOfPart = (partId: string) => this.readAll(this.list('listInventory', [['part_id', partId]]), inventorySchema);
  /** NCRs matching a keyword (number, lot or description): usually one call. */
  ncrsMatching = (keyword: string) => this.readAll(this.list('listNcrs', [['keyword', keyword]]), ncrSchema);

  partsRange = (offset: number, count: number) => this.readRange(this.list('listParts'), partSchema, offset, count);
  inspectionsRange = (offset: number, count: number) => this.readRange(this.list('listInspections'), inspectionSchema, offset, count);
  ordersRange = (offset: number, count: number) => this.readRange(this.list('listOrders'), orderSchema, offset, count);
  ncrsRange = (filter: NcrQuery, offset: number, count: number) => {
    const query: [string, string][] = [];
    for (const key of ['keyword', 'status', 'source'] as const) {
      const value = filter[key];
      if (value) query.push([key, value]);
    }
    return this.readRange(this.list('listNcrs', query), ncrSchema, offset, count);
  };

  /** Sends one write as it is; the caller reads the status (writes.ts maps 404/409/422 and 403). */
  send(endpoint: WriteEndpoint, ids: readonly string[], body?: unknown): Promise<VendorResponse> {
    return this.http.request({ method: endpoint.method, path: endpoint.path(...ids), ...(body === undefined ? {} : { body }), idempotent: false }, this.scope.call);
  }

  /**
   * One page of a list and the number of the next (null after the last). The next page exists
   * when `total` says rows remain past this page, else when `last_page` is beyond it, else — a
   * meta with neither — when this page came full (a short or empty page is the last).
   */
  async readPage<S extends z.ZodType>(call: ListCall, row: S, pageNumber: number, perPage: number): Promise<Page<z.output<S>>> {
    const query: Query = [...(call.query ?? []), ['page', String(pageNumber)], ['per_page', String(perPage)]];
    const res = await this.http.request({ method: 'GET', path: call.path, query }, this.scope.call);
    assertOk(call.route, res.status);
    const body = parseVendorBody('isolocity', call.route, page(row), res.body);
    const meta = body.meta ?? {};
    if (meta.current_page !== null && meta.current_page !== undefined && meta.current_page !== pageNumber) {
      throw vendorError('isolocity', 'VENDOR_BAD_RESPONSE', `${call.route} answered page ${meta.current_page} when asked for page ${pageNumber}`);
    }
    const rows = body.data as z.output<S>[];
    const served = meta.per_page ?? perPage;
    const pageCount = typeof meta.total === 'number' ? Math.ceil(meta.total / served) : typeof meta.last_page === 'number' ? meta.last_page : null;
    // Neither total nor last_page: a full page may have a successor, a short or empty one has none.
    const more = pageCount !== null ? pageNumber < pageCount : rows.length > 0 && rows.length >= served;
    return { rows, perPage: served, next: more ? pageNumber + 1 : null, pageCount };
  }

  /**
   * Every page of a list. When the first page's meta says how many rows (or pages) there are, the
   * rest are read CONCURRENCY at a time; otherwise one after another until a short or empty page.
   */
  async readAll<S extends z.ZodType>(call: ListCall, row: S, onPageCount?: (pages: number) => void): Promise<z.output<S>[]> {
    const first = await this.readPage(call, row, 1, PER_PAGE);
    if (first.next === null) return first.rows;
    if (first.pageCount !== null) {
      const pageCount = Math.min(first.pageCount, MAX_PAGES);
      onPageCount?.(pageCount);
      const rest = Array.from({ length: pageCount - 1 }, (_, i) => i + 2);
      const pages = await mapLimit(rest, CONCURRENCY, (n) => this.readPage(call, row, n, first.perPage));
      return [first.rows, ...pages.map((p) => p.rows)].flat();
    }
    const rows = [...first.rows];
    for (let next: number | null = first.next; next !== null; ) {
      if (next > MAX_PAGES) throw vendorError('isolocity', 'VENDOR_BAD_RESPONSE', `${call.route} did not end within ${MAX_PAGES} pages`);
      const got: Page<z.output<S>> = await this.readPage(call, row, next, first.perPage);
      rows.push(...got.rows);
      next = got.next;
    }
    return rows;
  }

  /**
   * The rows at positions [offset, offset + count) of a list, read through `page`/`per_page`. The
   * page size the vendor really used (`meta.per_page`) decides which pages hold them: when it cut
   * the size, the rows it sent are kept if they hold the position, and the range is planned again
   * with its size. Usually one call.
   */
  async readRange<S extends z.ZodType>(call: ListCall, row: S, offset: number, count: number): Promise<Range<z.output<S>>> {
    const rows: z.output<S>[] = [];
    let perPage = PER_PAGE;
    let position = offset;
    let more = true;
    // Each pass takes rows or learns the vendor's page size: bounded by the rows wanted plus re-plans.
    for (let pass = 0; rows.length < count && more && pass < count + 4; pass++) {
      const pageNumber = Math.floor(position / perPage) + 1;
      const got = await this.readPage(call, row, pageNumber, perPage);
      const firstRow = (pageNumber - 1) * got.perPage;
      perPage = got.perPage;
      const start = position - firstRow;
      if (start < 0 || (start >= got.rows.length && got.next !== null)) continue;
      const taken = got.rows.slice(start, start + (count - rows.length));
      rows.push(...taken);
      position += taken.length;
      more = got.next !== null || start + taken.length < got.rows.length;
      if (taken.length === 0) break;
    }
    return { rows, more };
  }

  private list(operation: ListOperation, query?: Query): ListCall {
    const endpoint = this.endpoints[operation];
    return query ? { route: endpoint.route, path: endpoint.path(), query } : { route: endpoint.route, path: endpoint.path() };
  }

  private async getOne<S extends z.ZodType>(endpoint: Endpoint, id: string, row: S): Promise<z.output<S> | null> {
    const res = await this.http.request({ method: 'GET', path: endpoint.path(id) }, this.scope.call);
    if (res.status === 404) return null;
    assertOk(endpoint.route, res.status);
    // `data` was parsed by `row` just now; TypeScript cannot see through the generic envelope.
    return parseVendorBody('isolocity', endpoint.route, one(row), res.body).data as z.output<S>;
  }
}

function assertOk(route: string, status: number): void {
  if (status >= 200 && status < 300) return;
  throw vendorError('isolocity', 'VENDOR_BAD_RESPONSE', `${route} answered ${status}`);
}
