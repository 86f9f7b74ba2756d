import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { QUANTITY_PLACES } from '../decimal.js';
import { PharusApiError } from '../errors.js';
import { body, created, ok, query, route } from '../http.js';
import { toPage } from '../paging.js';
import type { SkuRecord } from '../records.js';
import { skuCreate, skuListQuery, skuUpdate } from '../schemas.js';
import { skuJson } from '../serialize.js';
import type { PharusStore } from '../store.js';
import { runImport } from './bulk.js';
import { assignDefined, lookupIds, pageArgs, pathRecord, referenced, textMatches } from './common.js';

/** Document 001, "Products": SKUs. `code` in requests is `skuCode` in responses. */
export function registerSkuRoutes(app: FastifyInstance, store: PharusStore): void {
  const json = (r: SkuRecord) => skuJson(store.orgId, r);

  route(app, 'GET', '/skus', (request) => {
    const q = query(request, skuListQuery);
    const types = q.type === undefined ? undefined : lookupIds(store.lookups.skuTypes, q.type);
    const scale = 10 ** QUANTITY_PLACES;
    const filter = (s: SkuRecord) =>
      (q.active === undefined || s.isActive === q.active) &&
      (types === undefined || types.has(s.skuTypeId)) &&
      (q.itemsPerUnitMin === undefined || s.itemsPerUnit >= q.itemsPerUnitMin) &&
      (q.itemsPerUnitMax === undefined || s.itemsPerUnit <= q.itemsPerUnitMax) &&
      (q.ozPerItemMin === undefined || (s.ozPerItem !== null && s.ozPerItem >= q.ozPerItemMin * scale)) &&
      (q.ozPerItemMax === undefined || (s.ozPerItem !== null && s.ozPerItem <= q.ozPerItemMax * scale)) &&
      textMatches(q.q, s.skuCode, s.name);
    return ok(toPage('skus', store.skus.page({ ...pageArgs('skus', q), filter }), json));
  });

  route(app, 'POST', '/skus', (request) => created(json(createSku(store, body(request, skuCreate)))));

  route(app, 'POST', '/skus/import', (request) => runImport(request, skuCreate, (row) => createSku(store, row).id));

  route(app, 'GET', '/skus/:id', (request) => ok(json(pathRecord(request, store.skus, 'SKU'))));

  route(app, 'PATCH', '/skus/:id', (request) => {
    const record = pathRecord(request, store.skus, 'SKU');
    const { code, typeId, ...rest } = body(request, skuUpdate);
    if (typeId !== undefined) referenced(store.lookups.skuTypes, 'SKU type', typeId, 'typeId');
    if (code !== undefined && code !== record.skuCode) {
      requireFreeCode(store, code);
      store.skuIdByCode.delete(record.skuCode);
      store.skuIdByCode.set(code, record.id);
      record.skuCode = code;
    }
    if (typeId !== undefined) record.skuTypeId = typeId;
    assignDefined(record, rest);
    record.updatedAt = new Date();
    return ok(json(record));
  });

  // Hard delete (the document answers `{ deletedId }`), refused while orders or the ledger name it.
  route(app, 'DELETE', '/skus/:id', (request) => {
    const record = pathRecord(request, store.skus, 'SKU');
    let salesOrderItems = 0;
    for (const item of store.salesOrderItems.values()) if (item.skuId === record.id) salesOrderItems++;
    const ledgerEntries = store.finishedGoods.references(record.id);
    if (salesOrderItems + ledgerEntries > 0) {
      throw new PharusApiError('in_use', `SKU ${record.skuCode} is in use`, { inUse: true, references: { salesOrderItems, ledgerEntries } });
    }
    store.finishedGoods.dropEmptyCells((c) => c.itemId === record.id);
    store.skus.remove(record.id);
    store.skuIdByCode.delete(record.skuCode);
    return ok({ deletedId: record.id });
  });
}

function requireFreeCode(store: PharusStore, code: string): void {
  const existing = store.skuIdByCode.get(code);
  if (existing !== undefined) throw new PharusApiError('conflict', `A SKU with code ${code} already exists`, { field: 'code', existingId: existing });
}

function createSku(store: PharusStore, input: z.output<typeof skuCreate>): SkuRecord {
  referenced(store.lookups.skuTypes, 'SKU type', input.typeId, 'typeId');
  requireFreeCode(store, input.code);
  const now = new Date();
  const record: SkuRecord = {
    id: randomUUID(),
    skuCode: input.code,
    name: input.name,
    skuTypeId: input.typeId,
    itemsPerUnit: input.itemsPerUnit ?? 1,
    ozPerItem: input.ozPerItem ?? null,
    qboId: input.qboId ?? null,
    notes: input.notes ?? null,
    isActive: true,
    createdAt: now,
    updatedAt: now,
    listPrice: 0,
  };
  store.skus.insert(record);
  store.skuIdByCode.set(record.skuCode, record.id);
  return record;
}
