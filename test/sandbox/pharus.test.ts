import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { pharusId, startPharusSandbox, type PharusStore } from '../../sandbox/pharus/index.js';
import { generateWorld } from '../../sandbox/world/index.js';
import {
  AUTH,
  NO_SUCH_ID,
  PharusTestClient,
  customerSchema,
  deletedSchema,
  first,
  importSchema,
  issuesSchema,
  listOf,
  locationSchema,
  lookupSchema,
  pageOf,
  referenceDetails,
  skuSchema,
} from './pharus-helpers.js';

// Pharus sandbox over real loopback HTTP: auth, error shapes, cursor paging, and the catalogue
// (SKUs, name lists, customers, locations) projected from the shared world.

const world = generateWorld({ scale: 0.2 });
let sandbox: SandboxHandle<PharusStore>;
const api = new PharusTestClient(() => sandbox);

beforeAll(async () => {
  sandbox = await startPharusSandbox({ port: 0, world });
});
afterAll(() => sandbox.close());

const pharusSkus = world.skus.filter((s) => s.vendorCodes.pharus !== undefined);
const skuTypes = async () => (await api.get(listOf(lookupSchema), '/sku-types')).data;
const customerTypes = async () => (await api.get(listOf(lookupSchema), '/customer-types')).data;

