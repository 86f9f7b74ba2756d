import type { z } from 'zod';
import type { SourceScope } from '../../cache/scope.js';
import { vendorError } from '../../errors.js';
import type { VendorConnection } from '../../config.js';
import type { VendorHttp } from '../../http/vendor-http.js';
import type { VendorRequest, VendorResponse } from '../../http/types.js';
import { parseVendorBody } from '../parse.js';
import { CONCURRENCY } from './limit.js';
import { mapLimit } from '../map-limit.js';
import { customerSchema, inspectionDetailSchema, inspectionSchema, inventorySchema, ncrSchema, one, orderSchema, page, partSchema, type PageMeta } from './schemas.js';

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

const enc = encodeURIComponent;

/** Every ISOlocity call opsgraph makes, in one place. `route` names a call in errors and traces. */
const ENDPOINTS = {
  parts: { route: 'GET /parts', path: () => '/parts' },
  part: { route: 'GET /parts/:id', path: (id: string) => `/parts/${enc(id)}` },
  inspections: { route: 'GET /inspections', path: () => '/inspections' },
  inspection: { route: 'GET /inspections/:id', path: (id: string) => `/inspections/${enc(id)}` },
  ncrs: { route: 'GET /ncrs', path: () => '/ncrs' },
  ncr: { route: 'GET /ncrs/:id', path: (id: string) => `/ncrs/${enc(id)}` },
  inventory: { route: 'GET /inventory', path: () => '/inventory' },
  orders: { route: 'GET /orders', path: () => '/orders' },
  order: { route: 'GET /orders/:id', path: (id: string) => `/orders/${enc(id)}` },
  customers: { route: 'GET /customers', path: () => '/customers' },
} as const;

/** A write: never retried by VendorHttp (`idempotent: false`), answered raw so writes.ts can map 4xx. */
export interface WriteEndpoint {
  method: 'POST' | 'PATCH' | 'DELETE';
  route: string;
  path: (...ids: string[]) => string;
}

/**
 * Every ISOlocity write opsgraph makes. Updates use PATCH: the document's update bodies are partial
 * (fields left out stay as they are) and the vendor routes updates on PUT and PATCH alike
 * (docs/vendors/isolocity.md, "updates").
 */
export const WRITES = {
  createNcr: { method: 'POST', route: 'POST /ncrs', path: () => '/ncrs' },
  updateNcr: { method: 'PATCH', route: 'PATCH /ncrs/:id', path: (id: string) => `/ncrs/${enc(id)}` },
  createInspection: { method: 'POST', route: 'POST /inspections', path: () => '/inspections' },
  updateInspection: { method: 'PATCH', route: 'PATCH /inspections/:id', path: (id: string) => `/inspections/${enc(id)}` },
  addSample: { method: 'POST', route: 'POST /inspections/:id/samples', path: (id: string) => `/inspections/${enc(id)}/samples` },
  updateSample: {
    method: 'PATCH',
    route: 'PATCH /inspections/:id/samples/:sample_id',
    path: (id: string, sampleId: string) => `/inspections/${enc(id)}/samples/${enc(sampleId)}`,
  },
  deleteSample: {
    method: 'DELETE',
    route: 'DELETE /inspections/:id/samples/:sample_id',
    path: (id: string, sampleId: string) => `/inspections/${enc(id)}/samples/${enc(sampleId)}`,
  },
} as const satisfies Record<string, WriteEndpoint>;

/** Every route pattern above, for logs, metrics and spans (src/http/route-pattern.ts). */
export const ROUTES: readonly string[] = [...Object.values(ENDPOINTS), ...Object.values(WRITES)].map((e) => e.route);

/** The start-up check: the cheapest authenticated read (one part). */
export const PROBE: VendorRequest = { method: 'GET', path: ENDPOINTS.parts.path(), query: [['page', '1'], ['per_page', '1']] };

type Query = ReadonlyArray<readonly [string, string]>;
interface ListCall {
  route: string;
  path: string;
  query?: Query;
}

export interface NcrQuery {
  keyword?: string | null;
  status?: string | null;
  source?: string | null;
}

