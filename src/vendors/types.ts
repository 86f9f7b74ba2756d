import type { SourceScope } from '../cache/scope.js';
import type { VendorHttp } from '../http/vendor-http.js';
import type { CacheMetrics } from '../observability/metrics.js';
import type { IsolocityPaths } from './isolocity/paths.js';
import type { StoreLookups } from '../sync/store-lookups.js';
import type {
  InspectionRecord,
  InventoryLevelRecord,
  InvoiceRecord,
  NcrRecord,
  OrderRecord,
  OrderStatus,
  PageRequest,
  PageResult,
  PartRecord,
  Vendor,
  VendorSkuRecord,
} from '../model/records.js';

/**
 * What the gateway asks of each vendor. Every `…By…` function is a DataLoader batch function:
 * it receives many keys (already de-duplicated by the gateway's per-request DataLoaders), makes the
 * fewest vendor calls it can, and returns one result per key in key order (null, or an empty list,
 * where the vendor has nothing for a key). It throws a GraphQLError (see src/errors.ts) when the
 * vendor fails; the gateway then fails only the fields that needed it.
 */

export interface CatalogSource {
  /** The vendor's own product record for each vendor-spelled SKU code. */
  skusByCode(codes: readonly string[]): Promise<(VendorSkuRecord | null)[]>;
  /** Every product the vendor has, a page at a time. */
  listSkus(page: PageRequest): Promise<PageResult<VendorSkuRecord>>;
}

export interface InventorySource {
  /** Stock for each vendor-spelled SKU code; never older than the live-stock bound. */
  levelsByCode(codes: readonly string[]): Promise<InventoryLevelRecord[][]>;
  /**
   * Stock for each of the vendor's own product ids (what an order line names), for vendors whose
   * lines carry one; `vendorSkuCode` is left null (the caller knows the line's code). Same freshness.
   */
  levelsByProductId?(productIds: readonly string[]): Promise<InventoryLevelRecord[][]>;
  /**
   * When each lot (by number) expires, ISO-8601, or null where the vendor states none: for vendors
   * whose stock records state expiry (HAPIHub `items.expiresAt`). Same freshness as stock.
   */
  lotExpiries?(lotNumbers: readonly string[]): Promise<(string | null)[]>;
}

export interface OrderFilter {
  /** Only orders in one of these normalised statuses; null = all. */
  statuses: readonly OrderStatus[] | null;
}

export interface OrderSource {
  ordersById(ids: readonly string[]): Promise<(OrderRecord | null)[]>;
  listOrders(page: PageRequest, filter: OrderFilter): Promise<PageResult<OrderRecord>>;
  /** Names of the vendor's sales channels by id (Pharus order channels); absent where orders have no channel. */
  channelNamesById?: (ids: readonly string[]) => Promise<(string | null)[]>;
}

export interface InvoiceFilter {
  /** Vendor status values, verbatim (e.g. Distru "Not Paid"); null = all. */
  statuses: readonly string[] | null;
}

export interface InvoiceSource {
  invoicesById(ids: readonly string[]): Promise<(InvoiceRecord | null)[]>;
  invoicesByOrderId(orderIds: readonly string[]): Promise<InvoiceRecord[][]>;
  listInvoices(page: PageRequest, filter: InvoiceFilter): Promise<PageResult<InvoiceRecord>>;
}

export interface NcrFilter {
  status: string | null;
  source: string | null;
  /** Free text the vendor matches against number, lot and description. */
  keyword: string | null;
}

