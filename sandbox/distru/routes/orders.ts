import type { FastifyInstance } from 'fastify';
import { inRange } from '../datetime.js';
import { recordNotFound, validationFailed } from '../errors.js';
import { parseBody, parseQuery, send } from '../http.js';
import { arrayParam, listBody, listQuery, paging, takePage } from '../query.js';
import { ORDER_STATUSES } from '../records.js';
import type { DistruRenderer } from '../render.js';
import { orderRequest } from '../schemas.js';
import type { DistruStore } from '../store.js';
import { upsertOrder } from '../writes/order.js';
import { idParam } from './id-param.js';

/** Orders carry their items, so their pages are smaller than the catalog's (docs/vendors/distru.md). */
export const ORDERS_MAX_PAGE_SIZE = 100;

const ordersQuery = listQuery(['delivery_datetime', 'due_datetime', 'inserted_datetime', 'order_datetime', 'updated_datetime'], {
  'status[]': arrayParam(ORDER_STATUSES).optional(),
});

export function orderRoutes(app: FastifyInstance, store: DistruStore, render: DistruRenderer): void {
  app.get('/public/v1/orders', async (request, reply) => {
    const query = parseQuery(request, reply, ordersQuery);
    if (!query) return reply;
    const statuses = query['status[]'] ? new Set(query['status[]']) : null;
    const { delivery_datetime: delivery, due_datetime: due, inserted_datetime: inserted, order_datetime: ordered, updated_datetime: updated } = query;
    const page = paging(query, Math.min(ORDERS_MAX_PAGE_SIZE, store.maxPageSize));
    const { records, more } = takePage(
      store.orderIndex.values(),
      (o) =>
        (!statuses || statuses.has(o.status)) &&
        (!delivery || inRange(o.deliveryAt, delivery)) &&
        (!due || inRange(o.dueAt, due)) &&
        (!inserted || inRange(o.insertedAt, inserted)) &&
        (!ordered || inRange(o.orderAt, ordered)) &&
        (!updated || inRange(o.updatedAt, updated)),
      page,
    );
    return send(reply, { status: 200, body: listBody(request, records.map((o) => render.order(o)), page, more) });
  });

  app.get('/public/v1/orders/:id', async (request, reply) => {
    const id = idParam(request, reply);
    if (id === null) return reply;
    const order = store.orders.get(id);
    return send(reply, order ? { status: 200, body: { data: render.order(order) } } : recordNotFound(id));
  });

  app.post('/public/v1/orders', async (request, reply) => {
    const body = parseBody(request, reply, orderRequest);
    if (!body) return reply;
    const result = upsertOrder(store, body);
    return send(reply, result.ok ? { status: 200, body: { data: render.order(result.record) } } : validationFailed(result.errors));
  });
}
