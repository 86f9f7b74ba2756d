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
 * Every Distru call opsgraph makes, in one place, with the page size it asks for: the sandbox's
 * per-endpoint maximum (docs/vendors/distru.md). Distru lowers a larger size silently, so lists are
 * always followed through `next_page` and ranges re-planned on the size really served.
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

interface ListCall {
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

/**
 * One GraphQL request's view of Distru: one method per vendor call, each returning the parsed body.
 * A 404 on a by-id read is `null`; any other 4xx is VENDOR_BAD_RESPONSE; VendorHttp's own errors
 * (5xx, timeouts, 401, 429…) pass through unchanged.
 */
export class DistruClient {
  constructor(
    private readonly http: VendorHttp,
    private readonly scope: SourceScope,
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

  private async fetchPage<S extends z.ZodType>(call: ListCall, row: S, pageNumber: number, pageSize: number): Promise<{ rows: z.output<S>[]; more: boolean }> {
    const query: Query = [...(call.query ?? []), ['page[number]', String(pageNumber)], ['page[size]', String(pageSize)]];
    const res = await this.http.request({ method: 'GET', path: call.path, query }, this.scope.call);
    assertOk(call.route, res.status);
    const body = parseVendorBody('distru', call.route, list(row), res.body);
    return { rows: body.data as z.output<S>[], more: typeof body.next_page === 'string' && body.next_page !== '' };
  }

  /**
   * Every page of a list, in order, until a page comes without `next_page` (seed README: "keep
   * reading until there is no next page"). Pages are read one after another: Distru tells only
   * whether another page follows, and its rate limit (2 calls/s) gains nothing from overlap.
   */
  private async readAll<S extends z.ZodType>(call: ListCall, row: S): Promise<z.output<S>[]> {
    const rows: z.output<S>[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await this.fetchPage(call, row, pageNumber, call.pageSize);
      rows.push(...page.rows);
      if (!page.more || page.rows.length === 0) return rows;
    }
  }

  /**
   * The rows at positions [offset, offset + count) of a list, through page numbers. When Distru
   * serves fewer rows than asked on a page that has a successor, it has lowered the page size: the
   * range is planned again with the size it served. Usually one call.
   */
  private async readRange<S extends z.ZodType>(call: ListCall, row: S, offset: number, count: number): Promise<Range<z.output<S>>> {
    const rows: z.output<S>[] = [];
    let pageSize = call.pageSize;
    let position = offset;
    let more = true;
    while (rows.length < count && more) {
      const pageNumber = Math.floor(position / pageSize) + 1;
      const page = await this.fetchPage(call, row, pageNumber, pageSize);
      if (page.more && page.rows.length > 0 && page.rows.length < pageSize) {
        pageSize = page.rows.length;
        continue;
      }
      const start = position - (pageNumber - 1) * pageSize;
      const taken = page.rows.slice(start, start + (count - rows.length));
      rows.push(...taken);
      position += taken.length;
      more = page.more || start + taken.length < page.rows.length;
      if (taken.length === 0) break;
    }
    return { rows, more };
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
