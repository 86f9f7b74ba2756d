import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound, validationFailed } from '../errors.js';
import { created, FieldErrors, lookup, ok, paginate, parse, pathId, route, UPDATE, type Result } from '../http.js';
import type { Order, OrderItem } from '../records.js';
import { orderCreate, orderItemCreate, orderItemUpdate, orderUpdate, pageQuery } from '../schemas.js';
import { nowIso, type IsolocityStore } from '../store.js';

/**
 * Orders with their items embedded (list and detail), so a reader needs one call per page, not one
 * per order. `order_number` is unique: a retried create is refused rather than duplicated.
 */
export function orderRoutes(app: FastifyInstance, store: IsolocityStore): void {
  const findOrder = (request: FastifyRequest) => lookup(store.orders, request, 'Order', 'order_id');

  const findItem = (request: FastifyRequest, order: Order): Result<OrderItem> => {
    const id = pathId(request, 'id');
    const item = id === null ? undefined : store.orderItems.get(id);
    if (item && item.order_id === order.id) return { ok: true, value: item };
    return { ok: false, reply: notFound('Order item', (request.params as { id: string }).id) };
  };

  /** The references an item body names; `orderId` is the order of the path. */
  const checkItem = (body: { order_id?: number; part_id?: number; drawing_id?: number | null }, orderId: number): FieldErrors => {
    const errors = new FieldErrors();
    if (body.order_id !== undefined && body.order_id !== orderId) errors.add('order_id', 'The order id must match the order in the path.');
    if (body.part_id !== undefined && !store.parts.has(body.part_id)) errors.invalid('part_id');
    if (body.drawing_id != null && !store.specifications.has(body.drawing_id)) errors.invalid('drawing_id');
    return errors;
  };

  route(app, 'GET', '/orders', (request) => {
    const q = parse(pageQuery, request.query);
    return q.ok ? paginate(store.orders.all(), q.value) : q.reply;
  });

  route(app, 'POST', '/orders', (request) => {
    const body = parse(orderCreate, request.body);
    if (!body.ok) return body.reply;
    const b = body.value;
    const errors = new FieldErrors();
    if (b.contact_id != null && !store.customers.has(b.contact_id)) errors.invalid('contact_id');
    if (b.order_number !== undefined && store.orderIdByNumber.has(b.order_number)) errors.taken('order_number');
    if (!errors.empty) return validationFailed(errors.errors);
    const at = nowIso();
    const orderNumber = b.order_number ?? store.nextOrderNumber();
    const order = store.addOrder((id) => ({
      id,
      order_number: orderNumber,
      po_number: b.po_number ?? null,
      contact_id: b.contact_id ?? null,
      order_date: b.order_date ?? at.slice(0, 10),
      serial_number: b.serial_number ?? null,
      is_closed: b.is_closed ?? false,
      items: [],
      created_at: at,
      updated_at: at,
    }));
    return created(order);
  });

  route(app, 'GET', '/orders/:order_id', (request) => {
    const order = findOrder(request);
    return order.ok ? ok(order.value) : order.reply;
  });

  route(app, UPDATE, '/orders/:order_id', (request) => {
    const order = findOrder(request);
    if (!order.ok) return order.reply;
    const body = parse(orderUpdate, request.body);
    if (!body.ok) return body.reply;
    const b = body.value;
    const errors = new FieldErrors();
    if (b.contact_id != null && !store.customers.has(b.contact_id)) errors.invalid('contact_id');
    const holder = b.order_number === undefined ? undefined : store.orderIdByNumber.get(b.order_number);
    if (holder !== undefined && holder !== order.value.id) errors.taken('order_number');
    if (!errors.empty) return validationFailed(errors.errors);
    return ok(store.updateOrder(order.value, b));
  });

  route(app, 'POST', '/orders/:order_id/items', (request) => {
    const order = findOrder(request);
    if (!order.ok) return order.reply;
    const body = parse(orderItemCreate, request.body);
    if (!body.ok) return body.reply;
    const b = body.value;
    const errors = checkItem(b, order.value.id);
    if (!errors.empty) return validationFailed(errors.errors);
    const at = nowIso();
    const item = store.addOrderItem(order.value, (id) => ({
      id,
      order_id: order.value.id,
      part_id: b.part_id,
      quantity: b.quantity,
      serial_number: b.serial_number,
      drawing_id: b.drawing_id ?? null,
      is_low_inventory: b.is_low_inventory ?? false,
      is_low_materials: b.is_low_materials ?? false,
      // "Default, autoincrease": one after the last position.
      order: b.order ?? order.value.items.reduce((max, i) => Math.max(max, i.order), 0) + 1,
      created_at: at,
      updated_at: at,
    }));
    return created(item);
  });

  route(app, UPDATE, '/orders/:order_id/items/:id', (request) => {
    const order = findOrder(request);
    if (!order.ok) return order.reply;
    const item = findItem(request, order.value);
    if (!item.ok) return item.reply;
    const body = parse(orderItemUpdate, request.body);
    if (!body.ok) return body.reply;
    const errors = checkItem(body.value, order.value.id);
    if (!errors.empty) return validationFailed(errors.errors);
    const { order_id: _orderId, ...changes } = body.value;
    const at = nowIso();
    Object.assign(item.value, changes, { updated_at: at });
    order.value.items.sort((a, b) => a.order - b.order || a.id - b.id);
    order.value.updated_at = at;
    return ok(item.value);
  });
}
