import DataLoader from 'dataloader';
import type {
  InspectionRecord,
  InventoryLevelRecord,
  InvoiceRecord,
  NcrRecord,
  OrderRecord,
  OrderVendor,
  PartRecord,
  Vendor,
  VendorSkuRecord,
} from '../model/records.js';
import type { VendorSource } from '../vendors/types.js';
import { inSpan } from '../observability/spans.js';
import { VENDORS } from '../model/records.js';
import { skippedVendor, vendorNotConfigured, type SkippedVendor } from '../vendors/not-configured.js';

/**
 * Per-request DataLoaders over the vendors' batch functions. Created lazily, one per (vendor,
 * relation), so that a query touching one vendor builds no loaders for the others. Every loader
 * waits for the tick (DataLoader's default) so that all the keys asked for by one level of the
 * query — the 50 lines of an order — go to the vendor as one batch.
 */
export class RequestLoaders {
  private loaders = new Map<string, DataLoader<string, unknown>>();
  private readonly skipped = new Set<Vendor>();

  /**
   * @param batching false only for the benchmark's naive baseline: every key becomes its own
   *   vendor call, as a resolver set without DataLoaders would make.
   */
  constructor(
    private readonly sources: Partial<Record<Vendor, VendorSource>>,
    private readonly batching = true,
  ) {}

  /** The vendor's sources for this request, or undefined when the vendor is not configured. */
  source(vendor: Vendor): VendorSource | undefined {
    return this.sources[vendor];
  }

  configuredVendors(): Vendor[] {
    return Object.keys(this.sources) as Vendor[];
  }

  /** A list that would have asked this vendor skipped it: it is not configured. */
  noteSkipped(vendor: Vendor): void {
    this.skipped.add(vendor);
  }

  /** What `extensions.skippedVendors` reports, in vendor order. */
  skippedVendors(): SkippedVendor[] {
    return VENDORS.filter((v) => this.skipped.has(v)).map(skippedVendor);
  }

  order(vendor: OrderVendor, id: string): Promise<OrderRecord | null> {
    return this.loader(`${vendor}.order`, (ids) => this.need(vendor, 'orders').ordersById(ids)).load(id);
  }

  invoice(id: string): Promise<InvoiceRecord | null> {
    return this.loader('DISTRU.invoice', (ids) => this.need('DISTRU', 'invoices').invoicesById(ids)).load(id);
  }

  invoicesOfOrder(orderId: string): Promise<InvoiceRecord[]> {
    return this.loader('DISTRU.invoicesOfOrder', (ids) => this.need('DISTRU', 'invoices').invoicesByOrderId(ids)).load(orderId);
  }

  vendorSku(vendor: Vendor, vendorCode: string): Promise<VendorSkuRecord | null> {
    return this.loader(`${vendor}.sku`, (codes) => this.need(vendor, 'catalog').skusByCode(codes)).load(vendorCode);
  }

  levels(vendor: Vendor, vendorCode: string): Promise<InventoryLevelRecord[]> {
    return this.loader(`${vendor}.levels`, (codes) => this.need(vendor, 'inventory').levelsByCode(codes)).load(vendorCode);
  }

  /** Stock of one of the vendor's products by its own id (order lines); undefined when the vendor cannot join by product id. */
  levelsOfProduct(vendor: Vendor, productId: string): Promise<InventoryLevelRecord[]> | undefined {
    const byProduct = this.sources[vendor]?.inventory.levelsByProductId;
    if (!byProduct) return undefined;
    return this.loader(`${vendor}.levelsOfProduct`, (ids) => byProduct(ids)).load(productId);
  }

  /** When a lot expires, from the first configured vendor whose stock states it (HAPIHub); null when none does. */
  async lotExpiry(lotNumber: string): Promise<string | null> {
    for (const vendor of this.configuredVendors()) {
      const inventory = this.sources[vendor]?.inventory;
      if (!inventory?.lotExpiries) continue;
      const found = await this.loader<string | null>(`${vendor}.lotExpiry`, (lots) => inventory.lotExpiries!(lots)).load(lotNumber);
      if (found !== null) return found;
    }
    return null;
  }

