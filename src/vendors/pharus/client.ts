import type { z } from 'zod';
import type { SourceScope } from '../../cache/scope.js';
import { ConfigError, isPharusPat, type VendorConnection } from '../../config.js';
import { vendorError } from '../../errors.js';
import type { VendorHttp } from '../../http/vendor-http.js';
import { parseVendorBody } from '../parse.js';
import type { VendorRequest } from '../../http/types.js';
import {
  boundedList,
  customerSchema,
  cursorPage,
  fgSummarySchema,
  ledgerEntrySchema,
  locationSchema,
  lookupSchema,
  salesOrderDetailSchema,
  salesOrderItemSchema,
  salesOrderSchema,
  skuSchema,
  transferAnswerSchema,
  type PharusSalesOrder,
} from './schemas.js';

/** Pharus serves everything under `/api` (document 001, "Conventions / Base path"). */
export const SANDBOX_BASE_PATH = '/api';

/**
 * `Authorization: Bearer <token>` on every call, and `X-Org-Id: <org>` when PHARUS_ORG_ID is set
 * (document 001, "Conventions / Authentication"). A personal access token (`pharus_pat_…`) bound to
 * an organisation needs no X-Org-Id: Pharus ignores the header for it
 * (https://docs.pharus.ai/internal/api/endpoints/platform/E005-create-api-token); a Firebase ID
 * token without an organisation would be refused on every call, so that stops the gateway at
 * start, naming the setting.
 */
export function pharusAuthHeaders(connection: VendorConnection): () => Record<string, string> {
  const orgId = connection.orgId === undefined || connection.orgId === '' ? null : connection.orgId;
  if (orgId === null && !isPharusPat(connection.token)) {
    throw new ConfigError('PHARUS_ORG_ID is required unless PHARUS_TOKEN is an org-bound personal access token (pharus_pat_…): Pharus needs X-Org-Id with a Firebase ID token');
  }
  const headers: Record<string, string> = { authorization: `Bearer ${connection.token}`, ...(orgId !== null ? { 'x-org-id': orgId } : {}) };
  return () => headers;
}

/**
 * The page size opsgraph asks for. The document gives no maximum; the sandbox's is 500. Lists are
 * always read to `nextCursor: null`, so a vendor that returns less per page is still read whole.
 */
export const PAGE_LIMIT = 500;

/** Document 001 ids: 8-4-4-4-12 hex. Anything else cannot name a Pharus record. */
export const PHARUS_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const enc = encodeURIComponent;

/**
 * Every Pharus call opsgraph makes, in one place. Paths, methods and statuses follow Pharus's
 * per-endpoint pages (https://docs.pharus.ai/internal/api/endpoints/…; the E-number of each is
 * noted) where one exists; docs/vendors/pharus.md lists them with what is still unverified.
 */
const ENDPOINTS = {
  skus: { route: 'GET /skus', path: () => '/skus' },
  sku: { route: 'GET /skus/:id', path: (id: string) => `/skus/${enc(id)}` },
  customers: { route: 'GET /customers', path: () => '/customers' },
  // E108: `{ data }`, unpaginated, filters `skuId` and `locationId`.
  fgSummary: { route: 'GET /finished-goods-inventory/summary', path: () => '/finished-goods-inventory/summary' },
  salesOrders: { route: 'GET /sales-orders', path: () => '/sales-orders' },
  salesOrder: { route: 'GET /sales-orders/:id', path: (id: string) => `/sales-orders/${enc(id)}` },
  locations: { route: 'GET /locations', path: () => '/locations' },
  orderChannels: { route: 'GET /order-channels', path: () => '/order-channels' },
  // E109: `{ data }`, unpaginated ("the ledger is bounded per org in v1"), newest first.
  fgLedger: { route: 'GET /finished-goods-inventory/ledger', path: () => '/finished-goods-inventory/ledger' },
  // Writes (docs/vendors/pharus.md, "Mutations").
  createSalesOrder: { route: 'POST /sales-orders', path: () => '/sales-orders' },
  updateSalesOrder: { route: 'PATCH /sales-orders/:id', path: (id: string) => `/sales-orders/${enc(id)}` },
  addSalesOrderItem: { route: 'POST /sales-orders/:id/items', path: (id: string) => `/sales-orders/${enc(id)}/items` },
  // E106 / E107: 201 with the ADJUST / DISPOSE row.
  fgAdjust: { route: 'POST /finished-goods-inventory/adjustments', path: () => '/finished-goods-inventory/adjustments' },
  fgDispose: { route: 'POST /finished-goods-inventory/disposals', path: () => '/finished-goods-inventory/disposals' },
  // E104: 201 `{ ledgerEntry, ref }`; E105: 200 with the RECEIVE row.
  fgTransfer: { route: 'POST /finished-goods-inventory/transfers', path: () => '/finished-goods-inventory/transfers' },
  fgCompleteTransfer: {
    route: 'POST /finished-goods-inventory/transfers/:ref/complete',
    path: (ref: string) => `/finished-goods-inventory/transfers/${enc(ref)}/complete`,
  },
} as const;

