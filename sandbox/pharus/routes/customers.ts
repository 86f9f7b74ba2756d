import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { PharusApiError } from '../errors.js';
import { body, created, ok, query, route } from '../http.js';
import { toPage } from '../paging.js';
import type { CustomerRecord } from '../records.js';
import { customerCreate, customerListQuery, customerUpdate } from '../schemas.js';
import { customerJson } from '../serialize.js';
import type { PharusStore } from '../store.js';
import { runImport } from './bulk.js';
import { assignDefined, lookupIds, pageArgs, pathRecord, referenced, referencedOptional, textMatches } from './common.js';

type CustomerInput = z.output<typeof customerCreate>;
type CustomerPatch = z.output<typeof customerUpdate>;

/** Document 001, "Customers". Request `typeId`/`segmentId`/`parentId` are `customerTypeId`/… in responses. */
export function registerCustomerRoutes(app: FastifyInstance, store: PharusStore): void {
  const json = (r: CustomerRecord) => customerJson(store.orgId, r);

  route(app, 'GET', '/customers', (request) => {
    const q = query(request, customerListQuery);
    const types = q.type === undefined ? undefined : lookupIds(store.lookups.customerTypes, q.type);
    const segments = q.segment === undefined ? undefined : lookupIds(store.lookups.customerSegments, q.segment);
    const brokers = q.broker === undefined ? undefined : lookupIds(store.lookups.brokers, q.broker);
    const filter = (c: CustomerRecord) =>
      (q.active === undefined || c.isActive === q.active) &&
      (types === undefined || types.has(c.customerTypeId)) &&
      (segments === undefined || (c.customerSegmentId !== null && segments.has(c.customerSegmentId))) &&
      (brokers === undefined || (c.brokerId !== null && brokers.has(c.brokerId))) &&
      (q.parentCustomer === undefined || c.parentCustomerId === q.parentCustomer) &&
      textMatches(q.q, c.name, c.city, c.state);
    return ok(toPage('customers', store.customers.page({ ...pageArgs('customers', q), filter }), json));
  });

  route(app, 'POST', '/customers', (request) => created(json(createCustomer(store, body(request, customerCreate)))));

  route(app, 'POST', '/customers/import', (request) => runImport(request, customerCreate, (row) => createCustomer(store, row).id));

  route(app, 'GET', '/customers/:id', (request) => ok(json(pathRecord(request, store.customers, 'Customer'))));

  route(app, 'PATCH', '/customers/:id', (request) => {
    const record = pathRecord(request, store.customers, 'Customer');
    const patch = body(request, customerUpdate);
    checkReferences(store, patch, record.id);
    applyPatch(record, patch);
    record.updatedAt = new Date();
    return ok(json(record));
  });

  // Hard delete, refused while sales orders or child customers name it.
  route(app, 'DELETE', '/customers/:id', (request) => {
    const record = pathRecord(request, store.customers, 'Customer');
    const salesOrders = store.salesOrders.all().filter((o) => o.customerId === record.id).length;
    const childCustomers = store.customers.all().filter((c) => c.parentCustomerId === record.id).length;
    if (salesOrders + childCustomers > 0) {
      throw new PharusApiError('in_use', `Customer ${record.id} is in use`, { inUse: true, references: { salesOrders, childCustomers } });
    }
    store.customers.remove(record.id);
    return ok({ deletedId: record.id });
  });
}

/** Every id the body names must exist; a customer may not be its own parent. */
function checkReferences(store: PharusStore, input: CustomerPatch, self?: string): void {
  if (input.typeId !== undefined) referenced(store.lookups.customerTypes, 'Customer type', input.typeId, 'typeId');
  referencedOptional(store.lookups.customerSegments, 'Customer segment', input.segmentId, 'segmentId');
  referencedOptional(store.lookups.brokers, 'Broker', input.brokerId, 'brokerId');
  referencedOptional(store.customers, 'Customer', input.parentId, 'parentId');
  if (self !== undefined && input.parentId === self) {
    throw new PharusApiError('validation_failed', 'A customer cannot be its own parent', { issues: [{ location: 'body', path: 'parentId', message: 'must not be the customer itself' }] });
  }
}

function applyPatch(record: CustomerRecord, patch: CustomerPatch): void {
  const { typeId, segmentId, parentId, ...rest } = patch;
  if (typeId !== undefined) record.customerTypeId = typeId;
  if (segmentId !== undefined) record.customerSegmentId = segmentId;
  if (parentId !== undefined) record.parentCustomerId = parentId;
  assignDefined(record, rest);
}

function createCustomer(store: PharusStore, input: CustomerInput): CustomerRecord {
  checkReferences(store, input);
  const now = new Date();
  const record: CustomerRecord = {
    id: randomUUID(),
    name: input.name,
    customerTypeId: input.typeId,
    customerSegmentId: input.segmentId ?? null,
    brokerId: input.brokerId ?? null,
    brokerFeePercent: input.brokerFeePercent ?? null,
    address: input.address ?? null,
    city: input.city ?? null,
    state: input.state ?? null,
    country: input.country ?? null,
    zipCode: input.zipCode ?? null,
    parentCustomerId: input.parentId ?? null,
    qboId: input.qboId ?? null,
    notes: input.notes ?? null,
    isActive: true,
    createdAt: now,
    updatedAt: now,
  };
  store.customers.insert(record);
  return record;
}
