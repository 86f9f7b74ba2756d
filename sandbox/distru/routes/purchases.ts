import type { FastifyInstance } from 'fastify';
import { inRange } from '../datetime.js';
import { validationFailed } from '../errors.js';
import { parseBody, parseQuery, send } from '../http.js';
import { arrayParam, listBody, listQuery, paging, takePage } from '../query.js';
import type { PurchaseStatus } from '../records.js';
import type { DistruRenderer } from '../render.js';
import { purchaseRequest } from '../schemas.js';
import type { DistruStore } from '../store.js';
import { upsertPurchase } from '../writes/purchase.js';

export const PURCHASES_MAX_PAGE_SIZE = 100;

/** Seed 002, "Get purchases": the status filter takes display names; purchases carry the upper-case form. */
const PURCHASE_STATUS_FILTER: Record<string, PurchaseStatus> = {
  Pending: 'PENDING',
  Processing: 'PROCESSING',
  Delivering: 'DELIVERING',
  'Partially Received': 'PARTIALLY_RECEIVED',
  Completed: 'COMPLETED',
};

const purchasesQuery = listQuery(['due_datetime', 'inserted_datetime', 'order_datetime', 'updated_datetime'], {
  'status[]': arrayParam(['Pending', 'Processing', 'Delivering', 'Partially Received', 'Completed']).optional(),
});

export function purchaseRoutes(app: FastifyInstance, store: DistruStore, render: DistruRenderer): void {
  app.get('/public/v1/purchases', async (request, reply) => {
    const query = parseQuery(request, reply, purchasesQuery);
    if (!query) return reply;
    const statuses = query['status[]'] ? new Set(query['status[]'].map((s) => PURCHASE_STATUS_FILTER[s])) : null;
    const { due_datetime: due, inserted_datetime: inserted, order_datetime: ordered, updated_datetime: updated } = query;
    const page = paging(query, Math.min(PURCHASES_MAX_PAGE_SIZE, store.maxPageSize));
    const { records, more } = takePage(
      store.purchaseIndex.values(),
      (p) =>
        (!statuses || statuses.has(p.status)) &&
        (!due || inRange(p.dueAt, due)) &&
        (!inserted || inRange(p.insertedAt, inserted)) &&
        (!ordered || inRange(p.orderAt, ordered)) &&
        (!updated || inRange(p.updatedAt, updated)),
      page,
    );
    return send(reply, { status: 200, body: listBody(request, records.map((p) => render.purchase(p)), page, more) });
  });

  app.post('/public/v1/purchases', async (request, reply) => {
    const body = parseBody(request, reply, purchaseRequest);
    if (!body) return reply;
    const result = upsertPurchase(store, body);
    return send(reply, result.ok ? { status: 200, body: { data: render.purchase(result.record) } } : validationFailed(result.errors));
  });
}
