import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { ISOLOCITY_PREFIX, startIsolocitySandbox, type IsolocityStore } from '../../sandbox/isolocity/index.js';
import type { PageMeta } from '../../sandbox/isolocity/http.js';
import type { Customer, Inspection, InspectionSample, Location, Ncr, Order, OrderItem, Part, Supplier } from '../../sandbox/isolocity/records.js';
import type { InventoryView } from '../../sandbox/isolocity/routes/inventory.js';
import { generateWorld } from '../../sandbox/world/index.js';

// Writes of the ISOlocity sandbox over real HTTP: each write changes what later reads show, and
// each rejected write answers 422 (or 404) in the ISOlocity envelope and changes nothing.

interface Envelope<T> {
  status: string;
  message: string;
  meta?: PageMeta;
  data: T;
  errors?: Record<string, string[]>;
}

let sandbox: SandboxHandle<IsolocityStore>;
const AUTH = { authorization: 'Bearer dev-isolocity-token' };

beforeAll(async () => {
  sandbox = await startIsolocitySandbox({ port: 0, world: generateWorld({ scale: 0.2 }) });
});
afterAll(() => sandbox.close());

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: Envelope<T> }> {
  const headers: Record<string, string> = body === undefined ? AUTH : { ...AUTH, 'content-type': 'application/json' };
  const res = await fetch(sandbox.url + ISOLOCITY_PREFIX + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Envelope<T> };
}
const get = <T>(path: string) => call<T>('GET', path);
const total = async (path: string) => (await get<unknown[]>(`${path}?per_page=1`)).body.meta?.total;

/** Asserts a 422 whose field errors name exactly `fields`. */
function expectInvalid(r: { status: number; body: Envelope<unknown> }, fields: string[]): void {
  expect(r.status).toBe(422);
  expect(r.body.status).toBe('error');
  expect(r.body.message).toBe('The given data was invalid.');
  expect(Object.keys(r.body.errors ?? {}).sort()).toEqual([...fields].sort());
}

const firstPart = async (): Promise<Part> => (await get<Part[]>('/parts?per_page=1')).body.data[0] as Part;