export interface QualitySource {
  partsById(ids: readonly string[]): Promise<(PartRecord | null)[]>;
  partsByIdentification(codes: readonly string[]): Promise<(PartRecord | null)[]>;
  listParts(page: PageRequest): Promise<PageResult<PartRecord>>;
  inspectionsById(ids: readonly string[]): Promise<(InspectionRecord | null)[]>;
  inspectionsByPartId(partIds: readonly string[]): Promise<InspectionRecord[][]>;
  inspectionsByLot(lotNumbers: readonly string[]): Promise<InspectionRecord[][]>;
  listInspections(page: PageRequest): Promise<PageResult<InspectionRecord>>;
  ncrsById(ids: readonly string[]): Promise<(NcrRecord | null)[]>;
  ncrsByPartId(partIds: readonly string[]): Promise<NcrRecord[][]>;
  ncrsByLot(lotNumbers: readonly string[]): Promise<NcrRecord[][]>;
  listNcrs(page: PageRequest, filter: NcrFilter): Promise<PageResult<NcrRecord>>;
}

/** One vendor's sources for one GraphQL request. Absent capabilities: the vendor has no such data. */
export interface VendorSource {
  vendor: Vendor;
  catalog: CatalogSource;
  inventory: InventorySource;
  orders?: OrderSource;
  invoices?: InvoiceSource;
  quality?: QualitySource;
}

/** How fresh each kind of cached data must be (ms). */
export interface FreshnessConfig {
  /** Live stock: never served older than this (default a few seconds). */
  liveStockMaxAgeMs: number;
  /**
   * Live stock of products asked for within `windowMs` is re-read in the background before it
   * expires (at most `maxProducts`, the most recently asked), so a screen looked at again costs no
   * interactive stock call. Absent or a 0: no background refresh.
   */
  liveStockRefresh?: { windowMs: number; maxProducts: number };
  /** Reference data (products, parts, SKU lists, locations): refreshed when older than this. */
  referenceMaxAgeMs: number;
  /** Quality records indexed without a vendor filter (inspections, NCRs by part). */
  qualityMaxAgeMs: number;
  /** When a vendor fails, an index copy up to this old may be served (and is reported as stale). */
  staleMaxMs: number;
  /** Bound on entries of every cross-request index. */
  maxIndexEntries: number;
}

/**
 * One vendor for the life of the process: owns its cross-request indexes and caches, and hands
 * out a fresh `VendorSource` per GraphQL request.
 */
export interface VendorRuntime {
  vendor: Vendor;
  http: VendorHttp;
  forRequest(scope: SourceScope): VendorSource;
  /** Drops every cross-request index and cache (tests, and after writes we cannot target). */
  invalidateAll(): void;
  /** Stops its background work (process shutdown); absent when it has none. */
  close?(): void;
}

/** Vendor-specific settings (src/config.ts reads and checks them at start). */
export interface VendorSettings {
  isolocity: {
    /** ISOLOCITY_TIMEZONE: the IANA zone of ISOlocity's zone-less timestamps. */
    timeZone: string;
    /** ISOLOCITY_PATHS_FILE, checked; undefined = the built-in table. */
    paths?: IsolocityPaths;
  };
  distru: {
    /** DISTRU_MAX_PAGE_SIZE: no list page is asked larger than this. */
    maxPageSize: number;
  };
}

export const DEFAULT_VENDOR_SETTINGS: VendorSettings = { isolocity: { timeZone: 'UTC' }, distru: { maxPageSize: 500 } };

export interface VendorRuntimeOptions {
  http: VendorHttp;
  freshness: FreshnessConfig;
  /** Absent: DEFAULT_VENDOR_SETTINGS. */
  settings?: VendorSettings;
  /** HAPIHub only: HAPIHUB_STOCK_SOURCE (absent means `fold`). */
  hapihubStockSource?: 'fold' | 'endpoint';
  /**
   * With SYNC=on: the synced store, which answers every cross-request lookup (parts by code,
   * products by SKU, HAPIHub stock…) with 0 vendor calls. Absent (SYNC=off): the runtime keeps its
   * own reloaded indexes (src/cache/snapshot-index.ts).
   */
  lookups?: StoreLookups;
  /** Where the runtime's indexes count their lookups (the gateway's metrics); absent, they are not counted. */
  metrics?: CacheMetrics;
}
