import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { inRange } from '../datetime.js';
import { recordNotFound, validationFailed } from '../errors.js';
import { parseBody, parseQuery, send } from '../http.js';
import { arrayParam, listBody, listQuery, paging, stringArrayParam, takePage } from '../query.js';
import type { Invoice } from '../records.js';
import { INVOICE_STATUS_FILTER, type DistruRenderer } from '../render.js';
import { invoiceRequest, uuid } from '../schemas.js';
import { newestInvoiceFirst, type DistruStore } from '../store.js';
import { upsertInvoice } from '../writes/invoice.js';
import { idParam } from './id-param.js';

export const INVOICES_MAX_PAGE_SIZE = 100;

/** Seed 002, "Get invoices": the status filter takes the display names, e.g. `status[]=Fully+Paid`. */
const invoicesQuery = listQuery(['due_datetime', 'inserted_datetime', 'invoice_datetime', 'updated_datetime'], {
  invoice_number: z.string().optional(),
  'order_id[]': stringArrayParam(uuid).optional(),
  'status[]': arrayParam(['Not Paid', 'Partially Paid', 'Fully Paid', 'Over Paid']).optional(),
});

export function invoiceRoutes(app: FastifyInstance, store: DistruStore, render: DistruRenderer): void {
  app.get('/public/v1/invoices', async (request, reply) => {
    const query = parseQuery(request, reply, invoicesQuery);
    if (!query) return reply;
    const statuses = query['status[]'] ? new Set(query['status[]'].map((s) => INVOICE_STATUS_FILTER[s])) : null;
    const numberPart = query.invoice_number?.toLowerCase();
    const { due_datetime: due, inserted_datetime: inserted, invoice_datetime: invoiced, updated_datetime: updated } = query;
    // `order_id[]` reads the invoices of those orders from the by-order index (how the gateway batches invoices of many orders).
    const orderIds = query['order_id[]'];
    const source: Iterable<Invoice> = orderIds
      ? [...new Set(orderIds)].flatMap((orderId) => [...(store.invoicesByOrder.get(orderId) ?? [])].flatMap((id) => store.invoices.get(id) ?? [])).sort(newestInvoiceFirst)
      : store.invoiceIndex.values();
    const page = paging(query, Math.min(INVOICES_MAX_PAGE_SIZE, store.maxPageSize));
    const { records, more } = takePage(
      source,
      (inv) =>
        (!statuses || statuses.has(inv.status)) &&
        (numberPart === undefined || inv.number.toLowerCase().includes(numberPart)) &&
        (!due || inRange(inv.dueAt, due)) &&
        (!inserted || inRange(inv.insertedAt, inserted)) &&
        (!invoiced || inRange(inv.invoiceAt, invoiced)) &&
        (!updated || inRange(inv.updatedAt, updated)),
      page,
    );
    return send(reply, { status: 200, body: listBody(request, records.map((inv) => render.invoice(inv)), page, more) });
  });

  app.get('/public/v1/invoices/:id', async (request, reply) => {
    const id = idParam(request, reply);
    if (id === null) return reply;
    const invoice = store.invoices.get(id);
    return send(reply, invoice ? { status: 200, body: { data: render.invoice(invoice) } } : recordNotFound(id));
  });

  app.post('/public/v1/invoices', async (request, reply) => {
    const body = parseBody(request, reply, invoiceRequest);
    if (!body) return reply;
    const result = upsertInvoice(store, body);
    return send(reply, result.ok ? { status: 200, body: { data: render.invoice(result.record) } } : validationFailed(result.errors));
  });
}