describe('authentication', () => {
  it('rejects a missing bearer token with 401 unauthorized', async () => {
    const error = await api.fails(401, 'GET', '/skus', undefined, { 'x-org-id': 'dev-org' });
    expect(error.code).toBe('unauthorized');
  });

  it('rejects a wrong bearer token with 401 unauthorized', async () => {
    const error = await api.fails(401, 'GET', '/skus', undefined, { authorization: 'Bearer nope', 'x-org-id': 'dev-org' });
    expect(error.code).toBe('unauthorized');
  });

  it('rejects a good token without X-Org-Id, or for another organisation, with 403 forbidden', async () => {
    expect((await api.fails(403, 'GET', '/skus', undefined, { authorization: AUTH.authorization })).code).toBe('forbidden');
    expect((await api.fails(403, 'GET', '/skus', undefined, { ...AUTH, 'x-org-id': 'other-org' })).code).toBe('forbidden');
  });

  it('accepts an org-bound personal access token without X-Org-Id, ignoring the header (E005)', async () => {
    const pat = sandbox.credentials.pat ?? '';
    expect(pat).toMatch(/^pharus_pat_[A-Za-z0-9]{32}$/);
    const withPat: Record<string, string>[] = [{ authorization: `Bearer ${pat}` }, { authorization: `Bearer ${pat}`, 'x-org-id': 'other-org' }];
    for (const headers of withPat) {
      const response = await fetch(`${sandbox.url}/api/locations`, { headers });
      expect(response.status).toBe(200);
    }
    expect((await api.fails(401, 'GET', '/skus', undefined, { authorization: 'Bearer pharus_pat_NotTheOneNotTheOneNotTheOne0000' })).code).toBe('unauthorized');
  });

  it('takes its token and organisation from options.credentials and stamps orgId on records', async () => {
    const other = await startPharusSandbox({ port: 0, world, credentials: { token: 'tok-2', orgId: 'org-2' } });
    try {
      expect((await fetch(`${other.url}/api/locations`, { headers: AUTH })).status).toBe(401);
      const response = await fetch(`${other.url}/api/locations`, { headers: { authorization: 'Bearer tok-2', 'x-org-id': 'org-2' } });
      expect(response.status).toBe(200);
      const { data } = listOf(locationSchema).parse(await response.json());
      expect(data.length).toBeGreaterThan(0);
      expect(data.every((l) => l.orgId === 'org-2')).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('error shapes', () => {
  it('answers an unknown route with 404 not_found', async () => {
    expect(await api.fails(404, 'GET', '/no-such-thing')).toEqual({ code: 'not_found', message: 'Route GET /api/no-such-thing not found' });
  });

  it('answers a body that is not JSON with 422 validation_failed (the status Pharus’s pages give it)', async () => {
    const response = await fetch(`${sandbox.url}/api/skus`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: '{"code":' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as unknown;
    expect(body).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('answers a path id that is not a UUID with 422 validation_failed naming the parameter', async () => {
    const error = await api.fails(422, 'GET', '/skus/42');
    expect(error.code).toBe('validation_failed');
    expect(issuesSchema.parse(error.details).issues).toEqual([{ location: 'path', path: 'id', message: 'must be a UUID' }]);
  });

  it('answers an unknown id with 404 not_found', async () => {
    expect(await api.fails(404, 'GET', `/skus/${NO_SUCH_ID}`)).toEqual({ code: 'not_found', message: `SKU ${NO_SUCH_ID} not found` });
  });

  it('answers injected faults in the Pharus shape, keeping Retry-After', async () => {
    sandbox.faults.add({ match: 'GET /api/locations', status: 429, retryAfter: 2 });
    try {
      const response = await fetch(`${sandbox.url}/api/locations`, { headers: AUTH });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await response.json()).toEqual({ error: { code: 'rate_limited', message: 'Too many requests' } });
    } finally {
      sandbox.faults.clear();
    }
  });
});

describe('cursor paging', () => {
  it('pages SKUs to the end: the union of pages is every SKU, once', async () => {
    const rows = await api.readAll(skuSchema, '/skus', 7, (s) => s.id);
    expect(rows.length).toBe(pharusSkus.length);
  });

  it('uses 50 as the default page size', async () => {
    const page = await api.get(pageOf(skuSchema), '/skus');
    expect(page.data.length).toBe(50);
    expect(page.nextCursor).not.toBeNull();
  });

  it('refuses a limit above 500, a limit of 0, a non-number and a mangled cursor', async () => {
    for (const q of ['limit=501', 'limit=0', 'limit=ten', 'cursor=not-a-cursor']) {
      expect((await api.fails(422, 'GET', `/skus?${q}`)).code, q).toBe('validation_failed');
    }
  });

  it('refuses a cursor that another list returned', async () => {
    const customers = await api.get(pageOf(customerSchema), '/customers?limit=1');
    const error = await api.fails(422, 'GET', `/skus?cursor=${customers.nextCursor}`);
    expect(first(issuesSchema.parse(error.details).issues).path).toBe('cursor');
  });

  it('keeps a cursor valid when rows are added elsewhere in the list', async () => {
    const before = await api.get(pageOf(customerSchema), '/customers?limit=5');
    const type = first(await customerTypes());
    const added = await api.ok(customerSchema, 'POST', '/customers', { name: 'Aardvark Wellness', typeId: type.id }, 201);
    try {
      const rest = await api.readAll(customerSchema, `/customers?cursor=${before.nextCursor}`, 50, (c) => c.id);
      const seenFirst = new Set(before.data.map((c) => c.id));
      expect(rest.some((c) => seenFirst.has(c.id))).toBe(false);
      const all = new Set([...before.data, ...rest].map((c) => c.id));
      for (const c of world.customers) expect(all.has(pharusId('customer', c.key)), c.key).toBe(true);
      // Lists are in id order: the new row is read after the cursor exactly when its id sorts after it.
      const afterCursor = added.id > (before.data.at(-1)?.id ?? '');
      expect(all.has(added.id)).toBe(afterCursor);
      expect(all.size).toBe(world.customers.length + (afterCursor ? 1 : 0));
    } finally {
      await api.ok(deletedSchema, 'DELETE', `/customers/${added.id}`);
    }
  });
});

describe('SKUs', () => {
  it('serves every SKU Pharus carries with its Pharus code and name, and none it does not carry', async () => {
    const rows = await api.readAll(skuSchema, '/skus', 200, (s) => s.id);
    const byCode = new Map(rows.map((r) => [r.skuCode, r]));
    for (const sku of pharusSkus) expect(byCode.get(sku.vendorCodes.pharus ?? '')?.name, sku.code).toBe(sku.name);
    const missing = world.skus.filter((s) => s.vendorCodes.pharus === undefined);
    expect(missing.length).toBeGreaterThan(0);
    for (const sku of missing) expect(byCode.has(sku.code)).toBe(false);
  });

  it('uses the Pharus spelling where it differs from the canonical code', async () => {
    const differing = pharusSkus.find((s) => s.vendorCodes.pharus !== s.code);
    const code = differing?.vendorCodes.pharus ?? 'none';
    expect(code).not.toBe(differing?.code);
    const page = await api.get(pageOf(skuSchema), `/skus?q=${encodeURIComponent(code)}`);
    expect(page.data.map((s) => s.skuCode)).toEqual([code]);
  });

  it('serves the same record from the list and from GET /skus/:id', async () => {
    const sku = first((await api.get(pageOf(skuSchema), '/skus?limit=1')).data);
    expect(await api.get(skuSchema, `/skus/${sku.id}`)).toEqual(sku);
  });

  it('filters by type (id or name), itemsPerUnit bounds and active', async () => {
    const category = first(world.skus).category;
    const type = (await skuTypes()).find((t) => t.name === category);
    const byName = await api.readAll(skuSchema, `/skus?type=${encodeURIComponent(category)}`, 100, (s) => s.id);
    const byId = await api.readAll(skuSchema, `/skus?type=${type?.id}`, 100, (s) => s.id);
    expect(byName.length).toBe(pharusSkus.filter((s) => s.category === category).length);
    expect(byId.map((s) => s.id)).toEqual(byName.map((s) => s.id));
    const multipacks = await api.readAll(skuSchema, '/skus?itemsPerUnitMin=2', 100, (s) => s.id);
    expect(multipacks.length).toBeGreaterThan(0);
    expect(multipacks.every((s) => s.itemsPerUnit >= 2)).toBe(true);
    expect((await api.get(pageOf(skuSchema), '/skus?active=false')).data).toEqual([]);
    await api.fails(422, 'GET', '/skus?active=maybe');
  });

  it('creates a SKU that reads back, and refuses a duplicate code without changing anything', async () => {
    const type = first(await skuTypes());
    const created = await api.ok(skuSchema, 'POST', '/skus', { code: 'NEW-001', name: 'New Balm', typeId: type.id, itemsPerUnit: 6, ozPerItem: 1.25 }, 201);
    expect(created).toMatchObject({ skuCode: 'NEW-001', name: 'New Balm', skuTypeId: type.id, itemsPerUnit: 6, ozPerItem: '1.2500', isActive: true, orgId: 'dev-org' });
    expect(await api.get(skuSchema, `/skus/${created.id}`)).toEqual(created);
    const count = sandbox.store.skus.size;
    expect((await api.fails(409, 'POST', '/skus', { code: 'NEW-001', name: 'Other', typeId: type.id })).code).toBe('conflict');
    expect(sandbox.store.skus.size).toBe(count);
    await api.ok(deletedSchema, 'DELETE', `/skus/${created.id}`);
  });

  it('refuses invalid SKU bodies with validation_failed listing each issue, creating nothing', async () => {
    const type = first(await skuTypes());
    const count = sandbox.store.skus.size;
    const wrong = await api.fails(422, 'POST', '/skus', { code: '', name: 5, typeId: type.id, itemsPerUnit: 0 });
    expect(wrong.code).toBe('validation_failed');
    expect(issuesSchema.parse(wrong.details).issues.map((i) => i.path).sort()).toEqual(['code', 'itemsPerUnit', 'name']);
    await api.fails(422, 'POST', '/skus', { code: 'X-1', name: 'X', typeId: type.id, skuCode: 'X-1' });
    await api.fails(422, 'POST', '/skus', { code: 'X-1', name: 'X', typeId: type.id, ozPerItem: 1.23456 });
    await api.fails(422, 'POST', '/skus', ['not', 'an', 'object']);
    const unknownType = await api.fails(404, 'POST', '/skus', { code: 'X-1', name: 'X', typeId: NO_SUCH_ID });
    expect(referenceDetails.parse(unknownType.details)).toEqual({ field: 'typeId', id: NO_SUCH_ID });
    expect(sandbox.store.skus.size).toBe(count);
  });

  it('updates a SKU code, and refuses taking another SKU code without changing anything', async () => {
    const [a, b] = (await api.get(pageOf(skuSchema), '/skus?limit=2')).data;
    if (a === undefined || b === undefined) throw new Error('need two SKUs');
    const renamed = await api.ok(skuSchema, 'PATCH', `/skus/${a.id}`, { code: `${a.skuCode}-R`, notes: 'renamed' });
    expect(renamed).toMatchObject({ skuCode: `${a.skuCode}-R`, notes: 'renamed' });
    expect((await api.get(pageOf(skuSchema), `/skus?q=${a.skuCode}-R`)).data.map((s) => s.id)).toEqual([a.id]);
    await api.fails(409, 'PATCH', `/skus/${a.id}`, { code: b.skuCode, name: 'Changed' });
    expect(await api.get(skuSchema, `/skus/${a.id}`)).toMatchObject({ name: a.name, skuCode: `${a.skuCode}-R` });
    await api.ok(skuSchema, 'PATCH', `/skus/${a.id}`, { code: a.skuCode, notes: null });
  });

  it('refuses to delete a SKU that orders or the ledger name (in_use), and deletes an unused one', async () => {
    const used = first(first(sandbox.store.salesOrders.all()).items).skuId;
    expect((await api.fails(409, 'DELETE', `/skus/${used}`)).code).toBe('in_use');
    await api.get(skuSchema, `/skus/${used}`);
    const created = await api.ok(skuSchema, 'POST', '/skus', { code: 'TEMP-DEL', name: 'Temp', typeId: first(await skuTypes()).id }, 201);
    expect(await api.ok(deletedSchema, 'DELETE', `/skus/${created.id}`)).toEqual({ deletedId: created.id });
    await api.fails(404, 'GET', `/skus/${created.id}`);
  });

  it('bulk-imports SKUs row by row: good rows are created, bad rows fail alone', async () => {
    const type = first(await skuTypes());
    const count = sandbox.store.skus.size;
    const result = await api.ok(importSchema, 'POST', '/skus/import', {
      rows: [
        { code: 'IMP-1', name: 'Imported 1', typeId: type.id },
        { code: 'IMP-2', typeId: type.id },
        { code: 'IMP-1', name: 'Duplicate', typeId: type.id },
        { code: 'IMP-3', name: 'Imported 3', typeId: type.id },
      ],
    });
    expect(result.results.map((r) => (r.status === 'failed' ? r.error.code : r.status))).toEqual(['created', 'validation_failed', 'conflict', 'created']);
    expect(result.results.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(result.ids).toEqual(result.results.flatMap((r) => (r.status === 'created' ? [r.id] : [])));
    expect(sandbox.store.skus.size).toBe(count + 2);
    for (const id of result.ids) await api.ok(deletedSchema, 'DELETE', `/skus/${id}`);
    await api.fails(422, 'POST', '/skus/import', { rows: [] });
  });
});

describe('name lists', () => {
  it('lists one SKU type per world category, without a cursor', async () => {
    const types = await skuTypes();
    expect(types.map((t) => t.name).sort()).toEqual([...new Set(world.skus.map((s) => s.category))].sort());
  });

  it('refuses to delete a type in use, reports its usage, and deletes an unused one', async () => {
    const type = first(await skuTypes());
    const usage = await api.get(z.strictObject({ inUse: z.boolean(), skuCount: z.number(), sampleSkuIds: z.array(z.string()) }), `/sku-types/${type.id}/usage`);
    expect(usage.inUse).toBe(true);
    expect(usage.skuCount).toBe(pharusSkus.filter((s) => s.category === type.name).length);
    expect((await api.fails(409, 'DELETE', `/sku-types/${type.id}`)).code).toBe('in_use');
    const created = await api.ok(lookupSchema, 'POST', '/sku-types', { name: 'Seasonal' }, 201);
    expect((await api.fails(409, 'POST', '/sku-types', { name: 'seasonal' })).code).toBe('conflict');
    expect(await api.ok(deletedSchema, 'DELETE', `/sku-types/${created.id}`)).toEqual({ deletedId: created.id });
  });

  it('soft-deletes an order channel and reactivates it', async () => {
    const channel = first((await api.get(listOf(lookupSchema), '/order-channels')).data);
    expect(await api.ok(lookupSchema, 'DELETE', `/order-channels/${channel.id}`)).toMatchObject({ id: channel.id, isActive: false });
    expect(await api.ok(lookupSchema, 'POST', `/order-channels/${channel.id}/reactivate`)).toMatchObject({ id: channel.id, isActive: true });
  });
});

describe('customers', () => {
  it('serves every world customer, paged', async () => {
    const rows = await api.readAll(customerSchema, '/customers', 9, (c) => c.id);
    expect(rows.map((c) => c.name).sort()).toEqual(world.customers.map((c) => c.name).sort());
  });

  it('creates, updates and deletes a customer; a refused update changes nothing', async () => {
    const type = first(await customerTypes());
    const created = await api.ok(customerSchema, 'POST', '/customers', { name: 'Zephyr Pharmacy', typeId: type.id, brokerFeePercent: 2.5, country: 'US' }, 201);
    expect(created).toMatchObject({ name: 'Zephyr Pharmacy', customerTypeId: type.id, brokerFeePercent: '2.50', country: 'US', parentCustomerId: null });
    const bad = await api.fails(404, 'PATCH', `/customers/${created.id}`, { name: 'Renamed', brokerId: NO_SUCH_ID });
    expect(referenceDetails.parse(bad.details).field).toBe('brokerId');
    expect((await api.get(customerSchema, `/customers/${created.id}`)).name).toBe('Zephyr Pharmacy');
    expect(await api.ok(customerSchema, 'PATCH', `/customers/${created.id}`, { name: 'Zephyr Rx', isActive: false })).toMatchObject({ name: 'Zephyr Rx', isActive: false });
    expect((await api.get(customerSchema, `/customers/${created.id}`)).name).toBe('Zephyr Rx');
    expect(await api.ok(deletedSchema, 'DELETE', `/customers/${created.id}`)).toEqual({ deletedId: created.id });
    await api.fails(404, 'GET', `/customers/${created.id}`);
  });

  it('refuses a country that is not two letters', async () => {
    const error = await api.fails(422, 'POST', '/customers', { name: 'X', typeId: first(await customerTypes()).id, country: 'USA' });
    expect(first(issuesSchema.parse(error.details).issues).path).toBe('country');
  });

  it('refuses to delete a customer with sales orders (in_use)', async () => {
    const customerId = first(sandbox.store.salesOrders.all()).customerId;
    expect((await api.fails(409, 'DELETE', `/customers/${customerId}`)).code).toBe('in_use');
    await api.get(customerSchema, `/customers/${customerId}`);
  });
});

describe('locations', () => {
  it('lists the world locations Pharus stocks, unpaged', async () => {
    const { data } = await api.get(listOf(locationSchema), '/locations');
    expect(data.map((l) => l.name).sort()).toEqual(world.locations.filter((l) => l.vendors.includes('pharus')).map((l) => l.name).sort());
  });

  it('reports a stocked location as in use and refuses to delete it', async () => {
    const location = first((await api.get(listOf(locationSchema), '/locations')).data);
    const usage = await api.get(z.strictObject({ inUse: z.boolean(), references: z.record(z.string(), z.number()) }), `/locations/${location.id}/in-use`);
    expect(usage.inUse).toBe(true);
    expect(usage.references.finishedGoodsLedgerEntries).toBeGreaterThan(0);
    expect((await api.fails(409, 'DELETE', `/locations/${location.id}`)).code).toBe('in_use');
  });

  it('creates, updates and deletes an unused location', async () => {
    const created = await api.ok(locationSchema, 'POST', '/locations', { name: 'Overflow Tent', city: 'Denver', country: 'US' }, 201);
    expect(await api.ok(locationSchema, 'PATCH', `/locations/${created.id}`, { sortOrder: 99, notes: 'summer only' })).toMatchObject({ sortOrder: 99, notes: 'summer only', city: 'Denver' });
    expect((await api.get(listOf(locationSchema), '/locations')).data.at(-1)?.id).toBe(created.id);
    expect(await api.ok(deletedSchema, 'DELETE', `/locations/${created.id}`)).toEqual({ deletedId: created.id });
    expect((await api.get(listOf(locationSchema), '/locations')).data.some((l) => l.id === created.id)).toBe(false);
  });
});