describe('parts', () => {
  it('creates a part that then reads back by id and in the list', async () => {
    const before = await total('/parts');
    const r = await call<Part>('POST', '/parts', { name: 'Blue Juice (500 mL)', identification: 'BJUICE500', unit_type: 'Volume', unit_of_measure: 'ml', batch_ids: ['L-1'] });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('success');
    expect(r.body.data).toMatchObject({ name: 'Blue Juice (500 mL)', identification: 'BJUICE500', company_id: 1, is_activity: false, is_finished_product: true, batch_ids: ['L-1'], supplier_id: null });
    expect((await get<Part>(`/parts/${r.body.data.id}`)).body.data).toEqual(r.body.data);
    expect(await total('/parts')).toBe((before ?? 0) + 1);
  });

  it('refuses a part with a taken identification, unknown references or bad enums, and creates nothing', async () => {
    const existing = await firstPart();
    const before = await total('/parts');
    expectInvalid(await call('POST', '/parts', { name: 'Dup', identification: existing.identification }), ['identification']);
    expectInvalid(await call('POST', '/parts', { name: 'X', identification: 'NEW-REF', supplier_id: 999, parent_part_id: 999999, company_id: 2 }), ['supplier_id', 'parent_part_id', 'company_id']);
    const enums = await call('POST', '/parts', { name: 'X', identification: 'NEW-ENUM', unit_type: 'Weight', unit_of_measure: 'pints' });
    expectInvalid(enums, ['unit_type', 'unit_of_measure']);
    expect(enums.body.errors?.unit_type).toEqual(['The selected unit type is invalid.']);
    const missing = await call('POST', '/parts', { identification: 7 });
    expect(missing.body.errors).toEqual({ name: ['The name field is required.'], identification: ['The identification must be a string.'] });
    expect(await total('/parts')).toBe(before);
  });

  it('updates name and identification, keeping identifications unique', async () => {
    const created = (await call<Part>('POST', '/parts', { name: 'Renamed Soon', identification: 'RENAME-1' })).body.data;
    const r = await call<Part>('PUT', `/parts/${created.id}`, { name: 'Renamed', identification: 'RENAME-2' });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ id: created.id, name: 'Renamed', identification: 'RENAME-2' });
    // The old code is free again; the new one is taken.
    expect((await call('POST', '/parts', { name: 'Reuse', identification: 'RENAME-1' })).status).toBe(201);
    const existing = await firstPart();
    expectInvalid(await call('PATCH', `/parts/${created.id}`, { identification: existing.identification }), ['identification']);
    expect((await get<Part>(`/parts/${created.id}`)).body.data.identification).toBe('RENAME-2');
    expect((await call('PUT', '/parts/999999', { name: 'x' })).status).toBe(404);
  });

  it('creates parts in bulk, all or nothing', async () => {
    const before = (await total('/parts')) ?? 0;
    // Shape errors are reported first, then codes taken inside the batch or by existing parts.
    expectInvalid(await call('POST', '/parts/bulk', [{ name: 'Bulk A', identification: 'BULK-A' }, { identification: 'BULK-C' }]), ['1.name']);
    const existing = await firstPart();
    const taken = await call('POST', '/parts/bulk', [{ name: 'Bulk A', identification: 'BULK-A' }, { name: 'Bulk B', identification: 'BULK-A' }, { name: 'Bulk C', identification: existing.identification }]);
    expectInvalid(taken, ['1.identification', '2.identification']);
    expect(await total('/parts')).toBe(before);

    const r = await call<Part[]>('POST', '/parts/bulk', [{ name: 'Bulk A', identification: 'BULK-A' }, { name: 'Bulk B', identification: 'BULK-B', unit_of_measure: 'g' }]);
    expect(r.status).toBe(201);
    expect(r.body.meta).toEqual({ count: 2 });
    expect(r.body.data.map((p) => p.identification)).toEqual(['BULK-A', 'BULK-B']);
    expect(await total('/parts')).toBe(before + 2);
    expectInvalid(await call('POST', '/parts/bulk', []), ['body']);
  });

  it('updates parts in bulk, allowing two parts to swap codes, and refuses unknown ids without changing anything', async () => {
    const [a, b] = (await call<Part[]>('POST', '/parts/bulk', [{ name: 'Swap A', identification: 'SWAP-A' }, { name: 'Swap B', identification: 'SWAP-B' }])).body.data as [Part, Part];
    const swapped = await call<Part[]>('PUT', '/parts/bulk', [
      { id: a.id, name: 'Swap A', identification: 'SWAP-B' },
      { id: b.id, name: 'Swap B2', identification: 'SWAP-A', unit_type: 'Mass' },
    ]);
    expect(swapped.status).toBe(200);
    expect(swapped.body.data.map((p) => [p.id, p.identification])).toEqual([
      [a.id, 'SWAP-B'],
      [b.id, 'SWAP-A'],
    ]);
    expect((await get<Part>(`/parts/${b.id}`)).body.data).toMatchObject({ name: 'Swap B2', identification: 'SWAP-A', unit_type: 'Mass' });

    const rejected = await call('PUT', '/parts/bulk', [
      { id: a.id, name: 'Never', identification: 'SWAP-NEVER' },
      { id: 999999, name: 'Ghost', identification: 'GHOST' },
    ]);
    expectInvalid(rejected, ['1.id']);
    expect((await get<Part>(`/parts/${a.id}`)).body.data).toMatchObject({ name: 'Swap A', identification: 'SWAP-B' });
    // A code held by a part outside the batch stays taken.
    const existing = await firstPart();
    expectInvalid(await call('PUT', '/parts/bulk', [{ id: a.id, name: 'Swap A', identification: existing.identification }]), ['0.identification']);
  });
});

