import type { FastifyInstance } from 'fastify';
import { entry, validationFailed } from '../errors.js';
import { parseQuery, send } from '../http.js';
import { arrayParam, listBody, listQuery, paging, stringArrayParam, takePage } from '../query.js';
import type { InventoryCell } from '../records.js';
import type { DistruRenderer } from '../render.js';
import { uuid } from '../schemas.js';
import type { DistruStore } from '../store.js';

export const INVENTORY_MAX_PAGE_SIZE = 1000;

const inventoryQuery = listQuery([], {
  'grouping[]': arrayParam(['PRODUCT', 'LOCATION', 'BATCH_NUMBER']).optional(),
  'product_ids[]': stringArrayParam(uuid).optional(),
});

interface Grouping {
  location: boolean;
  batch: boolean;
}

/** null sorts as the document's examples show: after every location id, before every batch number. */
const compareLocation = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
const compareBatch = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/**
 * The groups of one product's stock cells under a grouping: summed, sorted by the grouped
 * attributes, without the groups whose active and available are both zero (seed 002, "Get inventory levels").
 */
export function groupsOf(cells: readonly InventoryCell[], grouping: Grouping): InventoryCell[] {
  const groups = new Map<string, InventoryCell>();
  for (const cell of cells) {
    const locationId = grouping.location ? cell.locationId : null;
    const batchNumber = grouping.batch ? cell.batchNumber : null;
    const key = JSON.stringify([locationId, batchNumber]);
    const group = groups.get(key);
    if (group) {
      group.active += cell.active;
      group.reserved += cell.reserved;
      group.updatedAt = Math.max(group.updatedAt, cell.updatedAt);
    } else {
      groups.set(key, { productId: cell.productId, locationId, batchNumber, active: cell.active, reserved: cell.reserved, updatedAt: cell.updatedAt });
    }
  }
  return [...groups.values()]
    .filter((g) => g.active !== 0n || g.active - g.reserved !== 0n)
    .sort((a, b) => compareLocation(a.locationId, b.locationId) || compareBatch(a.batchNumber, b.batchNumber));
}

export function inventoryRoutes(app: FastifyInstance, store: DistruStore, render: DistruRenderer): void {
  app.get('/public/v1/inventory', async (request, reply) => {
    const query = parseQuery(request, reply, inventoryQuery);
    if (!query) return reply;
    const groupingList = query['grouping[]'] ?? ['PRODUCT'];
    if (!groupingList.includes('PRODUCT')) {
      return send(reply, validationFailed([entry('must include PRODUCT', ['grouping[]'], 'query')]));
    }
    const grouping: Grouping = { location: groupingList.includes('LOCATION'), batch: groupingList.includes('BATCH_NUMBER') };
    const wanted = query['product_ids[]'];
    const productIds = wanted ? [...new Set(wanted)].filter((id) => store.inventory.has(id)).sort() : store.productIdsSorted;
    // Groups are produced product by product, so a page only groups the products it walks past.
    function* groups(): Generator<InventoryCell> {
      for (const productId of productIds) yield* groupsOf(store.inventory.get(productId) ?? [], grouping);
    }
    const page = paging(query, Math.min(INVENTORY_MAX_PAGE_SIZE, store.maxPageSize));
    const { records, more } = takePage(groups(), () => true, page);
    return send(reply, { status: 200, body: listBody(request, records.map((cell) => render.inventory(cell, grouping)), page, more) });
  });
}
