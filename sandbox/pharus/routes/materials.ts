import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { PharusApiError } from '../errors.js';
import { body, created, ok, query, route } from '../http.js';
import { toPage } from '../paging.js';
import type { MaterialRecord } from '../records.js';
import { materialCreate, materialListQuery, materialUpdate } from '../schemas.js';
import { materialJson } from '../serialize.js';
import type { PharusStore } from '../store.js';
import { runImport } from './bulk.js';
import { assignDefined, lookupIds, pageArgs, pathRecord, referenced, textMatches } from './common.js';

/** Document 001, "Materials". `code` in requests is `materialCode` in responses. */
export function registerMaterialRoutes(app: FastifyInstance, store: PharusStore): void {
  const json = (r: MaterialRecord) => materialJson(store.orgId, r);

  route(app, 'GET', '/materials', (request) => {
    const q = query(request, materialListQuery);
    const types = q.type === undefined ? undefined : lookupIds(store.lookups.materialTypes, q.type);
    const filter = (m: MaterialRecord) => (q.active === undefined || m.isActive === q.active) && (types === undefined || types.has(m.materialTypeId)) && textMatches(q.q, m.materialCode, m.name);
    return ok(toPage('materials', store.materials.page({ ...pageArgs('materials', q), filter }), json));
  });

  route(app, 'POST', '/materials', (request) => created(json(createMaterial(store, body(request, materialCreate)))));

  route(app, 'POST', '/materials/import', (request) => runImport(request, materialCreate, (row) => createMaterial(store, row).id));

  route(app, 'GET', '/materials/:id', (request) => ok(json(pathRecord(request, store.materials, 'Material'))));

  route(app, 'PATCH', '/materials/:id', (request) => {
    const record = pathRecord(request, store.materials, 'Material');
    const { code, typeId, ...rest } = body(request, materialUpdate);
    if (typeId !== undefined) record.materialTypeId = referenced(store.lookups.materialTypes, 'Material type', typeId, 'typeId').id;
    if (code !== undefined && code !== record.materialCode) {
      requireFreeCode(store, code);
      store.materialIdByCode.delete(record.materialCode);
      store.materialIdByCode.set(code, record.id);
      record.materialCode = code;
    }
    assignDefined(record, rest);
    record.updatedAt = new Date();
    return ok(json(record));
  });

  route(app, 'DELETE', '/materials/:id', (request) => {
    const record = pathRecord(request, store.materials, 'Material');
    const ledgerEntries = store.materialsInventory.references(record.id);
    if (ledgerEntries > 0) throw new PharusApiError('in_use', `Material ${record.materialCode} is in use`, { inUse: true, references: { ledgerEntries } });
    store.materialsInventory.dropEmptyCells((c) => c.itemId === record.id);
    store.materials.remove(record.id);
    store.materialIdByCode.delete(record.materialCode);
    return ok({ deletedId: record.id });
  });
}

function requireFreeCode(store: PharusStore, code: string): void {
  const existing = store.materialIdByCode.get(code);
  if (existing !== undefined) throw new PharusApiError('conflict', `A material with code ${code} already exists`, { field: 'code', existingId: existing });
}

function createMaterial(store: PharusStore, input: z.output<typeof materialCreate>): MaterialRecord {
  referenced(store.lookups.materialTypes, 'Material type', input.typeId, 'typeId');
  requireFreeCode(store, input.code);
  const now = new Date();
  const record: MaterialRecord = { id: randomUUID(), materialCode: input.code, name: input.name, materialTypeId: input.typeId, notes: input.notes ?? null, isActive: true, createdAt: now, updatedAt: now };
  store.materials.insert(record);
  store.materialIdByCode.set(record.materialCode, record.id);
  return record;
}