describe('inspections and samples', () => {
  it('creates an inspection on a part and lot, with sample records when asked', async () => {
    const part = await firstPart();
    const r = await call<Inspection>('POST', '/inspections', { entity_id: String(part.id), entity_type: 'part', sample_size: 3, is_create_batch_records: true, passed: null, lot_number: 'LOT-NEW-1' });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ entity_id: part.id, entity_type: 'part', sample_size: 3, passed: null, lot_number: 'LOT-NEW-1', drawing_id: null });
    expect(r.body.data.samples.map((s) => s.sample_number)).toEqual([1, 2, 3]);
    const plain = await call<Inspection>('POST', '/inspections', { entity_id: part.id });
    expect(plain.body.data).toMatchObject({ sample_size: 1, passed: null, lot_number: null, samples: [] });
  });

  it('keeps a client-chosen id and refuses it when taken', async () => {
    const part = await firstPart();
    const r = await call<Inspection>('POST', '/inspections', { id: 90_001, entity_id: part.id });
    expect(r.status).toBe(201);
    expect((await get<Inspection>('/inspections/90001')).body.data.entity_id).toBe(part.id);
    expectInvalid(await call('POST', '/inspections', { id: 90_001, entity_id: part.id }), ['id']);
  });

  it('refuses an inspection of an unknown part, template or entity type, or with sample_size 0, and creates nothing', async () => {
    const before = await total('/inspections');
    expectInvalid(await call('POST', '/inspections', { entity_id: 999999, drawing_id: 999 }), ['entity_id', 'drawing_id']);
    expectInvalid(await call('POST', '/inspections', { entity_id: 1, entity_type: 'equipment', sample_size: 0 }), ['entity_type', 'sample_size']);
    expectInvalid(await call('POST', '/inspections', { entity_type: 'part' }), ['entity_id']);
    expect(await total('/inspections')).toBe(before);
  });

  it('updates passed (true, false, back to null) and refuses a non-boolean', async () => {
    const id = 1;
    expect((await call<Inspection>('PUT', `/inspections/${id}`, { passed: false })).body.data.passed).toBe(false);
    expect((await get<Inspection>(`/inspections/${id}`)).body.data.passed).toBe(false);
    expect((await call<Inspection>('PATCH', `/inspections/${id}`, { passed: null })).body.data.passed).toBeNull();
    const r = await call('PUT', `/inspections/${id}`, { passed: 'yes' });
    expectInvalid(r, ['passed']);
    expect(r.body.errors?.passed).toEqual(['The passed must be true or false.']);
    expect((await get<Inspection>(`/inspections/${id}`)).body.data.passed).toBeNull();
    expect((await call('PUT', '/inspections/999999', { passed: true })).status).toBe(404);
  });

  it('adds a sample without a body, updates it, refuses a taken sample number, and deletes it', async () => {
    const inspection = (await get<Inspection>('/inspections/2')).body.data;
    const next = Math.max(0, ...inspection.samples.map((s) => s.sample_number)) + 1;
    const added = await call<InspectionSample>('POST', '/inspections/2/samples');
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({ inspection_id: 2, sample_number: next, sample_serial: null, results: [] });
    const sampleId = added.body.data.id;

    const updated = await call<InspectionSample>('PUT', `/inspections/2/samples/${sampleId}`, { sample_serial: 'SER-9', results: [{ characteristic_id: 4, value: '5.25', passed: true }] });
    expect(updated.body.data).toMatchObject({ id: sampleId, sample_serial: 'SER-9', results: [{ characteristic_id: 4, value: '5.25', passed: true }] });
    expectInvalid(await call('PUT', `/inspections/2/samples/${sampleId}`, { sample_number: 1 }), ['sample_number']);
    expectInvalid(await call('POST', '/inspections/2/samples', { sample_number: 1 }), ['sample_number']);
    expectInvalid(await call('PUT', `/inspections/2/samples/${sampleId}`, { results: [{ value: 1 }] }), ['results.0.characteristic_id']);
    expect((await get<Inspection>('/inspections/2')).body.data.samples.find((s) => s.id === sampleId)?.sample_serial).toBe('SER-9');

    // A DELETE whose client still sends Content-Type: application/json and no body is fine.
    const res = await fetch(`${sandbox.url}${ISOLOCITY_PREFIX}/inspections/2/samples/${sampleId}`, { method: 'DELETE', headers: { ...AUTH, 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success', message: 'The request was successful' });
    expect((await get<Inspection>('/inspections/2')).body.data.samples.some((s) => s.id === sampleId)).toBe(false);
    expect((await call('DELETE', `/inspections/2/samples/${sampleId}`)).status).toBe(404);
    // A sample of another inspection is not found through this one.
    const otherSample = (await get<Inspection>('/inspections/3')).body.data.samples[0] as InspectionSample;
    expect((await call('DELETE', `/inspections/2/samples/${otherSample.id}`)).status).toBe(404);
  });
});

describe('NCRs', () => {
  it('creates an open NCR, storing the lowercase source capitalised, and finds it by lot', async () => {
    const part = await firstPart();
    const r = await call<Ncr>('POST', '/ncrs', { ncr_number: 'jan_16_2023_2', source: 'customer', lot_number: 'lot_12345', quantity: 10, description: 'Test description', part_id: String(part.id) });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ ncr_number: 'jan_16_2023_2', source: 'Customer', status: 'Open', lot_number: 'lot_12345', quantity: 10, part_id: part.id, immediate_action: null, is_root_cause_determined: false });
    expect((await get<Ncr[]>('/ncrs?keyword=LOT_12345')).body.data.map((n) => n.id)).toEqual([r.body.data.id]);
  });

  it('refuses a duplicate number, an unknown part, a missing or unknown source, and creates nothing', async () => {
    const before = await total('/ncrs');
    const existing = (await get<Ncr[]>('/ncrs?per_page=1')).body.data[0] as Ncr;
    expectInvalid(await call('POST', '/ncrs', { ncr_number: existing.ncr_number, source: 'internal', part_id: 999999 }), ['ncr_number', 'part_id']);
    const r = await call('POST', '/ncrs', { ncr_number: 'NEW-NCR', source: 'vendor', quantity: 1.5 });
    expectInvalid(r, ['source', 'quantity']);
    expect(r.body.errors?.quantity).toEqual(['The quantity must be an integer.']);
    expect((await call('POST', '/ncrs', { ncr_number: 'NEW-NCR' })).body.errors).toEqual({ source: ['The source field is required.'] });
    expect(await total('/ncrs')).toBe(before);
  });

  it('updates an NCR (any-case source, e-signature fields accepted) and refuses a taken number without change', async () => {
    const created = (await call<Ncr>('POST', '/ncrs', { ncr_number: 'UPD-1', source: 'internal' })).body.data;
    const r = await call<Ncr>('PUT', `/ncrs/${created.id}`, { source: 'Supplier', quantity: 4, esignature_password: 12345, esignature_reason: 'New data', is_root_cause_determined: true });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ id: created.id, source: 'Supplier', quantity: 4, is_root_cause_determined: true, status: 'Open' });
    expect(r.body.data).not.toHaveProperty('esignature_password');
    const other = (await get<Ncr[]>('/ncrs?per_page=1')).body.data[0] as Ncr;
    expectInvalid(await call('PATCH', `/ncrs/${created.id}`, { ncr_number: other.ncr_number, description: 'never saved' }), ['ncr_number']);
    expect((await get<Ncr>(`/ncrs/${created.id}`)).body.data).toMatchObject({ ncr_number: 'UPD-1', description: null });
  });
});

