import type { z } from 'zod';
import type { SourceScope } from '../../cache/scope.js';
import type { VendorConnection } from '../../config.js';
import { vendorError } from '../../errors.js';
import type { VendorHttp } from '../../http/vendor-http.js';
import type { VendorRequest } from '../../http/types.js';
import { parseVendorBody } from '../parse.js';
import { errorBodySchema, inventorySchema, invoiceSchema, list, locationSchema, one, orderSchema, productSchema, purchaseSchema, type DistruErrorEntry } from './schemas.js';

/**
 * What to append to a sandbox's origin to get the base URL a user configures for Distru
 * (`DISTRU_BASE_URL=https://app.distru.com`): the paths below carry `/public/v1` themselves.
 */
export const SANDBOX_BASE_PATH = '';

/**
 * The configured token is a Distru API token (seed 002, "Getting an API token": minted once from a
 * user session, valid a year), sent as `Authorization: Bearer` as the recorded requests do.
 */
export function distruAuthHeaders(connection: VendorConnection): () => Record<string, string> {
  const headers = { authorization: `Bearer ${connection.token}` };
  return () => headers;
}

const enc = encodeURIComponent;
type Query = (readonly [string, string])[];

/**
 * Every Distru call opsgraph makes, in one place, with the page size it would like: the sandbox's
 * per-endpoint maximum (docs/vendors/distru.md), never more than DISTRU_MAX_PAGE_SIZE. Distru's real
 * maxima are per endpoint and unpublished (its API FAQ) and it lowers a larger size silently, so
 * lists are always followed through `next_page` and ranges continue from the rows really served.
 */
const ENDPOINTS = {
  products: { route: 'GET /public/v1/products', path: '/public/v1/products', pageSize: 500 },
  locations: { route: 'GET /public/v1/locations', path: '/public/v1/locations', pageSize: 500 },
  inventory: { route: 'GET /public/v1/inventory', path: '/public/v1/inventory', pageSize: 1000 },
  orders: { route: 'GET /public/v1/orders', path: '/public/v1/orders', pageSize: 100 },
  order: { route: 'GET /public/v1/orders/:id', path: (id: string) => `/public/v1/orders/${enc(id)}` },
  invoices: { route: 'GET /public/v1/invoices', path: '/public/v1/invoices', pageSize: 100 },
  invoice: { route: 'GET /public/v1/invoices/:id', path: (id: string) => `/public/v1/invoices/${enc(id)}` },
  upsertOrder: { route: 'POST /public/v1/orders', path: '/public/v1/orders' },
  upsertInvoice: { route: 'POST /public/v1/invoices', path: '/public/v1/invoices' },
  upsertPurchase: { route: 'POST /public/v1/purchases', path: '/public/v1/purchases' },
} as const;

/** Every route pattern above, for logs, metrics and spans (src/http/route-pattern.ts). */
export const ROUTES: readonly string[] = Object.values(ENDPOINTS).map((e) => e.route);

/** The start-up check: the cheapest authenticated read (one location). */
export const PROBE: VendorRequest = { method: 'GET', path: ENDPOINTS.locations.path, query: [['page[number]', '1'], ['page[size]', '1']] };

/** A write's answer: the record as Distru now holds it, or Distru's refusal (status and parsed errors). */
export type WriteOutcome<T> = { ok: true; record: T } | { ok: false; status: number; errors: DistruErrorEntry[] };

/** Ids per `product_ids[]` / `order_id[]` call: keeps a URL well under common 8 KB limits (100 UUIDs ≈ 5 KB). */
export const IDS_PER_CALL = 100;

/** Every grouping, so one inventory row is one product at one location in one batch. */
const FULL_GROUPING: Query = [
  ['grouping[]', 'PRODUCT'],
  ['grouping[]', 'LOCATION'],
  ['grouping[]', 'BATCH_NUMBER'],
];

export interface ListCall {
  route: string;
  path: string;
  pageSize: number;
  query?: Query;
}

/** Rows from a position on, and whether the list goes on after them. */
export interface Range<T> {
  rows: T[];
  more: boolean;
}

/** One page as read: its rows and the next page's number (null after the last). */
export interface Page<T> {
  rows: T[];
  next: number | null;
  /** When Distru served the page by its own clock (the HTTP `Date` header, whole seconds); null without one. */
  servedAt: number | null;
}

