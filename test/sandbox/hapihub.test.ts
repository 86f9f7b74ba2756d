import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { foldStock, startHapihubSandbox, stockKey, warehouseIdOf, type HapihubStore, type InventoryTransaction } from '../../sandbox/hapihub/index.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';

// Reads, errors and queries of the HAPIHub sandbox (document 003) in its default, bare-array mode.
// Nothing here writes, so every test sees the projected world as it is.

const AUTH = { authorization: 'Bearer dev-hapihub-token' };
const OBJECT_ID = /^[0-9a-f]{24}$/;
let sandbox: SandboxHandle<HapihubStore>;
let world: World;
let all: InventoryTransaction[];

async function call<T>(method: string, path: string, headers: Record<string, string> = AUTH): Promise<{ status: number; body: T }> {
  const response = await fetch(sandbox.url + path, { method, headers });
  return { status: response.status, body: (await response.json()) as T };
}

const list = async (query: string): Promise<InventoryTransaction[]> => {
  const { status, body } = await call<InventoryTransaction[]>('GET', `/inventory-transactions${query}`);
  expect(status).toBe(200);
  return body;
};
const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);

beforeAll(async () => {
  world = generateWorld({ scale: 0.2 });
  sandbox = await startHapihubSandbox({ port: 0, world });
  all = await list('');
});
afterAll(() => sandbox.close());

describe('HAPIHub auth', () => {
  it('refuses a request without a token with Feathers NotAuthenticated', async () => {
    const { status, body } = await call('GET', '/inventory-transactions', {});
    expect(status).toBe(401);
    expect(body).toEqual({ name: 'NotAuthenticated', message: 'Not authenticated', code: 401, className: 'not-authenticated' });
  });

  it('refuses a wrong token, and a token not sent as Bearer, with NotAuthenticated', async () => {
    const wrong = await call('GET', '/inventory-transactions/0123456789abcdef01234567', { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ name: 'NotAuthenticated', message: 'invalid token', code: 401, className: 'not-authenticated' });
    const basic = await call('GET', '/inventory-transactions', { authorization: 'Basic ZGV2LWhhcGlodWItdG9rZW4=' });
    expect(basic.status).toBe(401);
    expect(basic.body).toMatchObject({ name: 'NotAuthenticated', code: 401 });
  });
});

describe('HAPIHub errors in Feathers shape', () => {
  it('answers an unknown route with NotFound "Page not found" and the url', async () => {
    const { status, body } = await call('GET', '/inventory-levels?x=1');
    expect(status).toBe(404);
    expect(body).toEqual({ name: 'NotFound', message: 'Page not found', code: 404, className: 'not-found', data: { url: '/inventory-levels' } });
  });

  it('answers an unknown id with NotFound and a malformed id with BadRequest', async () => {
    const missing = await call('GET', '/inventory-transactions/0123456789abcdef01234567');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ name: 'NotFound', message: "No record found for id '0123456789abcdef01234567'", code: 404, className: 'not-found' });
    const malformed = await call('GET', '/inventory-transactions/not-an-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ name: 'BadRequest', message: "Invalid id 'not-an-id'", code: 400, className: 'bad-request', errors: { id: 'must be a 24-character hex ObjectId' } });
  });

  it('answers methods the service does not offer with MethodNotAllowed', async () => {
    const id = all[0]?.id ?? '';
    const remove = await call('DELETE', `/inventory-transactions/${id}`);
    expect(remove.status).toBe(405);
    expect(remove.body).toEqual({ name: 'MethodNotAllowed', message: 'Method `remove` is not supported by this endpoint.', code: 405, className: 'method-not-allowed' });
    expect((await call('PUT', `/inventory-transactions/${id}`)).status).toBe(405);
    expect(await list(`?id=${id}`)).toHaveLength(1);
  });

  it('answers an injected 429 as TooManyRequests with Retry-After', async () => {
    sandbox.faults.add({ match: 'GET /inventory-transactions', status: 429, retryAfter: 2 });
    try {
      const response = await fetch(`${sandbox.url}/inventory-transactions`, { headers: AUTH });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await response.json()).toEqual({ name: 'TooManyRequests', message: 'Too many requests', code: 429, className: 'too-many-requests' });
    } finally {
      sandbox.faults.clear();
    }
  });
});