  part(id: string): Promise<PartRecord | null> {
    return this.loader('ISOLOCITY.part', (ids) => this.need('ISOLOCITY', 'quality').partsById(ids)).load(id);
  }

  partByIdentification(code: string): Promise<PartRecord | null> {
    return this.loader('ISOLOCITY.partByIdentification', (codes) => this.need('ISOLOCITY', 'quality').partsByIdentification(codes)).load(code);
  }

  inspection(id: string): Promise<InspectionRecord | null> {
    return this.loader('ISOLOCITY.inspection', (ids) => this.need('ISOLOCITY', 'quality').inspectionsById(ids)).load(id);
  }

  inspectionsOfPart(partId: string): Promise<InspectionRecord[]> {
    return this.loader('ISOLOCITY.inspectionsOfPart', (ids) => this.need('ISOLOCITY', 'quality').inspectionsByPartId(ids)).load(partId);
  }

  ncr(id: string): Promise<NcrRecord | null> {
    return this.loader('ISOLOCITY.ncr', (ids) => this.need('ISOLOCITY', 'quality').ncrsById(ids)).load(id);
  }

  ncrsOfPart(partId: string): Promise<NcrRecord[]> {
    return this.loader('ISOLOCITY.ncrsOfPart', (ids) => this.need('ISOLOCITY', 'quality').ncrsByPartId(ids)).load(partId);
  }

  /** Inspections of one lot (ISOlocity's inspections index, by `lot_number`). */
  inspectionsOfLot(lot: string): Promise<InspectionRecord[]> {
    return this.loader('ISOLOCITY.inspectionsOfLot', (lots) => this.need('ISOLOCITY', 'quality').inspectionsByLot(lots)).load(lot);
  }

  /** NCRs of one lot (ISOlocity `GET /ncrs?keyword=<lot>`, one call per lot not cached). */
  ncrsOfLot(lot: string): Promise<NcrRecord[]> {
    return this.loader('ISOLOCITY.ncrsOfLot', (lots) => this.need('ISOLOCITY', 'quality').ncrsByLot(lots)).load(lot);
  }

  /**
   * A record of a generated vendor type by its global id (src/vendor-api/node.ts reads it): links from
   * the unified model to generated types ask for the same record once per request.
   */
  vendorRecord(globalId: string, read: (ids: readonly string[]) => Promise<unknown[]>): Promise<unknown> {
    return this.loader('vendorApi.record', read).load(globalId);
  }

  /** The name of a vendor's sales channel (Pharus order channel), or null; null for a vendor without channels. */
  channelName(vendor: OrderVendor, id: string): Promise<string | null> {
    const names = this.sources[vendor]?.orders?.channelNamesById;
    if (!names) return Promise.resolve(null);
    return this.loader(`${vendor}.channelName`, (ids) => names(ids)).load(id);
  }

  /** Forget what this request loaded (a mutation changed it: later fields must see the new state). */
  clearAll(): void {
    for (const loader of this.loaders.values()) loader.clearAll();
  }

  private loader<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.loaders.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      // Through a promise, so that a batch function that throws before it returns one (`need` for
      // an unconfigured vendor) rejects its keys with that error instead of DataLoader's TypeError.
      // One span per batch (`dataloader DISTRU.order`): the vendor calls it makes nest under it.
      const traced = (keys: readonly string[]) => inSpan(`dataloader ${key}`, { 'opsgraph.loader': key, 'opsgraph.batch_size': keys.length }, () => Promise.resolve(keys).then(batch));
      loader = new DataLoader<string, V>(traced, { batch: this.batching });
      this.loaders.set(key, loader as DataLoader<string, unknown>);
    }
    return loader;
  }

  private need<K extends 'orders' | 'invoices' | 'catalog' | 'inventory' | 'quality'>(vendor: Vendor, capability: K): NonNullable<VendorSource[K]> {
    const capabilityOf = this.sources[vendor]?.[capability];
    if (!capabilityOf) throw vendorNotConfigured(vendor);
    return capabilityOf as NonNullable<VendorSource[K]>;
  }
}
