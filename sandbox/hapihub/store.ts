import type { World } from '../world/index.js';
import { foldStock, type StockLevel } from '../../src/vendors/hapihub/stock-rule.js';
import { machineOf, objectId } from './ids.js';
import { projectWorld, type CatalogItem, type Warehouse } from './project.js';
import type { InventoryTransaction, ReferenceLookup, TransactionCreate } from './schemas.js';

/**
 * HAPIHub's mutable state: the projected transactions in creation order, with an id index so that
 * a get or patch is a map hit at scale 100. Routes validate before they call a mutation, so a
 * rejected write never reaches the store.
 */
export class HapihubStore implements ReferenceLookup {
  readonly warehouses: readonly Warehouse[];
  readonly warehouseByLocation: ReadonlyMap<string, Warehouse>;
  readonly catalog: ReadonlyMap<string, CatalogItem>;
  /** `createdBy` of transactions created through the API: the token's user. */
  readonly apiUserId: string;
  private readonly warehouseIds: ReadonlySet<string>;
  private readonly records: InventoryTransaction[];
  private readonly positionById = new Map<string, number>();
  private readonly worldNow: number;
  private readonly startedAt = Date.now();
  private readonly machine: string;
  private counter = 0;

  constructor(world: World) {
    const projection = projectWorld(world);
    this.warehouses = projection.warehouses;
    this.warehouseByLocation = new Map(projection.warehouses.map((w) => [w.locationKey, w]));
    this.warehouseIds = new Set(projection.warehouses.map((w) => w.id));
    this.catalog = projection.catalog;
    this.apiUserId = projection.apiUserId;
    this.records = projection.transactions;
    this.records.forEach((r, i) => this.positionById.set(r.id, i));
    this.worldNow = world.now.getTime();
    this.machine = machineOf(`api-${world.options.seed}`);
  }

  /**
   * HAPIHub's "currentTime" (the default of `createdAt`): the world's fixed "now" plus the real time
   * since the sandbox started, so a new transaction is always later than the generated history and
   * an incremental read (`createdAt[$gt]=…`) sees it.
   */
  now(): number {
    return this.worldNow + (Date.now() - this.startedAt);
  }

  /** Every transaction, in creation order (Feathers' natural order for a find without `$sort`). */
  all(): readonly InventoryTransaction[] {
    return this.records;
  }

  get(id: string): InventoryTransaction | undefined {
    const position = this.positionById.get(id);
    return position === undefined ? undefined : this.records[position];
  }

  hasWarehouse(id: string): boolean {
    return this.warehouseIds.has(id);
  }

  hasSku(sku: string): boolean {
    return this.catalog.has(sku);
  }

  hasTransaction(id: string): boolean {
    return this.positionById.has(id);
  }

  create(input: TransactionCreate): InventoryTransaction {
    const { createdAt, ...fields } = input;
    const now = this.now();
    const record: InventoryTransaction = { id: objectId(now, this.machine, this.counter++), createdAt: createdAt ?? now, createdBy: this.apiUserId, ...fields };
    this.positionById.set(record.id, this.records.length);
    this.records.push(record);
    return record;
  }

  /** Stores a patched record in place of the one with its id (a new object: earlier reads keep theirs). */
  replace(record: InventoryTransaction): void {
    const position = this.positionById.get(record.id);
    if (position === undefined) throw new Error(`replace of unknown inventory-transaction ${record.id}`);
    this.records[position] = record;
  }

  /** Stock on hand as the gateway would compute it: the fold of every transaction. */
  stock(): Map<string, StockLevel> {
    return foldStock(this.records);
  }
}