describe('HAPIHub data is the world projected', () => {
  it('folds the served transactions into exactly the world stock of hapihub per (sku, lot, warehouse)', () => {
    const expected = new Map<string, number>();
    for (const row of world.stock) {
      if (row.vendor !== 'hapihub') continue;
      const code = world.skuByCode.get(row.skuCode)?.vendorCodes.hapihub ?? '';
      expected.set(stockKey(code, row.lotNumber, warehouseIdOf(row.locationKey)), row.quantity);
    }
    const fold = foldStock(all);
    for (const [key, quantity] of expected) expect({ key, quantity: fold.get(key)?.quantity }).toEqual({ key, quantity });
    // The fold has no stock the world does not: every key outside the world nets to zero.
    for (const [key, level] of fold) if (!expected.has(key)) expect({ key, quantity: level.quantity }).toEqual({ key, quantity: 0 });
    expect(expected.size).toBeGreaterThan(100);
  });

  it('names items by HAPIHub’s own code, and only SKUs HAPIHub carries', () => {
    const served = new Set(all.flatMap((t) => t.items.map((i) => i.sku)));
    const ownCodes = world.skus.filter((s) => s.vendorCodes.hapihub !== undefined && s.vendorCodes.hapihub !== s.code);
    expect(ownCodes.length).toBeGreaterThan(0);
    for (const sku of ownCodes) {
      expect(served.has(sku.vendorCodes.hapihub)).toBe(true);
      expect(served.has(sku.code)).toBe(false);
    }
    for (const sku of world.skus.filter((s) => s.vendorCodes.hapihub === undefined)) expect(served.has(sku.code)).toBe(false);
  });

  it('keeps stock only in warehouses that are the world locations HAPIHub stocks', () => {
    const places = new Set(all.flatMap((t) => [t.warehouse, t.source, t.destination].filter((w) => w !== undefined)));
    const hapihubLocations = world.locations.filter((l) => l.vendors.includes('hapihub')).map((l) => warehouseIdOf(l.key));
    expect([...places].sort()).toEqual([...hapihubLocations].sort());
  });

  it('serves the documented fields with their JSON types, times as epoch ms up to the world’s now', () => {
    const types = new Set(['adjustment', 'purchase', 'sales', 'transfer', 'receiving', 'packaging', 'return']);
    for (const t of all) {
      expect(t.id).toMatch(OBJECT_ID);
      expect(Number.isInteger(t.createdAt) && t.createdAt <= world.now.getTime()).toBe(true);
      expect(t.createdBy).toMatch(OBJECT_ID);
      expect(t.warehouse).toMatch(OBJECT_ID);
      expect(types.has(t.type)).toBe(true);
      expect(t.items.length).toBeGreaterThan(0);
      for (const item of t.items) {
        expect(typeof item.sku).toBe('string');
        expect(typeof item.control).toBe('string');
        expect(typeof (t.type === 'adjustment' ? item.adjustment : item.quantity)).toBe('number');
      }
    }
    expect(new Set(all.map((t) => t.type))).toEqual(types);
    expect(new Set(ids(all)).size).toBe(all.length);
  });

  it('serves one transaction by id exactly as the list does', async () => {
    for (const record of [all[0], all[all.length - 1]]) {
      const { status, body } = await call<InventoryTransaction>('GET', `/inventory-transactions/${record?.id}`);
      expect(status).toBe(200);
      expect(body).toEqual(record);
    }
  });

  it('points returns and packaging at the sale they are for', () => {
    const byId = new Map(all.map((t) => [t.id, t]));
    const linked = all.filter((t) => t.type === 'return' || t.type === 'packaging');
    expect(linked.length).toBeGreaterThan(0);
    for (const t of linked) {
      const sale = byId.get(t.transaction ?? '');
      expect(sale?.type).toBe('sales');
      expect(t.createdAt).toBeGreaterThanOrEqual(sale?.createdAt ?? Infinity);
    }
  });
});

