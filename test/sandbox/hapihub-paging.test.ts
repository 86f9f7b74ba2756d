import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { createHapihubSpec, FEATHERS_DEFAULT_PAGINATE, startHapihubSandbox, type HapihubStore, type InventoryTransaction, type Page } from '../../sandbox/hapihub/index.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';

// Paging through HAPIHub lists with Feathers' $limit/$skip in both pagination settings of the
// service: bare arrays (the document's shape, the default) and page objects {total, limit, skip, data}.

const AUTH = { authorization: 'Bearer dev-hapihub-token' };
let world: World;
let arrays: SandboxHandle<HapihubStore>;
let pages: SandboxHandle<HapihubStore>;

async function get<T>(sandbox: SandboxHandle<HapihubStore>, query: string): Promise<T> {
  const response = await fetch(`${sandbox.url}/inventory-transactions${query}`, { headers: AUTH });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  world = generateWorld({ scale: 0.2 });
  [arrays, pages] = await Promise.all([startHapihubSandbox({ port: 0, world }), startHapihubSandbox({ port: 0, world, paginate: FEATHERS_DEFAULT_PAGINATE })]);
});
afterAll(() => Promise.all([arrays.close(), pages.close()]));

const idsOf = (records: readonly InventoryTransaction[]) => records.map((r) => r.id);

describe('HAPIHub lists as bare arrays (default)', () => {
  it('returns every transaction when no $limit is given', async () => {
    const all = await get<InventoryTransaction[]>(arrays, '');
    expect(Array.isArray(all)).toBe(true);
    expect(all).toHaveLength(arrays.store.all().length);
  });

  it('pages to the end with $limit/$skip: the pages together are the whole list, once each', async () => {
    for (const order of ['', '&$sort[createdAt]=-1']) {
      const whole = await get<InventoryTransaction[]>(arrays, order === '' ? '' : `?${order.slice(1)}`);
      const seen: string[] = [];
      for (let skip = 0; ; skip += 37) {
        const page = await get<InventoryTransaction[]>(arrays, `?$limit=37&$skip=${skip}${order}`);
        seen.push(...idsOf(page));
        if (page.length < 37) break;
      }
      expect(seen).toEqual(idsOf(whole));
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it('honours a $limit above any page size, since without pagination there is no maximum', async () => {
    expect(await get<InventoryTransaction[]>(arrays, '?$limit=200')).toHaveLength(Math.min(200, arrays.store.all().length));
    expect(await get<InventoryTransaction[]>(arrays, '?$limit=0')).toEqual([]);
  });
});

describe('HAPIHub lists as Feathers pages ({ paginate: { default: 10, max: 50 } })', () => {
  it('answers a page object with the default $limit when none is given', async () => {
    const page = await get<Page<InventoryTransaction>>(pages, '');
    expect(page).toMatchObject({ total: pages.store.all().length, limit: 10, skip: 0 });
    expect(idsOf(page.data)).toEqual(pages.store.all().slice(0, 10).map((t) => t.id));
  });

  it('caps $limit at the maximum', async () => {
    const page = await get<Page<InventoryTransaction>>(pages, '?$limit=1000&$skip=5');
    expect(page).toMatchObject({ limit: 50, skip: 5 });
    expect(page.data).toHaveLength(50);
  });

  it('pages to the end with $limit/$skip: total stays put and the pages together are the whole list, once each', async () => {
    const total = pages.store.all().length;
    expect(total).toBeGreaterThan(150);
    for (const filter of ['', '&type=sales']) {
      const seen: string[] = [];
      let expectedTotal: number | undefined;
      for (let skip = 0; ; ) {
        const page = await get<Page<InventoryTransaction>>(pages, `?$limit=50&$skip=${skip}${filter}`);
        expectedTotal ??= page.total;
        expect(page.total).toBe(expectedTotal);
        seen.push(...idsOf(page.data));
        skip += page.data.length;
        if (page.data.length === 0 || skip >= page.total) break;
      }
      const expected = pages.store.all().filter((t) => filter === '' || t.type === 'sales');
      expect(seen).toEqual(idsOf(expected));
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it('counts without data for $limit=0', async () => {
    expect(await get<Page<InventoryTransaction>>(pages, '?$limit=0&type=transfer')).toEqual({
      total: pages.store.all().filter((t) => t.type === 'transfer').length,
      limit: 0,
      skip: 0,
      data: [],
    });
  });

  it('refuses a pagination setting that cannot work', () => {
    expect(() => createHapihubSpec({ paginate: { default: 0, max: 50 } })).toThrow(/paginate.default/);
    expect(() => createHapihubSpec({ paginate: { default: 20, max: 10 } })).toThrow(/paginate.max/);
  });
});