describe('inventory locations', () => {
  it('replaces the linked locations and their quantities', async () => {
    const [a, b] = (await get<Location[]>('/locations')).body.data as [Location, Location];
    const r = await call<InventoryView>('PUT', '/inventory/1/locations', { locations: [{ location_id: a.id, quantity: 5 }, { location_id: b.id, quantity: 7.5 }] });
    expect(r.status).toBe(200);
    expect(r.body.data.quantity).toBe(12.5);
    expect(r.body.data.locations).toEqual([
      { location_id: a.id, name: a.name, quantity: 5 },
      { location_id: b.id, name: b.name, quantity: 7.5 },
    ]);
    expect((await get<InventoryView>('/inventory/1')).body.data.quantity).toBe(12.5);
  });

  it('refuses unknown or repeated locations and negative quantities without change', async () => {
    const before = (await get<InventoryView>('/inventory/2')).body.data;
    expectInvalid(await call('PUT', '/inventory/2/locations', { locations: [{ location_id: 999, quantity: 1 }] }), ['locations.0.location_id']);
    expectInvalid(await call('PUT', '/inventory/2/locations', { locations: [{ location_id: 1, quantity: 1 }, { location_id: 1, quantity: -2 }] }), ['locations.1.location_id', 'locations.1.quantity']);
    expect((await get<InventoryView>('/inventory/2')).body.data).toEqual(before);
    expect((await call('PUT', '/inventory/999999/locations', { locations: [] })).status).toBe(404);
  });
});