describe('HAPIHub Feathers queries', () => {
  it('filters by a nested item field, matching a transaction when any item matches', async () => {
    const sku = all[0]?.items[1]?.sku ?? all[0]?.items[0]?.sku ?? '';
    const served = await list(`?items.sku=${encodeURIComponent(sku)}`);
    expect(ids(served)).toEqual(ids(all.filter((t) => t.items.some((i) => i.sku === sku))));
    expect(served.length).toBeGreaterThan(0);
  });

  it('splits the list by createdAt[$gt] and createdAt[$lte] into two parts that add up to all', async () => {
    const middle = all[Math.floor(all.length / 2)]?.createdAt ?? 0;
    const after = await list(`?createdAt[$gt]=${middle}`);
    const upTo = await list(`?createdAt[$lte]=${middle}`);
    expect(after.every((t) => t.createdAt > middle)).toBe(true);
    expect(upTo.every((t) => t.createdAt <= middle)).toBe(true);
    expect([...ids(upTo), ...ids(after)].sort()).toEqual(ids(all).sort());
    expect(after.length).toBeGreaterThan(0);
  });

  it('filters with $in, $nin, $ne, $gte/$lt and $or', async () => {
    expect(ids(await list('?type[$in][]=return&type[$in][]=transfer'))).toEqual(ids(all.filter((t) => t.type === 'return' || t.type === 'transfer')));
    expect(ids(await list('?type[$nin][]=sales&type[$nin][]=receiving'))).toEqual(ids(all.filter((t) => t.type !== 'sales' && t.type !== 'receiving')));
    expect(ids(await list('?type[$ne]=sales'))).toEqual(ids(all.filter((t) => t.type !== 'sales')));
    expect(ids(await list('?items.quantity[$gte]=100&items.quantity[$lt]=200'))).toEqual(
      ids(all.filter((t) => t.items.some((i) => (i.quantity ?? -1) >= 100) && t.items.some((i) => (i.quantity ?? Infinity) < 200))),
    );
    expect(ids(await list('?$or[0][type]=adjustment&$or[1][type]=packaging'))).toEqual(ids(all.filter((t) => t.type === 'adjustment' || t.type === 'packaging')));
  });

  it('sorts by $sort, descending and by two keys', async () => {
    const desc = await list('?$sort[createdAt]=-1');
    expect(desc.map((t) => t.createdAt)).toEqual(all.map((t) => t.createdAt).sort((a, b) => b - a));
    const twoKeys = await list('?$sort[type]=1&$sort[createdAt]=-1');
    const expected = [...all].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : b.createdAt - a.createdAt));
    expect(twoKeys.map((t) => [t.type, t.createdAt])).toEqual(expected.map((t) => [t.type, t.createdAt]));
  });

  it('returns only the $select fields and the id', async () => {
    const selected = await list('?$select[]=type&$select[]=createdAt&$limit=3');
    expect(selected).toEqual(all.slice(0, 3).map((t) => ({ id: t.id, type: t.type, createdAt: t.createdAt })));
    const one = await call('GET', `/inventory-transactions/${all[0]?.id}?$select=warehouse`);
    expect(one.body).toEqual({ id: all[0]?.id, warehouse: all[0]?.warehouse });
  });

  it('refuses a bad query with BadRequest naming the parameter', async () => {
    const cases: [string, Record<string, string>][] = [
      ['?createdAt[$gt]=yesterday', { 'createdAt[$gt]': 'must be a number' }],
      ['?colour=red', { colour: 'is not a field of inventory-transactions' }],
      ['?type[$regex]=sal', { 'type[$regex]': 'is not a supported operator' }],
      ['?$populate=items', { $populate: 'is not a supported operator' }],
      ['?$limit=-1', { $limit: 'must be a non-negative integer' }],
      ['?$skip=ten', { $skip: 'must be a non-negative integer' }],
      ['?$sort[createdAt]=up', { '$sort[createdAt]': 'must be 1 or -1' }],
      ['?type=sales&type=return', { type: 'is given more than once: use [$in]' }],
      ['?customerHasPWDId=yes', { customerHasPWDId: 'must be true or false' }],
    ];
    for (const [query, errors] of cases) {
      const { status, body } = await call('GET', `/inventory-transactions${query}`);
      expect({ query, status, body }).toEqual({ query, status: 400, body: { name: 'BadRequest', message: `Invalid query parameter ${Object.keys(errors)[0]}`, code: 400, className: 'bad-request', errors } });
    }
  });

  it('takes only $select on a single transaction', async () => {
    const { status, body } = await call('GET', `/inventory-transactions/${all[0]?.id}?type=sales`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ name: 'BadRequest', errors: { type: 'only $select is allowed here' } });
  });
});
