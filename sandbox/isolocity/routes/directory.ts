import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { created, lookup, ok, paginate, parse, route, UPDATE } from '../http.js';
import type { Customer, Location, Supplier } from '../records.js';
import { customerCreate, customerUpdate, locationCreate, locationUpdate, pageQuery, specificationListQuery, supplierCreate, supplierUpdate } from '../schemas.js';
import { nowIso, type IsolocityStore } from '../store.js';
import type { Table } from '../table.js';

interface CrudOptions<T extends { id: number }, C extends z.ZodType, U extends z.ZodType> {
  path: string;
  resource: string;
  table: Table<T>;
  create: C;
  update: U;
  build(id: number, body: z.output<C>, at: string): T;
}

/** List, get, create and update of a record with no cross-references to check. */
function crud<T extends { id: number }, C extends z.ZodType, U extends z.ZodType>(app: FastifyInstance, o: CrudOptions<T, C, U>): void {
  route(app, 'GET', o.path, (request) => {
    const q = parse(pageQuery, request.query);
    return q.ok ? paginate(o.table.all(), q.value) : q.reply;
  });
  route(app, 'POST', o.path, (request) => {
    const body = parse(o.create, request.body);
    if (!body.ok) return body.reply;
    const at = nowIso();
    return created(o.table.insert((id) => o.build(id, body.value, at)));
  });
  route(app, 'GET', `${o.path}/:id`, (request) => {
    const record = lookup(o.table, request, o.resource);
    return record.ok ? ok(record.value) : record.reply;
  });
  route(app, UPDATE, `${o.path}/:id`, (request) => {
    const record = lookup(o.table, request, o.resource);
    if (!record.ok) return record.reply;
    const body = parse(o.update, request.body);
    if (!body.ok) return body.reply;
    return ok(Object.assign(record.value, body.value, { updated_at: nowIso() }));
  });
}

const CONTACT_DEFAULTS = {
  primary_name: null,
  primary_email: null,
  primary_phone: null,
  primary_position: null,
  secondary_name: null,
  secondary_email: null,
  secondary_phone: null,
  secondary_position: null,
};

/** Companies, suppliers, customers, locations and specifications: the organisation's directory. */
export function directoryRoutes(app: FastifyInstance, store: IsolocityStore): void {
  // "List existing companies" is the only company operation the document has.
  route(app, 'GET', '/companies', (request) => {
    const q = parse(pageQuery, request.query);
    return q.ok ? paginate(store.companies.all(), q.value) : q.reply;
  });

  crud(app, {
    path: '/suppliers',
    resource: 'Supplier',
    table: store.suppliers,
    create: supplierCreate,
    update: supplierUpdate,
    build: (id, b, at): Supplier => ({ id, ...CONTACT_DEFAULTS, notes: null, ...b, created_at: at, updated_at: at }),
  });

  crud(app, {
    path: '/customers',
    resource: 'Customer',
    table: store.customers,
    create: customerCreate,
    update: customerUpdate,
    build: (id, b, at): Customer => ({
      id,
      ...CONTACT_DEFAULTS,
      street: null,
      city: null,
      province: null,
      country: null,
      postal_code: null,
      custom_field_1: null,
      custom_field_2: null,
      ...b,
      created_at: at,
      updated_at: at,
    }),
  });

  crud(app, {
    path: '/locations',
    resource: 'Location',
    table: store.locations,
    create: locationCreate,
    update: locationUpdate,
    build: (id, b, at): Location => ({ id, name: b.name, is_active: b.is_active ?? 1, created_at: at, updated_at: at }),
  });

  // Specifications are read-only in the document: list (filters `identification`, `keyword`) and get.
  route(app, 'GET', '/specifications', (request) => {
    const q = parse(specificationListQuery, request.query);
    if (!q.ok) return q.reply;
    const identification = q.value.identification || undefined;
    const keyword = q.value.keyword?.trim().toLowerCase() || undefined;
    const rows = store.specifications
      .all()
      .filter((s) => (identification === undefined || s.identification === identification) && (keyword === undefined || s.name.toLowerCase().includes(keyword) || s.identification.toLowerCase().includes(keyword)));
    return paginate(rows, q.value);
  });
  route(app, 'GET', '/specifications/:id', (request) => {
    const spec = lookup(store.specifications, request, 'Specification');
    return spec.ok ? ok(spec.value) : spec.reply;
  });
}
