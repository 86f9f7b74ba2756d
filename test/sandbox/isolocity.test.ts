import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { ISOLOCITY_PREFIX, startIsolocitySandbox, type IsolocityStore } from '../../sandbox/isolocity/index.js';
import type { PageMeta } from '../../sandbox/isolocity/http.js';
import type { Customer, Inspection, Location, Ncr, Order, Part, Specification } from '../../sandbox/isolocity/records.js';
import type { InventoryView } from '../../sandbox/isolocity/routes/inventory.js';
import { MAX_PER_PAGE } from '../../sandbox/isolocity/schemas.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';

// Reads of the ISOlocity sandbox over real HTTP: auth, envelope, paging, error shapes, and that
// what it serves is the shared world seen through ISOlocity's eyes.

interface Envelope<T> {
  status: string;
  message: string;
  meta?: PageMeta;
  data: T;
  errors?: Record<string, string[]>;
}

let sandbox: SandboxHandle<IsolocityStore>;
let world: World;
const AUTH = { authorization: 'Bearer dev-isolocity-token' };

beforeAll(async () => {
  world = generateWorld({ scale: 0.2 });
  sandbox = await startIsolocitySandbox({ port: 0, world });
});
afterAll(() => sandbox.close());

async function call<T>(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Envelope<T> }> {
  const res = await fetch(sandbox.url + ISOLOCITY_PREFIX + path, { method, headers: init.headers ?? AUTH, body: init.body });
  return { status: res.status, body: (await res.json()) as Envelope<T> };
}
const get = <T>(path: string) => call<T>('GET', path);

/** Reads every page of a list, checking each page's meta on the way. */
async function readAll<T extends { id: number }>(path: string, perPage: number): Promise<T[]> {
  const rows: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const r = await get<T[]>(`${path}${sep}page=${page}&per_page=${perPage}`);
    expect(r.status).toBe(200);
    const meta = r.body.meta as PageMeta;
    expect(meta.current_page).toBe(page);
    expect(meta.per_page).toBe(perPage);
    // The public meta has no last_page: the page count is total / per_page (docs.isolocity.com).
    expect(meta).not.toHaveProperty('last_page');
    const lastPage = Math.max(1, Math.ceil(meta.total / perPage));
    expect(r.body.data.length).toBe(page < lastPage ? perPage : meta.total - (lastPage - 1) * perPage);
    expect(meta.from).toBe(r.body.data.length > 0 ? (page - 1) * perPage + 1 : null);
    expect(meta.to).toBe(r.body.data.length > 0 ? (page - 1) * perPage + r.body.data.length : null);
    rows.push(...r.body.data);
    if (page >= lastPage) {
      expect(rows.length).toBe(meta.total);
      return rows;
    }
  }
}

const isolocitySkus = () => world.skus.filter((s) => s.vendorCodes.isolocity !== undefined);

