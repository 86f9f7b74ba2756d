import type { SourceScope } from '../../cache/scope.js';
import type { VendorConnection } from '../../config.js';
import { vendorError } from '../../errors.js';
import type { VendorHttp } from '../../http/vendor-http.js';
import type { VendorRequest, VendorResponse } from '../../http/types.js';
import { parseVendorBody } from '../parse.js';
import { findSchema, stockFindSchema, transactionSchema, type HapihubStockRow, type HapihubTransaction, type HapihubTransactionWrite } from './schemas.js';

/** HAPIHub serves `/inventory-transactions` at the root of its base URL. */
export const SANDBOX_BASE_PATH = '';

/** Document 003: `Authorization: Bearer <your-api-token>` on every call. */
export function hapihubAuthHeaders(connection: VendorConnection): () => Record<string, string> {
  const headers = { authorization: `Bearer ${connection.token}` };
  return () => headers;
}

/**
 * The endpoint table: the one service document 003 documents, and `/inventory-stocks`, which a
 * newer build of the same apidoc serves (https://docs.fleming.hippocrades.org/api/Inventory_Stocks.html;
 * read only with HAPIHUB_STOCK_SOURCE=endpoint).
 */
const ENDPOINTS = {
  transactions: '/inventory-transactions',
  transaction: (id: string) => `/inventory-transactions/${encodeURIComponent(id)}`,
  stocks: '/inventory-stocks',
} as const;

/** Every route pattern this client calls, for logs, metrics and spans (src/http/route-pattern.ts). */
export const ROUTES: readonly string[] = ['GET /inventory-transactions', 'POST /inventory-transactions', 'GET /inventory-transactions/:id', 'PATCH /inventory-transactions/:id'];

/** The start-up check: the cheapest authenticated read (one transaction, Feathers `$limit`). */
export const PROBE: VendorRequest = { method: 'GET', path: ENDPOINTS.transactions, query: [['$limit', '1']] };
/** How many SKU codes one `sku[$in]` stock find names (keeps the query string well under URL limits). */
export const STOCK_CODES_PER_FIND = 100;

type Query = ReadonlyArray<readonly [string, string]>;

/**
 * How many records a find asks for. A paginated service caps it at its own maximum and says so
 * in the page's `limit`; the reader pages on by what it actually got, never by what it asked for.
 */
export const FIND_LIMIT = 1000;

/**
 * Only what the fold and the catalog read (Feathers `$select`; `id` always comes back). A vendor
 * that ignored `$select` would only send more.
 */
const FOLD_FIELDS = ['createdAt', 'type', 'warehouse', 'source', 'destination', 'items'];

/**
 * Creation order, ties broken by id, so that `$skip` paging does not skip or repeat records that
 * share a millisecond, and records created while paging land after the pages already read.
 */
const ORDER: Query = [
  ['$sort[createdAt]', '1'],
  ['$sort[id]', '1'],
];

/** A write's answer: the transaction as HAPIHub now holds it, or HAPIHub's refusal for writes.ts to map. */
export type WriteOutcome = { ok: true; record: HapihubTransaction } | { ok: false; status: number; body: unknown };

export interface FindPage {
  records: HapihubTransaction[];
  /** From a Feathers page; null when the vendor answered a bare array. */
  total: number | null;
}

/** One instance per GraphQL request (or per index refresh): the calls run under its scope. */
export class HapihubClient {
  constructor(
    private readonly http: VendorHttp,
    private readonly scope: SourceScope,
  ) {}

  /** One find call: 1 vendor call. */
  async find(query: Query): Promise<FindPage> {
    const route = `GET ${ENDPOINTS.transactions}`;
    const response = await this.send({ method: 'GET', path: ENDPOINTS.transactions, query });
    if (response.status !== 200) throw refused(route, response);
    const body = parseVendorBody('hapihub', route, findSchema, response.body);
    return Array.isArray(body) ? { records: body, total: null } : { records: body.data, total: body.total };
  }