/** DISTRU_MAX_PAGE_SIZE's default. */
export const DEFAULT_MAX_PAGE_SIZE = 500;

/** Reading a list that never ends (a vendor ignoring `page[number]`) stops here with VENDOR_BAD_RESPONSE. */
export const MAX_PAGES = 100_000;

/**
 * One GraphQL request's view of Distru: one method per vendor call, each returning the parsed body.
 * A 404 on a by-id read is `null`; any other 4xx is VENDOR_BAD_RESPONSE; VendorHttp's own errors
 * (5xx, timeouts, 401, 429…) pass through unchanged.
 */
export class DistruClient {
  constructor(
    private readonly http: VendorHttp,
    private readonly scope: SourceScope,
    /** DISTRU_MAX_PAGE_SIZE: no page is asked larger. */
    private readonly maxPageSize = DEFAULT_MAX_PAGE_SIZE,
  ) {}

  /** 1 call. */
  getOrder = (id: string) => this.getOne(ENDPOINTS.order.route, ENDPOINTS.order.path(id), orderSchema);
  /** 1 call. */
  getInvoice = (id: string) => this.getOne(ENDPOINTS.invoice.route, ENDPOINTS.invoice.path(id), invoiceSchema);

  /** Every product (one call per page of 500), or those updated since a datetime (usually 1 call). */
  allProducts = (updatedSince: string | null = null) =>
    this.readAll({ ...ENDPOINTS.products, query: updatedSince === null ? [] : [['updated_datetime', `${updatedSince},`]] }, productSchema);
  /** Every location: usually 1 call. */
  allLocations = () => this.readAll(ENDPOINTS.locations, locationSchema);

  /** Stock of these products by location and batch: 1 call per IDS_PER_CALL products (more only past 1000 rows). */
  inventoryOf = async (productIds: readonly string[]) => {
    const chunks = chunk(productIds, IDS_PER_CALL);
    const pages = await Promise.all(chunks.map((ids) => this.readAll({ ...ENDPOINTS.inventory, query: [...FULL_GROUPING, ...ids.map((id) => ['product_ids[]', id] as const)] }, inventorySchema)));
    return pages.flat();
  };

  /** Invoices of these orders (seed 002: `order_id[]`): 1 call per IDS_PER_CALL orders (more only past 100 invoices). */
  invoicesOfOrders = async (orderIds: readonly string[]) => {
    const chunks = chunk(orderIds, IDS_PER_CALL);
    const pages = await Promise.all(chunks.map((ids) => this.readAll({ ...ENDPOINTS.invoices, query: ids.map((id) => ['order_id[]', id] as const) }, invoiceSchema)));
    return pages.flat();
  };

  productsRange = (offset: number, count: number) => this.readRange(ENDPOINTS.products, productSchema, offset, count);
  ordersRange = (statuses: readonly string[] | null, offset: number, count: number) =>
    this.readRange({ ...ENDPOINTS.orders, query: (statuses ?? []).map((s) => ['status[]', s] as const) }, orderSchema, offset, count);
  invoicesRange = (statuses: readonly string[] | null, offset: number, count: number) =>
    this.readRange({ ...ENDPOINTS.invoices, query: (statuses ?? []).map((s) => ['status[]', s] as const) }, invoiceSchema, offset, count);

  /**
   * Upserts. Every body opsgraph sends carries an `id` (writes.ts sees to it), so repeating one
   * repeats the same full replacement: the call is marked idempotent and the HTTP layer may retry it.
   */
  upsertOrder = (body: Record<string, unknown>) => this.write(ENDPOINTS.upsertOrder, body, orderSchema);
  upsertInvoice = (body: Record<string, unknown>) => this.write(ENDPOINTS.upsertInvoice, body, invoiceSchema);
  upsertPurchase = (body: Record<string, unknown>) => this.write(ENDPOINTS.upsertPurchase, body, purchaseSchema);

  private async write<S extends z.ZodType>(endpoint: { route: string; path: string }, body: Record<string, unknown>, row: S): Promise<WriteOutcome<z.output<S>>> {
    const res = await this.http.request({ method: 'POST', path: endpoint.path, body, idempotent: true }, this.scope.call);
    if (res.status >= 200 && res.status < 300) return { ok: true, record: parseVendorBody('distru', endpoint.route, one(row), res.body).data as z.output<S> };
    const refusal = errorBodySchema.safeParse(res.body);
    if (!refusal.success) throw vendorError('distru', 'VENDOR_BAD_RESPONSE', `${endpoint.route}: the vendor refused the write (${res.status}) without its error list`, { upstreamStatus: res.status });
    return { ok: false, status: res.status, errors: refusal.data.errors };
  }