/** Every route pattern above, for logs, metrics and spans (src/http/route-pattern.ts). */
export const ROUTES: readonly string[] = Object.values(ENDPOINTS).map((e) => e.route);

/** The start-up check: the cheapest authenticated read (one location; also checks X-Org-Id). */
export const PROBE: VendorRequest = { method: 'GET', path: ENDPOINTS.locations.path(), query: [['limit', '1']] };

/** Document 001, "Create sales order" (request fields; decimals as JSON numbers). */
export interface SalesOrderWrite {
  customerId: string;
  channelId: string;
  status: string;
  fulfillmentStatus: string;
  mabd: string;
  items: SalesOrderItemWrite[];
  fulfillmentLocationId?: string;
  brokerId?: string;
  brokerFeePercent?: number;
  brokerFees?: number;
  fulfillmentCosts?: number;
  freightCosts?: number;
  promoCosts?: number;
  otherCosts?: number;
  notes?: string;
  qboId?: string;
}
/** Document 001, "Update sales order": every field optional. */
export type SalesOrderPatch = Partial<Omit<SalesOrderWrite, 'items'>>;
/** Document 001, "Add item to sales order". */
export interface SalesOrderItemWrite {
  skuId: string;
  quantity: number;
  unitPrice?: number;
}
/** Document 001, "Adjust FG inventory" / "Dispose FG inventory": `quantity > 0`. */
export interface FgMovementWrite {
  skuId: string;
  locationId: string;
  quantity: number;
  notes?: string;
}
/** Document 001, "Create FG transfer". */
export interface FgTransferWrite {
  skuId: string;
  sourceLocationId: string;
  destinationLocationId: string;
  quantity: number;
  notes?: string;
}

/** A write's answer: the parsed body, or Pharus's refusal (status and body) for writes.ts to map. */
export type WriteOutcome<T> = { ok: true; value: T } | { ok: false; status: number; body: unknown };

interface ListEndpoint {
  route: string;
  path: () => string;
}

type Query = [string, string][];

export interface CursorPage<T> {
  rows: T[];
  nextCursor: string | null;
}

/**
 * One GraphQL request's view of Pharus: one method per vendor call, each returning the parsed body.
 * A 404 on a by-id read is `null`; any other 4xx is VENDOR_BAD_RESPONSE; VendorHttp's own errors
 * (5xx, timeouts, 401/403) pass through unchanged.
 */
export class PharusClient {
  constructor(
    private readonly http: VendorHttp,
    private readonly scope: SourceScope,
  ) {}

  getSku = (id: string) => this.getOne(ENDPOINTS.sku.route, ENDPOINTS.sku.path(id), skuSchema);
  getSalesOrder = (id: string) => this.getOne(ENDPOINTS.salesOrder.route, ENDPOINTS.salesOrder.path(id), salesOrderDetailSchema);

  /** Every SKU: one call per PAGE_LIMIT rows. */
  allSkus = () => this.readAll(ENDPOINTS.skus, skuSchema);
  allCustomers = () => this.readAll(ENDPOINTS.customers, customerSchema);
  /** The whole finished-goods summary (unpaginated: 1 call). */
  allFgSummary = () => this.readWhole(ENDPOINTS.fgSummary, fgSummarySchema);