describe('timestamps', () => {
  it('are written `Y-m-d H:i:s` with no zone, as the public response samples show ("2020-01-01 12:00:00")', async () => {
    const parts = await get<Part[]>('/parts?per_page=3');
    for (const part of parts.body.data) {
      expect(part.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(part.updated_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
  });
});

describe('authentication', () => {
  it('refuses a missing or wrong bearer token with 401 in the ISOlocity envelope', async () => {
    const missing = await call('GET', '/parts', { headers: {} });
    expect(missing).toEqual({ status: 401, body: { status: 'error', message: 'Unauthenticated.' } });
    const wrong = await call('GET', '/parts', { headers: { authorization: 'Bearer dev-pharus-token' } });
    expect(wrong).toEqual({ status: 401, body: { status: 'error', message: 'Unauthenticated.' } });
    const notBearer = await call('GET', '/parts', { headers: { authorization: 'dev-isolocity-token' } });
    expect(notBearer.status).toBe(401);
  });

  it('guards the system status too, and answers it with the document body', async () => {
    expect((await call('GET', '/status', { headers: {} })).status).toBe(401);
    const status = await get('/status');
    expect(status).toEqual({ status: 200, body: { status: 'success', version: '2.6.0', online: true } });
  });

  it('accepts a token given through the start options instead of the default', async () => {
    const other = await startIsolocitySandbox({ port: 0, world, credentials: { token: 'custom-token' } });
    try {
      const url = other.url + ISOLOCITY_PREFIX + '/status';
      expect((await fetch(url, { headers: AUTH })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer custom-token' } })).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('paging', () => {
  it('returns every part exactly once across pages, in id order, with Laravel meta', async () => {
    const parts = await readAll<Part>('/parts', 7);
    const ids = parts.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(parts.length).toBe(isolocitySkus().length);
  });

  it('describes a page with the public meta (current_page, from, to, total, per_page; no last_page) and an empty page past the end', async () => {
    const second = await get<Part[]>('/customers?page=2&per_page=5');
    expect(second.body.meta).toEqual({ current_page: 2, from: 6, to: 10, total: world.customers.length, per_page: 5 });
    const past = await get<Part[]>('/customers?page=999&per_page=5');
    expect(past.status).toBe(200);
    expect(past.body.data).toEqual([]);
    expect(past.body.meta).toMatchObject({ current_page: 999, from: null, to: null, total: world.customers.length });
  });

  it('defaults to 50 per page and cuts a larger per_page to the maximum', async () => {
    expect((await get<Part[]>('/parts')).body.meta).toMatchObject({ current_page: 1, per_page: 50 });
    const big = await get<Part[]>('/inspections?per_page=5000');
    expect(big.body.meta?.per_page).toBe(MAX_PER_PAGE);
    expect(big.body.data.length).toBe(Math.min(MAX_PER_PAGE, world.inspections.length));
  });

  it('refuses a page or per_page that is not a positive integer with 422 field errors', async () => {
    const r = await get('/parts?page=0&per_page=abc');
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      status: 'error',
      message: 'The given data was invalid.',
      errors: { page: ['The page must be a positive integer.'], per_page: ['The per page must be a positive integer.'] },
    });
  });
});

describe('error shapes', () => {
  it('answers an unknown id, and an id of the wrong shape, with 404 in the envelope', async () => {
    expect(await get('/parts/999999')).toEqual({ status: 404, body: { status: 'error', message: 'Part 999999 not found.' } });
    for (const bad of ['abc', '0', '-1', '1.5', '1e3']) {
      const r = await get(`/ncrs/${bad}`);
      expect(r.status, bad).toBe(404);
      expect(r.body.status).toBe('error');
    }
    expect((await get('/inspections/999999/samples')).status).toBe(404);
  });

  it('answers an unknown route or method with 404 in the envelope', async () => {
    expect(await get('/widgets')).toEqual({ status: 404, body: { status: 'error', message: `The route GET ${ISOLOCITY_PREFIX}/widgets could not be found.` } });
    const wrongMethod = await call('DELETE', '/parts/1');
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.body.status).toBe('error');
  });

  it('answers a body that is not JSON with 400 in the envelope', async () => {
    const r = await call('POST', '/ncrs', { body: '{"ncr_number": ', headers: { ...AUTH, 'content-type': 'application/json' } });
    expect(r).toEqual({ status: 400, body: { status: 'error', message: 'Request body is not valid JSON' } });
  });

  it('answers injected faults in the envelope with Retry-After', async () => {
    sandbox.faults.add({ match: `GET ${ISOLOCITY_PREFIX}/orders`, status: 429, retryAfter: 2 });
    try {
      const res = await fetch(`${sandbox.url}${ISOLOCITY_PREFIX}/orders`, { headers: AUTH });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await res.json()).toEqual({ status: 'error', message: 'Too Many Attempts.' });
    } finally {
      sandbox.faults.clear();
    }
  });
});

describe('the world as ISOlocity holds it', () => {
  it('serves a part per carried SKU, identified by ISOlocity’s own code, with its lots as batch_ids', async () => {
    const parts = await readAll<Part>('/parts', MAX_PER_PAGE);
    const byIdentification = new Map(parts.map((p) => [p.identification, p]));
    for (const sku of isolocitySkus()) {
      const part = byIdentification.get(sku.vendorCodes.isolocity as string);
      expect(part, sku.code).toBeDefined();
      expect(part?.name).toBe(sku.name);
      expect(part?.batch_ids).toEqual((world.lotsBySku.get(sku.code) ?? []).map((l) => l.number));
    }
    // Some SKUs are spelt differently in ISOlocity (P-xxxxx) and some are not carried at all.
    const differing = isolocitySkus().filter((s) => s.vendorCodes.isolocity !== s.code);
    expect(differing.length).toBeGreaterThan(0);
    for (const sku of differing) expect(byIdentification.has(sku.code)).toBe(false);
    const missing = world.skus.filter((s) => s.vendorCodes.isolocity === undefined);
    expect(missing.length).toBeGreaterThan(0);
    for (const sku of missing) expect(byIdentification.has(sku.code)).toBe(false);
  });

  it('serves inventory that sums to the world’s ISOlocity stock, per part, lot and location', async () => {
    const sku = isolocitySkus()[4];
    if (!sku) throw new Error('world has too few SKUs');
    const partId = sandbox.store.partIdBySkuCode.get(sku.code);
    const locationNameByKey = new Map(world.locations.map((l) => [l.key, l.name]));
    const expected = world.stock
      .filter((s) => s.vendor === 'isolocity' && s.skuCode === sku.code)
      .map((s) => `${s.lotNumber}@${locationNameByKey.get(s.locationKey)}=${s.quantity}`)
      .sort();
    const r = await get<InventoryView[]>(`/inventory?part_id=${partId}&per_page=200`);
    expect(r.status).toBe(200);
    const served = r.body.data.flatMap((inv) => inv.locations.map((l) => `${inv.lot_number}@${l.name}=${l.quantity}`)).sort();
    expect(served).toEqual(expected);
    for (const inv of r.body.data) {
      expect(inv.part).toEqual({ id: partId, identification: sku.vendorCodes.isolocity, name: sku.name });
      expect(inv.quantity).toBe(inv.locations.reduce((sum, l) => sum + l.quantity, 0));
    }

    const all = await readAll<InventoryView>('/inventory', MAX_PER_PAGE);
    const worldTotal = world.stock.filter((s) => s.vendor === 'isolocity').reduce((sum, s) => sum + s.quantity, 0);
    expect(all.reduce((sum, inv) => sum + inv.quantity, 0)).toBe(worldTotal);
  });

  it('filters inventory by keyword over lot and part code, and ignores keyword when part_id is given', async () => {
    const lot = world.stock.find((s) => s.vendor === 'isolocity')?.lotNumber as string;
    const byLot = await get<InventoryView[]>(`/inventory?keyword=${encodeURIComponent(lot.toLowerCase())}`);
    expect(byLot.body.data.map((i) => i.lot_number)).toEqual([lot]);

    const [first, second] = isolocitySkus();
    if (!first || !second) throw new Error('world has too few SKUs');
    const byCode = await get<InventoryView[]>(`/inventory?keyword=${encodeURIComponent(second.vendorCodes.isolocity as string)}&per_page=200`);
    expect(byCode.body.data.length).toBeGreaterThan(0);
    expect(byCode.body.data.every((i) => i.part?.identification.includes(second.vendorCodes.isolocity as string))).toBe(true);

    const firstId = sandbox.store.partIdBySkuCode.get(first.code);
    const both = await get<InventoryView[]>(`/inventory?part_id=${firstId}&keyword=${encodeURIComponent(second.vendorCodes.isolocity as string)}`);
    expect(both.body.data.length).toBeGreaterThan(0);
    expect(both.body.data.every((i) => i.part_id === firstId)).toBe(true);
    expect((await get<InventoryView[]>('/inventory?part_id=999999')).body.data).toEqual([]);
  });

  it('serves every world inspection on its part and lot, with samples and no filters', async () => {
    const inspections = await readAll<Inspection>('/inspections', MAX_PER_PAGE);
    expect(inspections.length).toBe(world.inspections.length);
    const partCode = new Map([...sandbox.store.partIdBySkuCode].map(([code, id]) => [id, code]));
    inspections.forEach((inspection, i) => {
      const w = world.inspections[i];
      expect(partCode.get(inspection.entity_id)).toBe(w?.skuCode);
      expect(inspection).toMatchObject({ entity_type: 'part', lot_number: w?.lotNumber, passed: w?.passed, sample_size: w?.sampleSize });
      expect(inspection.samples.map((s) => s.sample_number)).toEqual(Array.from({ length: w?.sampleSize ?? 0 }, (_, n) => n + 1));
    });
    expect(inspections.some((i) => i.passed === null)).toBe(true);
  });

  it('filters NCRs by keyword (lot, number, description), status and source in any case', async () => {
    const wNcr = world.ncrs[0];
    if (!wNcr) throw new Error('world has no NCRs');
    const byLot = await get<Ncr[]>(`/ncrs?keyword=${encodeURIComponent(wNcr.lotNumber)}`);
    expect(byLot.body.data.map((n) => n.ncr_number)).toEqual(world.ncrs.filter((n) => n.lotNumber === wNcr.lotNumber).map((n) => n.number));
    expect(byLot.body.data[0]).toMatchObject({ lot_number: wNcr.lotNumber, quantity: wNcr.quantity, description: wNcr.description, part_id: sandbox.store.partIdBySkuCode.get(wNcr.skuCode) });

    const byNumber = await get<Ncr[]>(`/ncrs?keyword=${wNcr.number.toLowerCase()}`);
    expect(byNumber.body.data.map((n) => n.ncr_number)).toEqual([wNcr.number]);

    const description = wNcr.description.split(' ')[0] as string;
    const byDescription = await readAll<Ncr>(`/ncrs?keyword=${encodeURIComponent(description)}`, MAX_PER_PAGE);
    expect(byDescription.length).toBe(world.ncrs.filter((n) => n.description.toLowerCase().includes(description.toLowerCase())).length);

    const openInternal = await readAll<Ncr>('/ncrs?status=open&source=INTERNAL', MAX_PER_PAGE);
    expect(openInternal.length).toBe(world.ncrs.filter((n) => n.status === 'Open' && n.source === 'internal').length);
    expect(openInternal.every((n) => n.status === 'Open' && n.source === 'Internal')).toBe(true);
    const supplier = await readAll<Ncr>('/ncrs?source=Supplier', MAX_PER_PAGE);
    expect(supplier.length).toBe(world.ncrs.filter((n) => n.source === 'supplier').length);
  });

  it('serves the world’s ISOlocity orders with their lines as items, lots as serial_number', async () => {
    const key = world.showcase.isolocity.fiftyLines;
    const wOrder = world.orderByKey.get(key);
    const id = sandbox.store.orderIdByWorldKey.get(key);
    if (!wOrder || id === undefined) throw new Error('showcase order missing');
    const r = await get<Order>(`/orders/${id}`);
    expect(r.status).toBe(200);
    expect(r.body.data.order_number).toBe(Number(wOrder.number.slice(1)));
    expect(r.body.data.contact_id).toBe(sandbox.store.customerIdByWorldKey.get(wOrder.customerKey));
    expect(r.body.data.order_date).toBe(wOrder.orderedAt.toISOString().slice(0, 10));
    expect(r.body.data.items).toHaveLength(50);
    const partCode = new Map([...sandbox.store.partIdBySkuCode].map(([code, pid]) => [pid, code]));
    expect(r.body.data.items.map((i) => [partCode.get(i.part_id), i.serial_number, i.quantity, i.order])).toEqual(wOrder.lines.map((l, n) => [l.skuCode, l.lotNumber, l.quantity, n + 1]));

    const orders = await readAll<Order>('/orders', MAX_PER_PAGE);
    expect(orders.length).toBe(world.orders.filter((o) => o.vendor === 'isolocity').length);
    expect(orders.every((o) => o.items.length > 0)).toBe(true);
  });

  it('serves customers, ISOlocity locations, the company and inspection templates', async () => {
    const customers = await readAll<Customer>('/customers', 10);
    expect(customers.map((c) => [c.name, c.primary_email])).toEqual(world.customers.map((c) => [c.name, c.email]));
    const locations = await get<Location[]>('/locations');
    expect(locations.body.data.map((l) => l.name)).toEqual(world.locations.filter((l) => l.vendors.includes('isolocity')).map((l) => l.name));
    expect((await get<{ id: number; name: string }[]>('/companies')).body.data).toHaveLength(1);

    const specs = await get<Specification[]>('/specifications');
    expect(specs.body.data.length).toBeGreaterThan(0);
    const spec = specs.body.data[0] as Specification;
    expect((await get<Specification[]>(`/specifications?identification=${spec.identification}`)).body.data).toEqual([spec]);
    expect((await get<Specification[]>(`/specifications?keyword=${spec.name.split(' ')[0]?.toLowerCase()}`)).body.data).toContainEqual(spec);
    expect((await get<Specification>(`/specifications/${spec.id}`)).body.data).toEqual(spec);
  });
});