  private async getOne<S extends z.ZodType>(route: string, path: string, row: S): Promise<z.output<S> | null> {
    const res = await this.http.request({ method: 'GET', path }, this.scope.call);
    if (res.status === 404) return null;
    assertOk(route, res.status);
    // `data` was parsed by `row` just now; TypeScript cannot see through the generic envelope.
    return parseVendorBody('distru', route, one(row), res.body).data as z.output<S>;
  }

  /**
   * One page and the number of the next (null after the last). Another page exists when the body
   * carries `next_page` or `next_page_url` (API FAQ); opsgraph asks for it by number rather than
   * following the URL, which names Distru's host and would bypass DISTRU_BASE_URL.
   */
  async readPage<S extends z.ZodType>(call: ListCall, row: S, pageNumber: number): Promise<Page<z.output<S>>> {
    const query: Query = [...(call.query ?? []), ['page[number]', String(pageNumber)], ['page[size]', String(this.pageSizeOf(call))]];
    const res = await this.http.request({ method: 'GET', path: call.path, query }, this.scope.call);
    assertOk(call.route, res.status);
    const body = parseVendorBody('distru', call.route, list(row), res.body);
    const rows = body.data as z.output<S>[];
    const more = [body.next_page, body.next_page_url].some((url) => typeof url === 'string' && url !== '');
    const servedAt = Date.parse(res.headers.date ?? '');
    return { rows, next: more && rows.length > 0 ? pageNumber + 1 : null, servedAt: Number.isFinite(servedAt) ? servedAt : null };
  }

  /**
   * Every page of a list, in order, until a page comes without a next page (seed README: "keep
   * reading until there is no next page"). Pages are read one after another: Distru tells only
   * whether another page follows, and its rate limit (2 calls/s) gains nothing from overlap.
   */
  async readAll<S extends z.ZodType>(call: ListCall, row: S): Promise<z.output<S>[]> {
    const rows: z.output<S>[] = [];
    for (let pageNumber: number | null = 1; pageNumber !== null; ) {
      if (pageNumber > MAX_PAGES) throw vendorError('distru', 'VENDOR_BAD_RESPONSE', `${call.route} did not end within ${MAX_PAGES} pages`);
      const page: Page<z.output<S>> = await this.readPage(call, row, pageNumber);
      rows.push(...page.rows);
      pageNumber = page.next;
    }
    return rows;
  }

  /**
   * The rows at positions [offset, offset + count) of a list, through page numbers. A page with a
   * successor that holds fewer rows than asked shows the size Distru really serves: its rows are
   * kept when they hold the position (a page of that size covers the positions
   * [(n-1)·size, n·size)), and the rest is planned with that size. Usually one call.
   */
  async readRange<S extends z.ZodType>(call: ListCall, row: S, offset: number, count: number): Promise<Range<z.output<S>>> {
    const rows: z.output<S>[] = [];
    let pageSize = this.pageSizeOf(call);
    let position = offset;
    let more = true;
    // Each pass takes rows or learns the served size: bounded by the rows wanted plus re-plans.
    for (let pass = 0; rows.length < count && more && pass < count + 4; pass++) {
      const pageNumber = Math.floor(position / pageSize) + 1;
      const page = await this.readPage(call, row, pageNumber);
      if (page.next !== null && page.rows.length < pageSize) pageSize = page.rows.length;
      const start = position - (pageNumber - 1) * pageSize;
      if (start < 0 || (start >= page.rows.length && page.next !== null)) continue;
      const taken = page.rows.slice(start, start + (count - rows.length));
      rows.push(...taken);
      position += taken.length;
      more = page.next !== null || start + taken.length < page.rows.length;
      if (taken.length === 0) break;
    }
    return { rows, more };
  }

  private pageSizeOf(call: ListCall): number {
    return Math.min(call.pageSize, this.maxPageSize);
  }
}

function assertOk(route: string, status: number): void {
  // VendorHttp already turned 401/403/429/5xx into errors; any other non-2xx means we asked wrongly.
  if (status < 200 || status >= 300) throw vendorError('distru', 'VENDOR_BAD_RESPONSE', `${route}: the vendor refused the request (${status})`, { upstreamStatus: status });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
