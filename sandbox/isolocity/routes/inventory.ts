import type { FastifyInstance } from 'fastify';
import { validationFailed } from '../errors.js';
import { FieldErrors, lookup, ok, paginate, parse, route, UPDATE } from '../http.js';
import type { Inventory } from '../records.js';
import { inventoryListQuery, inventoryLocationsUpdate } from '../schemas.js';
import { nowIso, type IsolocityStore } from '../store.js';

/**
 * The inventory record as served: the stored (part, lot, locations) plus what a reader needs
 * without a second call: the part's code and name, each location's name, and the total.
 */
export function inventoryView(store: IsolocityStore, record: Inventory) {
  const part = store.parts.get(record.part_id);
  return {
    id: record.id,
    part_id: record.part_id,
    part: part ? { id: part.id, identification: part.identification, name: part.name } : null,
    lot_number: record.lot_number,
    quantity: record.locations.reduce((sum, l) => sum + l.quantity, 0),
    unit_of_measure: part?.unit_of_measure ?? null,
    locations: record.locations.map((l) => ({ location_id: l.location_id, name: store.locations.get(l.location_id)?.name ?? null, quantity: l.quantity })),
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

export type InventoryView = ReturnType<typeof inventoryView>;

/**
 * Inventory: stock per part per lot, split by location. "Search by part id (If this is active, you
 * cannot search by name)": with `part_id`, `keyword` is ignored.
 */
export function inventoryRoutes(app: FastifyInstance, store: IsolocityStore): void {
  const view = (record: Inventory) => inventoryView(store, record);

  route(app, 'GET', '/inventory', (request) => {
    const q = parse(inventoryListQuery, request.query);
    if (!q.ok) return q.reply;
    const keyword = q.value.keyword?.trim().toLowerCase() || undefined;
    let rows: readonly Inventory[];
    if (q.value.part_id !== undefined) rows = store.inventoryOf(q.value.part_id);
    else if (keyword !== undefined) {
      rows = store.inventory.all().filter((record) => {
        const part = store.parts.get(record.part_id);
        return record.lot_number.toLowerCase().includes(keyword) || (part !== undefined && (part.identification.toLowerCase().includes(keyword) || part.name.toLowerCase().includes(keyword)));
      });
    } else rows = store.inventory.all();
    return paginate(rows, q.value, view);
  });

  route(app, 'GET', '/inventory/:id', (request) => {
    const record = lookup(store.inventory, request, 'Inventory');
    return record.ok ? ok(view(record.value)) : record.reply;
  });

  route(app, UPDATE, '/inventory/:id/locations', (request) => {
    const record = lookup(store.inventory, request, 'Inventory');
    if (!record.ok) return record.reply;
    const body = parse(inventoryLocationsUpdate, request.body);
    if (!body.ok) return body.reply;
    const errors = new FieldErrors();
    body.value.locations.forEach((l, i) => {
      if (!store.locations.has(l.location_id)) errors.invalid(`locations.${i}.location_id`);
    });
    if (!errors.empty) return validationFailed(errors.errors);
    // The body replaces the whole set of linked locations and their quantities.
    record.value.locations = body.value.locations.map((l) => ({ location_id: l.location_id, quantity: l.quantity }));
    record.value.updated_at = nowIso();
    return ok(view(record.value));
  });
}