describe('orders and order items', () => {
  it('creates an order (date normalised to yyyy-mm-dd, next order number) and updates it', async () => {
    const r = await call<Order>('POST', '/orders', { po_number: 'jan12_2023_1', contact_id: 1, order_date: '2023-01-12T00:00:00.000Z', serial_number: 123456789999 });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ po_number: 'jan12_2023_1', contact_id: 1, order_date: '2023-01-12', serial_number: '123456789999', is_closed: false, items: [] });
    const numbers = (await get<Order[]>('/orders?per_page=200')).body.data.map((o) => o.order_number);
    expect(r.body.data.order_number).toBeGreaterThan(Math.max(...numbers.filter((n) => n !== r.body.data.order_number)));

    const u = await call<Order>('PUT', `/orders/${r.body.data.id}`, { is_closed: true, order_date: '2023-02-01' });
    expect(u.body.data).toMatchObject({ id: r.body.data.id, is_closed: true, order_date: '2023-02-01' });
    expect((await get<Order>(`/orders/${r.body.data.id}`)).body.data.is_closed).toBe(true);
  });

  it('refuses a taken order number, an unknown customer or a bad date, and changes nothing', async () => {
    const before = await total('/orders');
    const existing = (await get<Order[]>('/orders?per_page=1')).body.data[0] as Order;
    expectInvalid(await call('POST', '/orders', { order_number: existing.order_number, contact_id: 999999 }), ['order_number', 'contact_id']);
    const r = await call('POST', '/orders', { order_date: '2023-02-30' });
    expectInvalid(r, ['order_date']);
    expect(r.body.errors?.order_date).toEqual(['The order date must be a date (yyyy-mm-dd).']);
    expect(await total('/orders')).toBe(before);
    expectInvalid(await call('PUT', `/orders/${existing.id}`, { is_closed: 'no' }), ['is_closed']);
    expect((await get<Order>(`/orders/${existing.id}`)).body.data).toEqual(existing);
  });

  it('adds an item at the next position and edits it; the order shows both', async () => {
    const order = (await call<Order>('POST', '/orders', { contact_id: 2 })).body.data;
    const part = await firstPart();
    const first = await call<OrderItem>('POST', `/orders/${order.id}/items`, { order_id: order.id, part_id: part.id, quantity: 10, serial_number: 'test_mar_8_2023_2', is_low_inventory: 2 });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ order_id: order.id, part_id: part.id, quantity: 10, serial_number: 'test_mar_8_2023_2', is_low_inventory: true, is_low_materials: false, order: 1 });
    const second = await call<OrderItem>('POST', `/orders/${order.id}/items`, { part_id: part.id, quantity: 2.5, serial_number: 77 });
    expect(second.body.data).toMatchObject({ order: 2, serial_number: '77', quantity: 2.5 });

    const edited = await call<OrderItem>('PUT', `/orders/${order.id}/items/${first.body.data.id}`, { quantity: 12, order: 3 });
    expect(edited.body.data).toMatchObject({ id: first.body.data.id, quantity: 12, order: 3 });
    const read = (await get<Order>(`/orders/${order.id}`)).body.data;
    expect(read.items.map((i) => [i.id, i.order, i.quantity])).toEqual([
      [second.body.data.id, 2, 2.5],
      [first.body.data.id, 3, 12],
    ]);
  });

  it('refuses items with missing fields, unknown parts or another order’s id, and leaves the order as it was', async () => {
    const order = (await call<Order>('POST', '/orders', {})).body.data;
    const missing = await call('POST', `/orders/${order.id}/items`, {});
    expect(missing.body.errors).toEqual({
      part_id: ['The part id field is required.'],
      quantity: ['The quantity field is required.'],
      serial_number: ['The serial number field is required.'],
    });
    expectInvalid(await call('POST', `/orders/${order.id}/items`, { order_id: order.id + 1, part_id: 999999, quantity: 1, serial_number: 'L' }), ['order_id', 'part_id']);
    expectInvalid(await call('POST', `/orders/${order.id}/items`, { part_id: 1, quantity: 0, serial_number: 'L' }), ['quantity']);
    expect((await get<Order>(`/orders/${order.id}`)).body.data.items).toEqual([]);
    expect((await call('POST', '/orders/999999/items', { part_id: 1, quantity: 1, serial_number: 'L' })).status).toBe(404);

    // An item is only reachable through its own order.
    const other = (await get<Order>('/orders/1')).body.data;
    const foreignItem = other.items[0] as OrderItem;
    expect((await call('PUT', `/orders/${order.id}/items/${foreignItem.id}`, { quantity: 1 })).status).toBe(404);
    expectInvalid(await call('PUT', `/orders/1/items/${foreignItem.id}`, { part_id: 999999 }), ['part_id']);
    expect((await get<Order>('/orders/1')).body.data.items[0]).toEqual(foreignItem);
  });
});

