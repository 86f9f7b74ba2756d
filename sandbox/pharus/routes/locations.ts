import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PharusApiError } from '../errors.js';
import { body, created, ok, route } from '../http.js';
import type { LocationRecord } from '../records.js';
import { locationCreate, locationUpdate } from '../schemas.js';
import { locationJson } from '../serialize.js';
import type { PharusStore } from '../store.js';
import { assignDefined, pathRecord } from './common.js';

/** Document 001, "Locations". The list is bounded: `{ data }` without a cursor. */
export function registerLocationRoutes(app: FastifyInstance, store: PharusStore): void {
  const json = (r: LocationRecord) => locationJson(store.orgId, r);

  route(app, 'GET', '/locations', () => ok({ data: [...store.locations.all()].sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name)).map(json) }));

  route(app, 'POST', '/locations', (request) => {
    const input = body(request, locationCreate);
    const now = new Date();
    const record: LocationRecord = {
      id: randomUUID(),
      name: input.name,
      sortOrder: store.locations.all().reduce((max, r) => Math.max(max, r.sortOrder + 1), 0),
      address: input.address ?? null,
      city: input.city ?? null,
      state: input.state ?? null,
      country: input.country ?? null,
      zipCode: input.zipCode ?? null,
      notes: input.notes ?? null,
      isActive: true,
      createdAt: now,
      updatedAt: now,
    };
    store.locations.insert(record);
    return created(json(record));
  });

  route(app, 'PATCH', '/locations/:id', (request) => {
    const record = pathRecord(request, store.locations, 'Location');
    assignDefined(record, body(request, locationUpdate));
    record.updatedAt = new Date();
    return ok(json(record));
  });

  // "Delete location (gated by in-use check)": refused with `in_use` while anything references it.
  route(app, 'DELETE', '/locations/:id', (request) => {
    const record = pathRecord(request, store.locations, 'Location');
    const usage = locationUsage(store, record.id);
    if (usage.inUse) throw new PharusApiError('in_use', `Location ${record.id} is in use`, usage);
    store.finishedGoods.dropEmptyCells((c) => c.locationId === record.id);
    store.materialsInventory.dropEmptyCells((c) => c.locationId === record.id);
    store.locations.remove(record.id);
    return ok({ deletedId: record.id });
  });

  route(app, 'GET', '/locations/:id/in-use', (request) => ok(locationUsage(store, pathRecord(request, store.locations, 'Location').id)));
}

/** "Check if location is referenced anywhere": `{ inUse, references: { <kind>: count } }`. */
function locationUsage(store: PharusStore, id: string) {
  const references = {
    salesOrders: store.salesOrders.all().filter((o) => o.fulfillmentLocationId === id).length,
    finishedGoodsLedgerEntries: store.finishedGoods.entriesAt(id),
    materialsLedgerEntries: store.materialsInventory.entriesAt(id),
  };
  return { inUse: Object.values(references).some((n) => n > 0), references };
}