/** Rows from `offset` on (at most `count`), and how many the whole list holds. */
export interface Range<T> {
  rows: T[];
  total: number;
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
  ) {}

  getPart = (id: string) => this.getOne(ENDPOINTS.part.route, ENDPOINTS.part.path(id), partSchema);
  getInspection = (id: string) => this.getOne(ENDPOINTS.inspection.route, ENDPOINTS.inspection.path(id), inspectionSchema);
  /** The inspection with its sample records (the list rows carry them too, but the index keeps no samples). */
  getInspectionDetail = (id: string) => this.getOne(ENDPOINTS.inspection.route, ENDPOINTS.inspection.path(id), inspectionDetailSchema);
  getNcr = (id: string) => this.getOne(ENDPOINTS.ncr.route, ENDPOINTS.ncr.path(id), ncrSchema);
  getOrder = (id: string) => this.getOne(ENDPOINTS.order.route, ENDPOINTS.order.path(id), orderSchema);

  /** Every part: one call per page of PER_PAGE. */
  allParts = () => this.readAll(list(ENDPOINTS.parts), partSchema);
  allInspections = () => this.readAll(list(ENDPOINTS.inspections), inspectionSchema);
  allNcrs = () => this.readAll(list(ENDPOINTS.ncrs), ncrSchema);
  allInventory = () => this.readAll(list(ENDPOINTS.inventory), inventorySchema);
  allCustomers = () => this.readAll(list(ENDPOINTS.customers), customerSchema);
  /** Inventory of one part (`part_id` filter): usually one call. */
  inventoryOfPart = (partId: string) => this.readAll(list(ENDPOINTS.inventory, [['part_id', partId]]), inventorySchema);
  /** NCRs matching a keyword (number, lot or description): usually one call. */
  ncrsMatching = (keyword: string) => this.readAll(list(ENDPOINTS.ncrs, [['keyword', keyword]]), ncrSchema);

  partsRange = (offset: number, count: number) => this.readRange(list(ENDPOINTS.parts), partSchema, offset, count);
  inspectionsRange = (offset: number, count: number) => this.readRange(list(ENDPOINTS.inspections), inspectionSchema, offset, count);
  ordersRange = (offset: number, count: number) => this.readRange(list(ENDPOINTS.orders), orderSchema, offset, count);
  ncrsRange = (filter: NcrQuery, offset: number, count: number) => {
    const query: [string, string][] = [];
    for (const key of ['keyword', 'status', 'source'] as const) {
      const value = filter[key];
      if (value) query.push([key, value]);
    }
    return this.readRange(list(ENDPOINTS.ncrs, query), ncrSchema, offset, count);
  };

  /** Sends one write as it is; the caller reads the status (writes.ts maps 404/409/422 and 403). */
  send(endpoint: WriteEndpoint, ids: readonly string[], body?: unknown): Promise<VendorResponse> {
    return this.http.request({ method: endpoint.method, path: endpoint.path(...ids), ...(body === undefined ? {} : { body }), idempotent: false }, this.scope.call);
  }

  private async getOne<S extends z.ZodType>(route: string, path: string, row: S): Promise<z.output<S> | null> {
    const res = await this.http.request({ method: 'GET', path }, this.scope.call);
    if (res.status === 404) return null;
    assertOk(route, res.status);
    // `data` was parsed by `row` just now; TypeScript cannot see through the generic envelope.
    return parseVendorBody('isolocity', route, one(row), res.body).data as z.output<S>;
  }

  private async fetchPage<S extends z.ZodType>(call: ListCall, row: S, pageNumber: number, perPage: number): Promise<{ rows: z.output<S>[]; meta: PageMeta }> {
    const query: Query = [...(call.query ?? []), ['page', String(pageNumber)], ['per_page', String(perPage)]];
    const res = await this.http.request({ method: 'GET', path: call.path, query }, this.scope.call);
    assertOk(call.route, res.status);
    const body = parseVendorBody('isolocity', call.route, page(row), res.body);
    return { rows: body.data, meta: body.meta };
  }

  /** Every page of a list: the first tells how many there are, the rest are read CONCURRENCY at a time. */
  private async readAll<S extends z.ZodType>(call: ListCall, row: S): Promise<z.output<S>[]> {
    const first = await this.fetchPage(call, row, 1, PER_PAGE);
    const rest = Array.from({ length: Math.max(0, first.meta.last_page - 1) }, (_, i) => i + 2);
    const pages = await mapLimit(rest, CONCURRENCY, (n) => this.fetchPage(call, row, n, first.meta.per_page));
    return [first.rows, ...pages.map((p) => p.rows)].flat();
  }

  /**
   * The rows at positions [offset, offset + count) of a list, read through `page`/`per_page`. The
   * page size the vendor really used (`meta.per_page`) decides which pages hold them, so a vendor
   * with a lower maximum than PER_PAGE is still read right. Usually one call.
   */
  private async readRange<S extends z.ZodType>(call: ListCall, row: S, offset: number, count: number): Promise<Range<z.output<S>>> {
    const rows: z.output<S>[] = [];
    let perPage = PER_PAGE;
    let total = Infinity;
    let position = offset;
    while (rows.length < count && position < total) {
      const pageNumber = Math.floor(position / perPage) + 1;
      const { rows: pageRows, meta } = await this.fetchPage(call, row, pageNumber, perPage);
      total = meta.total;
      if (meta.per_page !== perPage) {
        // The vendor cut the page size: plan again with its size (the page just read is not used).
        perPage = meta.per_page;
        continue;
      }
      const start = position - (pageNumber - 1) * perPage;
      const taken = pageRows.slice(start, start + (count - rows.length));
      if (taken.length === 0) break;
      rows.push(...taken);
      position += taken.length;
    }
    return { rows, total: Number.isFinite(total) ? total : 0 };
  }
}

function list(endpoint: { route: string; path: () => string }, query?: Query): ListCall {
  return query ? { route: endpoint.route, path: endpoint.path(), query } : { route: endpoint.route, path: endpoint.path() };
}

function assertOk(route: string, status: number): void {
  if (status >= 200 && status < 300) return;
  throw vendorError('isolocity', 'VENDOR_BAD_RESPONSE', `${route} answered ${status}`);
}
