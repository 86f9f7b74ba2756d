import type { FastifyInstance } from 'fastify';
import { created, FieldErrors, lookup, ok, paginate, parse, route, UPDATE } from '../http.js';
import { validationFailed } from '../errors.js';
import type { Part } from '../records.js';
import { pageQuery, partBulkCreate, partBulkUpdate, partCreate, partUpdate, type PartCreate } from '../schemas.js';
import { nowIso, type IsolocityStore } from '../store.js';

/** Checks the ids a part body refers to; `prefix` is `""` or `"3."` for a bulk row. */
function checkReferences(store: IsolocityStore, body: Partial<PartCreate>, prefix: string, errors: FieldErrors): void {
  if (body.company_id != null && !store.companies.has(body.company_id)) errors.invalid(`${prefix}company_id`);
  if (body.supplier_id != null && !store.suppliers.has(body.supplier_id)) errors.invalid(`${prefix}supplier_id`);
  if (body.parent_part_id != null && !store.parts.has(body.parent_part_id)) errors.invalid(`${prefix}parent_part_id`);
}

function newPart(id: number, body: PartCreate, at: string): Part {
  return {
    id,
    name: body.name,
    identification: body.identification,
    company_id: body.company_id ?? 1,
    is_activity: body.is_activity ?? false,
    is_finished_product: body.is_finished_product ?? true,
    batch_ids: body.batch_ids ?? [],
    supplier_id: body.supplier_id ?? null,
    parent_part_id: body.parent_part_id ?? null,
    unit_type: body.unit_type ?? null,
    unit_of_measure: body.unit_of_measure ?? null,
    density: body.density ?? null,
    density_mass_unit: body.density_mass_unit ?? null,
    density_volume_unit: body.density_volume_unit ?? null,
    created_at: at,
    updated_at: at,
  };
}

/**
 * Parts: `identification` is the vendor's SKU code and is unique in the sandbox (so that a retried
 * create cannot make a second part for one SKU; docs/vendors/isolocity.md "Parts").
 */
export function partRoutes(app: FastifyInstance, store: IsolocityStore): void {
  route(app, 'GET', '/parts', (request) => {
    const q = parse(pageQuery, request.query);
    return q.ok ? paginate(store.parts.all(), q.value) : q.reply;
  });

  route(app, 'POST', '/parts', (request) => {
    const body = parse(partCreate, request.body);
    if (!body.ok) return body.reply;
    const errors = new FieldErrors();
    checkReferences(store, body.value, '', errors);
    if (store.partIdByIdentification.has(body.value.identification)) errors.taken('identification');
    if (!errors.empty) return validationFailed(errors.errors);
    return created(store.addPart((id) => newPart(id, body.value, nowIso())));
  });

  // Static paths win over `/parts/:id` in Fastify's router, whatever the order of registration.
  route(app, 'POST', '/parts/bulk', (request) => {
    const body = parse(partBulkCreate, request.body);
    if (!body.ok) return body.reply;
    const errors = new FieldErrors();
    const inBatch = new Set<string>();
    body.value.forEach((row, i) => {
      checkReferences(store, row, `${i}.`, errors);
      if (store.partIdByIdentification.has(row.identification) || inBatch.has(row.identification)) errors.taken(`${i}.identification`);
      inBatch.add(row.identification);
    });
    // All or nothing: one bad row rejects the whole request.
    if (!errors.empty) return validationFailed(errors.errors);
    const at = nowIso();
    const parts = body.value.map((row) => store.addPart((id) => newPart(id, row, at)));
    return created(parts, { count: parts.length });
  });

  route(app, UPDATE, '/parts/bulk', (request) => {
    const body = parse(partBulkUpdate, request.body);
    if (!body.ok) return body.reply;
    const errors = new FieldErrors();
    const batchIds = new Set<number>();
    // The identification each part will have once the whole batch applies (so swaps are allowed).
    const finalIdentification = new Map<string, number>();
    body.value.forEach((row, i) => {
      if (!store.parts.has(row.id)) errors.invalid(`${i}.id`);
      else if (batchIds.has(row.id)) errors.add(`${i}.id`, `The ${i}.id field has a duplicate value.`);
      batchIds.add(row.id);
      checkReferences(store, row, `${i}.`, errors);
      if (finalIdentification.has(row.identification)) errors.taken(`${i}.identification`);
      finalIdentification.set(row.identification, row.id);
    });
    body.value.forEach((row, i) => {
      const holder = store.partIdByIdentification.get(row.identification);
      if (holder !== undefined && holder !== row.id && !batchIds.has(holder)) errors.taken(`${i}.identification`);
    });
    if (!errors.empty) return validationFailed(errors.errors);
    // Free every old identification first so that a swap inside the batch keeps the index right.
    const rows = body.value.map((row) => ({ row, part: store.parts.get(row.id) as Part }));
    for (const { part } of rows) store.partIdByIdentification.delete(part.identification);
    const parts = rows.map(({ row, part }) => {
      const { id: _id, ...changes } = row;
      const updated = store.updatePart(part, changes);
      store.partIdByIdentification.set(updated.identification, updated.id);
      return updated;
    });
    return ok(parts, { count: parts.length });
  });

  route(app, 'GET', '/parts/:id', (request) => {
    const part = lookup(store.parts, request, 'Part');
    return part.ok ? ok(part.value) : part.reply;
  });

  route(app, UPDATE, '/parts/:id', (request) => {
    const part = lookup(store.parts, request, 'Part');
    if (!part.ok) return part.reply;
    const body = parse(partUpdate, request.body);
    if (!body.ok) return body.reply;
    const { identification } = body.value;
    const holder = identification === undefined ? undefined : store.partIdByIdentification.get(identification);
    if (holder !== undefined && holder !== part.value.id) return validationFailed({ identification: ['The identification has already been taken.'] });
    return ok(store.updatePart(part.value, body.value));
  });
}