  /**
   * Reads every transaction matching `filters` in creation order, with the fold's fields, handing
   * each page to `onPage` (which returns false to stop early): one call per page of up to
   * FIND_LIMIT (or the vendor's own maximum). A bare array shorter than asked is the last page (an
   * unpaginated Feathers service has no maximum); a page object ends at its `total`.
   */
  async findAll(filters: Query, onPage: (records: HapihubTransaction[]) => boolean): Promise<void> {
    const select: Query = FOLD_FIELDS.map((f) => ['$select[]', f] as const);
    for (let skip = 0; ; ) {
      const page = await this.find([...filters, ...ORDER, ...select, ['$limit', String(FIND_LIMIT)], ['$skip', String(skip)]]);
      if (!onPage(page.records)) return;
      skip += page.records.length;
      if (page.records.length === 0 || (page.total === null ? page.records.length < FIND_LIMIT : skip >= page.total)) return;
    }
  }

  /**
   * The vendor's own stock of these SKUs (`GET /inventory-stocks?sku[$in][]=…`, Feathers query
   * syntax): one call per STOCK_CODES_PER_FIND codes and per page of FIND_LIMIT rows, paged by
   * `$skip` on what actually came back, like `findAll`.
   */
  async stocksOf(codes: readonly string[]): Promise<HapihubStockRow[]> {
    const route = `GET ${ENDPOINTS.stocks}`;
    const rows: HapihubStockRow[] = [];
    for (let start = 0; start < codes.length; start += STOCK_CODES_PER_FIND) {
      const filter: Query = codes.slice(start, start + STOCK_CODES_PER_FIND).map((code) => ['sku[$in][]', code] as const);
      for (let skip = 0; ; ) {
        const query: Query = [...filter, ['$sort[id]', '1'], ['$limit', String(FIND_LIMIT)], ['$skip', String(skip)]];
        const response = await this.send({ method: 'GET', path: ENDPOINTS.stocks, query });
        if (response.status !== 200) throw refused(route, response);
        const body = parseVendorBody('hapihub', route, stockFindSchema, response.body);
        const page = Array.isArray(body) ? { records: body, total: null } : { records: body.data, total: body.total };
        rows.push(...page.records);
        skip += page.records.length;
        if (page.records.length === 0 || (page.total === null ? page.records.length < FIND_LIMIT : skip >= page.total)) break;
      }
    }
    return rows;
  }

  /** One transaction by id: 1 call. */
  getTransaction(id: string): Promise<WriteOutcome> {
    return this.outcome('GET /inventory-transactions/:id', { method: 'GET', path: ENDPOINTS.transaction(id) });
  }

  /** Document 003 "Transaction - Post": 1 call, never retried (HAPIHub may have stored it). */
  createTransaction(body: HapihubTransactionWrite): Promise<WriteOutcome> {
    return this.outcome('POST /inventory-transactions', { method: 'POST', path: ENDPOINTS.transactions, body });
  }

  /** Document 003 "Transaction - Patch": merges the given fields. 1 call, never retried. */
  patchTransaction(id: string, body: Partial<HapihubTransactionWrite>): Promise<WriteOutcome> {
    return this.outcome('PATCH /inventory-transactions/:id', { method: 'PATCH', path: ENDPOINTS.transaction(id), body });
  }

  private async outcome(route: string, request: VendorRequest): Promise<WriteOutcome> {
    const response = await this.send(request);
    if (response.status !== 200) return { ok: false, status: response.status, body: response.body };
    return { ok: true, record: parseVendorBody('hapihub', route, transactionSchema, response.body) };
  }

  private send(request: VendorRequest): Promise<VendorResponse> {
    return this.http.request(request, this.scope.call);
  }
}

/** A 4xx on a read is a call opsgraph got wrong or a vendor that changed: say which, not the body. */
function refused(route: string, response: VendorResponse): Error {
  const name = typeof response.body === 'object' && response.body !== null && 'name' in response.body && typeof response.body.name === 'string' ? ` ${response.body.name}` : '';
  return vendorError('hapihub', 'VENDOR_BAD_RESPONSE', `${route}: the vendor answered ${response.status}${name.slice(0, 40)}`, { upstreamStatus: response.status });
}