  /** Bounded lists: 1 call each. */
  allLocations = () => this.readBounded(ENDPOINTS.locations.route, ENDPOINTS.locations.path(), locationSchema);
  allOrderChannels = () => this.readBounded(ENDPOINTS.orderChannels.route, ENDPOINTS.orderChannels.path(), lookupSchema);
  /** The summary rows of one SKU (`?skuId=`): 1 call. */
  fgSummaryOfSku = (skuId: string) => this.readWhole(ENDPOINTS.fgSummary, fgSummarySchema, [['skuId', skuId]]);
  /**
   * The ledger entries of one transfer (`?ref=`, 1 call): its TRANSFER at the source and, once
   * completed, its RECEIVE at the destination. `ref` is an SQL LIKE pattern at Pharus (E109) and
   * Pharus documents no escape, so a ref holding `%`, `_` or `\\` is refused here rather than
   * matched loosely (Pharus's own refs, `TFR-FG-042`, hold none).
   */
  fgLedgerOfRef = (ref: string) => {
    if (/[%_\\]/.test(ref)) throw vendorError('pharus', 'VALIDATION_FAILED', `a transfer ref cannot contain %, _ or \\ (Pharus reads ?ref= as a LIKE pattern): ${ref}`);
    return this.readWhole(ENDPOINTS.fgLedger, ledgerEntrySchema, [['ref', ref]]);
  };
  /** The ledger entries of one event type for one SKU at one location (the ledger is unpaginated: 1 call). */
  fgLedgerOfEvents = (skuId: string, locationId: string, eventType: string) =>
    this.readWhole(ENDPOINTS.fgLedger, ledgerEntrySchema, [
      ['skuId', skuId],
      ['locationId', locationId],
      ['eventType', eventType],
    ]);

  // Writes: one call each, never retried (VendorHttp retries only idempotent calls), except the
  // completion of a transfer opsgraph itself just created (writes.ts says why that one may be).
  createSalesOrder = (body: SalesOrderWrite) => this.write(ENDPOINTS.createSalesOrder.route, { method: 'POST', path: ENDPOINTS.createSalesOrder.path(), body }, salesOrderDetailSchema);
  updateSalesOrder = (id: string, body: SalesOrderPatch) => this.write(ENDPOINTS.updateSalesOrder.route, { method: 'PATCH', path: ENDPOINTS.updateSalesOrder.path(id), body }, salesOrderSchema);
  addSalesOrderItem = (orderId: string, body: SalesOrderItemWrite) =>
    this.write(ENDPOINTS.addSalesOrderItem.route, { method: 'POST', path: ENDPOINTS.addSalesOrderItem.path(orderId), body }, salesOrderItemSchema);
  adjustFinishedGoods = (body: FgMovementWrite) => this.write(ENDPOINTS.fgAdjust.route, { method: 'POST', path: ENDPOINTS.fgAdjust.path(), body }, ledgerEntrySchema);
  disposeFinishedGoods = (body: FgMovementWrite) => this.write(ENDPOINTS.fgDispose.route, { method: 'POST', path: ENDPOINTS.fgDispose.path(), body }, ledgerEntrySchema);
  createFgTransfer = (body: FgTransferWrite) => this.write(ENDPOINTS.fgTransfer.route, { method: 'POST', path: ENDPOINTS.fgTransfer.path(), body }, transferAnswerSchema);
  /** `idempotent: true` lets VendorHttp retry it: completing twice is refused (`invalid_transition`), never doubled. */
  completeFgTransfer = (ref: string, options: { idempotent: boolean }) =>
    this.write(ENDPOINTS.fgCompleteTransfer.route, { method: 'POST', path: ENDPOINTS.fgCompleteTransfer.path(ref), body: {}, idempotent: options.idempotent }, ledgerEntrySchema);

  /**
   * The first sales order the predicate accepts, reading `GET /sales-orders` pages until one does
   * (the list has no filters, document 001): up to one call per PAGE_LIMIT orders; null when none.
   */
  async findSalesOrder(accept: (order: PharusSalesOrder) => boolean): Promise<PharusSalesOrder | null> {
    let cursor: string | null = null;
    const seen = new Set<string>();
    do {
      const page: CursorPage<PharusSalesOrder> = await this.salesOrdersPage(cursor, PAGE_LIMIT);
      const found = page.rows.find(accept);
      if (found) return found;
      cursor = page.nextCursor;
      if (cursor !== null) {
        if (seen.has(cursor)) throw vendorError('pharus', 'VENDOR_BAD_RESPONSE', `${ENDPOINTS.salesOrders.route} repeated a cursor`);
        seen.add(cursor);
      }
    } while (cursor !== null);
    return null;
  }