describe('customers, suppliers and locations', () => {
  it('creates and updates a customer, and requires a name', async () => {
    const r = await call<Customer>('POST', '/customers', { name: 'Customers Inc.', primary_email: 'johnsmith@customers.com', city: 'Toronto' });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ name: 'Customers Inc.', primary_email: 'johnsmith@customers.com', city: 'Toronto', street: null });
    const u = await call<Customer>('PUT', `/customers/${r.body.data.id}`, { province: 'Ontario' });
    expect(u.body.data).toMatchObject({ name: 'Customers Inc.', province: 'Ontario' });
    const before = await total('/customers');
    expectInvalid(await call('POST', '/customers', { city: 'Nowhere' }), ['name']);
    expect(await total('/customers')).toBe(before);
    // A new customer can be an order's contact.
    expect((await call('POST', '/orders', { contact_id: r.body.data.id })).status).toBe(201);
  });

  it('creates and updates a supplier, which parts can then name', async () => {
    const r = await call<Supplier>('POST', '/suppliers', { name: 'ABC Manufacturing Inc.', notes: 'These are some sample notes' });
    expect(r.status).toBe(201);
    expect((await call<Supplier>('PATCH', `/suppliers/${r.body.data.id}`, { primary_name: 'John Smith' })).body.data).toMatchObject({ notes: 'These are some sample notes', primary_name: 'John Smith' });
    expect((await call<Part>('POST', '/parts', { name: 'Supplied', identification: 'SUPPLIED-1', supplier_id: r.body.data.id })).body.data.supplier_id).toBe(r.body.data.id);
  });

  it('creates a location (active by default), deactivates it, and refuses is_active other than 0 or 1', async () => {
    const r = await call<Location>('POST', '/locations', { name: 'Overflow Tent' });
    expect(r.body.data).toMatchObject({ name: 'Overflow Tent', is_active: 1 });
    expect((await call<Location>('PUT', `/locations/${r.body.data.id}`, { is_active: 0 })).body.data.is_active).toBe(0);
    expectInvalid(await call('PUT', `/locations/${r.body.data.id}`, { is_active: true }), ['is_active']);
    expect((await get<Location>(`/locations/${r.body.data.id}`)).body.data.is_active).toBe(0);
  });
});
