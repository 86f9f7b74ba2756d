import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VendorReply } from '../core/server.js';
import { badRequest, feathersError, fieldErrors, HapihubError, notFound, summarize } from './errors.js';
import { isObjectId } from './ids.js';
import { compileFind, findRecords, selectFields, type Paginate } from './query.js';
import { parseQueryString, type QueryObject } from './querystring.js';
import { createTransactionSchema, patchSchema, type InventoryTransaction } from './schemas.js';
import type { HapihubStore } from './store.js';
import { findStocks } from './stocks.js';

/**
 * The four operations of document 003 (Inventory_Transaction: Post, Find, Get, Patch) on the
 * Feathers service `inventory-transactions`. The document answers every success with
 * `HTTP/1.1 200 OK`, create included, so the sandbox does too (stock Feathers would send 201).
 */
const SERVICE = '/inventory-transactions';

function send(reply: FastifyReply, r: VendorReply): FastifyReply {
  return reply.code(r.status).type('application/json').send(JSON.stringify(r.body));
}

/** Runs a handler and answers a HapihubError in Feathers' shape; anything else is the core's 500. */
function handle(handler: (request: FastifyRequest) => unknown) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    try {
      return send(reply, { status: 200, body: handler(request) });
    } catch (error) {
      if (error instanceof HapihubError) return send(reply, error.reply);
      throw error;
    }
  };
}

function queryOf(request: FastifyRequest): QueryObject {
  const q = request.url.indexOf('?');
  return q < 0 ? {} : parseQueryString(request.url.slice(q + 1));
}

/** GET and PATCH by id take only `$select` (Feathers' `params.query` for one record). */
function selectOnly(request: FastifyRequest): readonly string[] | null {
  const { $select, ...rest } = queryOf(request);
  const extra = Object.keys(rest);
  if (extra.length > 0) throw badRequest(`Invalid query parameter ${extra[0]}`, Object.fromEntries(extra.map((k) => [k, 'only $select is allowed here'])));
  return $select === undefined ? null : compileFind({ $select }).select;
}

/** Ids are ObjectIds: another shape is a bad request (as Mongoose's cast error), an unknown one is NotFound. */
function existing(store: HapihubStore, request: FastifyRequest): InventoryTransaction {
  const { id } = request.params as { id: string };
  if (!isObjectId(id)) throw badRequest(`Invalid id '${id}'`, { id: 'must be a 24-character hex ObjectId' });
  const record = store.get(id);
  if (!record) throw notFound(id);
  return record;
}

function validationFailed(errors: Record<string, string>): HapihubError {
  return badRequest(`Validation failed: ${summarize(errors)}`, errors);
}

export function registerRoutes(app: FastifyInstance, store: HapihubStore, paginate: Paginate): void {
  const createSchema = createTransactionSchema(store);

  app.get(
    SERVICE,
    handle((request) => findRecords(store.all(), compileFind(queryOf(request)), paginate)),
  );

  // The stock a newer HAPIHub build serves (stocks.ts); read-only.
  app.get(
    '/inventory-stocks',
    handle((request) => findStocks(store, queryOf(request), paginate)),
  );

  app.get(
    `${SERVICE}/:id`,
    handle((request) => {
      const select = selectOnly(request);
      return selectFields(existing(store, request), select);
    }),
  );

  app.post(
    SERVICE,
    handle((request) => {
      const parsed = createSchema.safeParse(request.body);
      if (!parsed.success) throw validationFailed(fieldErrors(parsed.error));
      return store.create(parsed.data);
    }),
  );

  app.patch(
    `${SERVICE}/:id`,
    handle((request) => {
      const select = selectOnly(request);
      const current = existing(store, request);
      const patch = patchSchema.safeParse(request.body);
      if (!patch.success) throw validationFailed(fieldErrors(patch.error));
      // Feathers' patch merges the given top-level fields into the record (MongoDB `$set`); the
      // merged record must still be a valid transaction, or nothing is stored.
      const merged: InventoryTransaction = { ...current, ...patch.data };
      const { id, createdBy, ...writable } = merged;
      const checked = createSchema.safeParse(writable);
      if (!checked.success) throw validationFailed(fieldErrors(checked.error));
      const { createdAt = current.createdAt, ...fields } = checked.data;
      const record: InventoryTransaction = { id, createdAt, createdBy, ...fields };
      store.replace(record);
      return selectFields(record, select);
    }),
  );

  // Methods the service does not offer answer as Feathers does for a missing service method.
  const notAllowed = (method: string) => () => {
    throw new HapihubError(feathersError('MethodNotAllowed', `Method \`${method}\` is not supported by this endpoint.`));
  };
  app.put(`${SERVICE}/:id`, handle(notAllowed('update')));
  app.delete(`${SERVICE}/:id`, handle(notAllowed('remove')));
  app.put(SERVICE, handle(notAllowed('update')));
  app.patch(SERVICE, handle(notAllowed('patch')));
  app.delete(SERVICE, handle(notAllowed('remove')));
}
