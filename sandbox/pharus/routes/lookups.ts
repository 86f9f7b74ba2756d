import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PharusApiError } from '../errors.js';
import { body, created, ok, route } from '../http.js';
import type { LookupRecord } from '../records.js';
import { lookupCreate, lookupUpdate } from '../schemas.js';
import { lookupJson } from '../serialize.js';
import type { LookupKind, PharusStore } from '../store.js';
import { assignDefined, pathRecord } from './common.js';

/**
 * The name lists of document 001 that share one shape: create, list (bounded, `{ data }`), update,
 * delete, and a usage check. Deleting one in use is refused with `in_use`; order channels are
 * soft-deleted instead (the document has "Reactivate order channel").
 */
interface Usage {
  inUse: boolean;
  [count: string]: unknown;
}

interface LookupRoutes {
  kind: LookupKind;
  path: string;
  what: string;
  usage: (store: PharusStore, id: string) => Usage;
  softDelete?: boolean;
}

const SAMPLE = 5;

function sample<T extends { id: string }>(rows: readonly T[], match: (row: T) => boolean): { count: number; ids: string[] } {
  let count = 0;
  const ids: string[] = [];
  for (const row of rows) {
    if (!match(row)) continue;
    count++;
    if (ids.length < SAMPLE) ids.push(row.id);
  }
  return { count, ids };
}

const countOrders = (store: PharusStore, match: (o: { orderChannelId: string; brokerId: string | null }) => boolean) => store.salesOrders.all().filter(match).length;

const LOOKUPS: readonly LookupRoutes[] = [
  {
    kind: 'skuTypes',
    path: '/sku-types',
    what: 'SKU type',
    usage: (store, id) => {
      const s = sample(store.skus.all(), (r) => r.skuTypeId === id);
      return { inUse: s.count > 0, skuCount: s.count, sampleSkuIds: s.ids };
    },
  },
  {
    kind: 'materialTypes',
    path: '/material-types',
    what: 'Material type',
    usage: (store, id) => {
      const s = sample(store.materials.all(), (r) => r.materialTypeId === id);
      return { inUse: s.count > 0, materialCount: s.count, sampleMaterialIds: s.ids };
    },
  },
  {
    kind: 'customerTypes',
    path: '/customer-types',
    what: 'Customer type',
    usage: (store, id) => {
      const s = sample(store.customers.all(), (r) => r.customerTypeId === id);
      return { inUse: s.count > 0, customerCount: s.count, sampleCustomerIds: s.ids };
    },
  },
  {
    kind: 'customerSegments',
    path: '/customer-segments',
    what: 'Customer segment',
    usage: (store, id) => {
      const s = sample(store.customers.all(), (r) => r.customerSegmentId === id);
      return { inUse: s.count > 0, customerCount: s.count, sampleCustomerIds: s.ids };
    },
  },
  {
    kind: 'brokers',
    path: '/brokers',
    what: 'Broker',
    usage: (store, id) => {
      const customerCount = sample(store.customers.all(), (r) => r.brokerId === id).count;
      const soCount = countOrders(store, (o) => o.brokerId === id);
      return { inUse: customerCount + soCount > 0, customerCount, soCount };
    },
  },
  {
    kind: 'orderChannels',
    path: '/order-channels',
    what: 'Order channel',
    usage: (store, id) => {
      const soCount = countOrders(store, (o) => o.orderChannelId === id);
      return { inUse: soCount > 0, soCount };
    },
    softDelete: true,
  },
];

const byPosition = (a: LookupRecord, b: LookupRecord) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name);

export function registerLookupRoutes(app: FastifyInstance, store: PharusStore): void {
  for (const spec of LOOKUPS) registerOne(app, store, spec);
}

function registerOne(app: FastifyInstance, store: PharusStore, spec: LookupRoutes): void {
  const table = store.lookups[spec.kind];
  const json = (r: LookupRecord) => lookupJson(store.orgId, r);
  const requireUniqueName = (name: string, self?: string) => {
    const clash = table.all().find((r) => r.id !== self && r.name.toLowerCase() === name.toLowerCase());
    if (clash) throw new PharusApiError('conflict', `${spec.what} named "${name}" already exists`, { field: 'name', existingId: clash.id });
  };

  route(app, 'GET', spec.path, () => ok({ data: [...table.all()].sort(byPosition).map(json) }));

  route(app, 'POST', spec.path, (request) => {
    const input = body(request, lookupCreate);
    requireUniqueName(input.name);
    const sortOrder = table.all().reduce((max, r) => Math.max(max, r.sortOrder + 1), 0);
    const record: LookupRecord = { id: randomUUID(), name: input.name, sortOrder, isActive: true, createdAt: new Date() };
    table.insert(record);
    return created(json(record));
  });

  route(app, 'PATCH', `${spec.path}/:id`, (request) => {
    const record = pathRecord(request, table, spec.what);
    const patch = body(request, lookupUpdate);
    if (patch.name !== undefined) requireUniqueName(patch.name, record.id);
    assignDefined(record, patch);
    return ok(json(record));
  });

  route(app, 'DELETE', `${spec.path}/:id`, (request) => {
    const record = pathRecord(request, table, spec.what);
    if (spec.softDelete) {
      record.isActive = false;
      return ok(json(record));
    }
    const usage = spec.usage(store, record.id);
    if (usage.inUse) throw new PharusApiError('in_use', `${spec.what} ${record.id} is in use`, usage);
    table.remove(record.id);
    return ok({ deletedId: record.id });
  });

  route(app, 'GET', `${spec.path}/:id/usage`, (request) => ok(spec.usage(store, pathRecord(request, table, spec.what).id)));

  if (spec.softDelete) {
    route(app, 'POST', `${spec.path}/:id/reactivate`, (request) => {
      const record = pathRecord(request, table, spec.what);
      record.isActive = true;
      return ok(json(record));
    });
  }
}
