import { randomUUID } from 'node:crypto';
import { fromInteger, type Decimal } from '../decimal.js';
import { entry, type DistruErrorEntry } from '../errors.js';
import type { Batch, Charge, Location, Package, Product } from '../records.js';
import type { ChargeRequest } from '../schemas.js';
import type { DistruStore } from '../store.js';

/**
 * The checks every upsert shares. Each collects its problems into one list instead of stopping at
 * the first, because Distru answers all of them at once (seed 002, "POST /invoices reports various
 * errors correctly on update": three errors in one body).
 */
export type Pointer = (string | number)[];

/** Seed 002, purchases examples: a record of another company is refused with this message, the line's id as context. */
export const NOT_YOURS = 'This record does not belong to your company.';

const HUNDRED = fromInteger(100);

export class WriteChecks {
  readonly errors: DistruErrorEntry[] = [];

  constructor(private readonly store: DistruStore) {}

  fail(message: string, pointer: Pointer, context: Record<string, string> = {}): void {
    this.errors.push(entry(message, pointer, 'body', context));
  }

  /** A location of this account; `ownOnly` when it must be one of the account's warehouses (where stock sits). */
  location(id: string | null | undefined, pointer: Pointer, contextId: string, ownOnly: boolean): Location | null {
    if (id === null || id === undefined) return null;
    const location = this.store.locations.get(id);
    if (location && (location.own || !ownOnly)) return location;
    if (location) this.fail("Must be one of your company's own locations", pointer, { id: contextId });
    else if (this.store.foreign.locations.has(id)) this.fail(NOT_YOURS, pointer, { id: contextId });
    else this.fail('Location not found', pointer);
    return null;
  }

  product(id: string, pointer: Pointer, contextId: string): Product | null {
    const product = this.store.products.get(id);
    if (product) return product;
    if (this.store.foreign.products.has(id)) this.fail(NOT_YOURS, pointer, { id: contextId });
    else this.fail('Product not found', pointer);
    return null;
  }

  /** A batch; one of another company is reported at `productPointer`, as Distru does (seed 002). */
  batch(id: string, pointer: Pointer, productPointer: Pointer, contextId: string): Batch | null {
    const batch = this.store.batches.get(id);
    if (batch) return batch;
    if (this.store.foreign.batches.has(id)) this.fail(NOT_YOURS, productPointer, { id: contextId });
    else this.fail('Batch not found', pointer);
    return null;
  }

  package(id: string, pointer: Pointer, contextId: string): Package | null {
    const pkg = this.store.packages.get(id);
    if (pkg) return pkg;
    if (this.store.foreign.packages.has(id)) this.fail(NOT_YOURS, pointer, { id: contextId });
    else this.fail('Package not found', pointer);
    return null;
  }

  positive(value: Decimal, pointer: Pointer): void {
    if (value <= 0n) this.fail('Must be greater than 0', pointer);
  }

  notNegative(value: Decimal, pointer: Pointer): void {
    if (value < 0n) this.fail('Must be greater than or equal to 0', pointer);
  }

  /**
   * A line id: a new one when absent; refused when it already belongs to another record (ids are
   * global), or is given twice in one request.
   */
  lineId(id: string | undefined, owners: Map<string, string>, ownerId: string, seen: Set<string>, pointer: Pointer): string {
    if (id === undefined) return randomUUID();
    const owner = owners.get(id);
    if (owner !== undefined && owner !== ownerId) this.fail('Is already used by another record', pointer);
    if (seen.has(id)) this.fail('Is given more than once', pointer);
    seen.add(id);
    return id;
  }

  /** Charge lines (OrderChargeRequest and its invoice and purchase twins), upserted by id. */
  charges(requests: readonly ChargeRequest[], ownerId: string): Charge[] {
    const seen = new Set<string>();
    return requests.map((request, index) => {
      const id = this.lineId(request.id, this.store.chargeOwner, ownerId, seen, ['charges', index, 'id']);
      const percent = request.percent ?? null;
      if (request.unit_type === 'PERCENT' && percent === null) this.fail("can't be blank", ['charges', index, 'percent']);
      if (request.unit_type === 'PRICE' && (request.price ?? null) === null) this.fail("can't be blank", ['charges', index, 'price']);
      // Seed 002 refuses −1000 % with "Must be less than or equal to 100": the bound is on the size of the percent.
      if (percent !== null && (percent > HUNDRED || percent < -HUNDRED)) this.fail('Must be less than or equal to 100', ['charges', index, 'percent'], { id });
      return { id, name: request.name ?? null, type: request.type, unitType: request.unit_type, percent: request.unit_type === 'PERCENT' ? percent : null, price: request.unit_type === 'PRICE' ? (request.price ?? null) : null };
    });
  }
}