  skusPage = (cursor: string | null, limit: number) => this.fetchPage(ENDPOINTS.skus, skuSchema, cursor, limit);
  customersPage = (cursor: string | null, limit: number) => this.fetchPage(ENDPOINTS.customers, customerSchema, cursor, limit);
  salesOrdersPage = (cursor: string | null, limit: number) => this.fetchPage(ENDPOINTS.salesOrders, salesOrderSchema, cursor, limit);

  private async getOne<S extends z.ZodType>(route: string, path: string, schema: S): Promise<z.output<S> | null> {
    const res = await this.http.request({ method: 'GET', path }, this.scope.call);
    if (res.status === 404) return null;
    assertOk(route, res.status);
    return parseVendorBody('pharus', route, schema, res.body);
  }

  private async write<S extends z.ZodType>(route: string, request: VendorRequest, schema: S): Promise<WriteOutcome<z.output<S>>> {
    const res = await this.http.request(request, this.scope.call);
    if (res.status >= 200 && res.status < 300) return { ok: true, value: parseVendorBody('pharus', route, schema, res.body) };
    return { ok: false, status: res.status, body: res.body };
  }

  private async readBounded<S extends z.ZodType>(route: string, path: string, row: S): Promise<z.output<S>[]> {
    const res = await this.http.request({ method: 'GET', path }, this.scope.call);
    assertOk(route, res.status);
    return parseVendorBody('pharus', route, boundedList(row), res.body).data as z.output<S>[];
  }

  private async fetchPage<S extends z.ZodType>(endpoint: ListEndpoint, row: S, cursor: string | null, limit: number, filters: Query = []): Promise<CursorPage<z.output<S>>> {
    const query: Query = [...filters, ['limit', String(Math.min(limit, PAGE_LIMIT))]];
    if (cursor !== null) query.push(['cursor', cursor]);
    const res = await this.http.request({ method: 'GET', path: endpoint.path(), query }, this.scope.call);
    assertOk(endpoint.route, res.status);
    const body = parseVendorBody('pharus', endpoint.route, cursorPage(row), res.body);
    // `data` was parsed by `row` just now; TypeScript cannot see through the generic envelope.
    return { rows: body.data as z.output<S>[], nextCursor: body.nextCursor ?? null };
  }

  /**
   * An unpaginated list (`{ data }`, no cursor or limit sent). Should Pharus ever answer with a
   * `nextCursor` after all, it is followed, so nothing is silently cut off.
   */
  private async readWhole<S extends z.ZodType>(endpoint: ListEndpoint, row: S, filters: Query = []): Promise<z.output<S>[]> {
    const rows: z.output<S>[] = [];
    const seen = new Set<string>();
    let query: Query = filters;
    for (;;) {
      const res = await this.http.request({ method: 'GET', path: endpoint.path(), ...(query.length > 0 ? { query } : {}) }, this.scope.call);
      assertOk(endpoint.route, res.status);
      const body = parseVendorBody('pharus', endpoint.route, cursorPage(row), res.body);
      rows.push(...(body.data as z.output<S>[]));
      const next = body.nextCursor ?? null;
      if (next === null) return rows;
      if (seen.has(next)) throw vendorError('pharus', 'VENDOR_BAD_RESPONSE', `${endpoint.route} repeated a cursor`);
      seen.add(next);
      query = [...filters, ['cursor', next]];
    }
  }

  /** Follows `nextCursor` to the end: cursor pages can only be read one after another. */
  private async readAll<S extends z.ZodType>(endpoint: ListEndpoint, row: S, filters: Query = []): Promise<z.output<S>[]> {
    const rows: z.output<S>[] = [];
    let cursor: string | null = null;
    const seen = new Set<string>();
    do {
      const page: CursorPage<z.output<S>> = await this.fetchPage(endpoint, row, cursor, PAGE_LIMIT, filters);
      rows.push(...page.rows);
      cursor = page.nextCursor;
      // A vendor that hands back a cursor it already gave would page forever.
      if (cursor !== null) {
        if (seen.has(cursor)) throw vendorError('pharus', 'VENDOR_BAD_RESPONSE', `${endpoint.route} repeated a cursor`);
        seen.add(cursor);
      }
    } while (cursor !== null);
    return rows;
  }
}

function assertOk(route: string, status: number): void {
  if (status >= 200 && status < 300) return;
  throw vendorError('pharus', 'VENDOR_BAD_RESPONSE', `${route} answered ${status}`);
}
