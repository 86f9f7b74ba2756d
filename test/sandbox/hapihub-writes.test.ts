import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { foldStock, startHapihubSandbox, stockKey, warehouseIdOf, type HapihubStore, type InventoryTransaction, type StockLevel } from '../../sandbox/hapihub/index.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';

// Writes of the HAPIHub sandbox (document 003, "Transaction - Post" and "Transaction - Patch"):
// accepted writes show in later reads and in the stock fold; rejected ones change nothing.

const AUTH = { authorization: 'Bearer dev-hapihub-token' };
let sandbox: SandboxHandle<HapihubStore>;
let world: World;
let main: string; // warehouse of LOC-1
let east: string; // warehouse of LOC-2
let sku: string; // a SKU HAPIHub spells its own way
let lot: string;

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { ...AUTH };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(sandbox.url + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}
const post = (body: unknown) => call<InventoryTransaction>('POST', '/inventory-transactions', body);
const patch = (id: string, body: unknown) => call<InventoryTransaction>('PATCH', `/inventory-transactions/${id}`, body);
const all = async () => (await call<InventoryTransaction[]>('GET', '/inventory-transactions')).body;
const stockOf = (fold: Map<string, StockLevel>, warehouse: string, control: string | null = lot) => fold.get(stockKey(sku, control, warehouse))?.quantity ?? 0;

/** Asserts that a write was refused with these field errors and that the data did not change. */
async function expectRejected(write: () => Promise<{ status: number; body: unknown }>, errors: Record<string, string>): Promise<void> {
  const before = await all();
  const { status, body } = await write();
  expect(status).toBe(400);
  expect(body).toMatchObject({ name: 'BadRequest', code: 400, className: 'bad-request', errors });
  expect(await all()).toEqual(before);
}

beforeAll(async () => {
  world = generateWorld({ scale: 0.2 });
  sandbox = await startHapihubSandbox({ port: 0, world });
  main = warehouseIdOf('LOC-1');
  east = warehouseIdOf('LOC-2');
  const own = world.skus.find((s) => s.vendorCodes.hapihub !== undefined && s.vendorCodes.hapihub !== s.code);
  sku = own?.vendorCodes.hapihub ?? '';
  lot = world.lotsBySku.get(own?.code ?? '')?.[0]?.number ?? '';
});
afterAll(() => sandbox.close());

describe('HAPIHub POST /inventory-transactions', () => {
  it('accepts the document’s own example body and stores it as an adjustment', async () => {
    const { status, body } = await post({ warehouse: main, items: [{ variantName: 'some variant name' }] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ warehouse: main, type: 'adjustment', items: [{ variantName: 'some variant name' }], createdBy: sandbox.store.apiUserId });
    expect(body.id).toMatch(/^[0-9a-f]{24}$/);
    expect((await call('GET', `/inventory-transactions/${body.id}`)).body).toEqual(body);
  });

  it('moves stock by each type’s rule: adjustment signed, receiving in, sales out, transfer across, packaging not at all', async () => {
    const before = foldStock(await all());
    const item = { sku, control: lot };
    for (const write of [
      { type: 'adjustment', warehouse: main, items: [{ ...item, adjustment: -3 }] },
      { type: 'receiving', warehouse: main, items: [{ ...item, quantity: 40 }] },
      { type: 'sales', warehouse: main, items: [{ ...item, quantity: 5 }] },
      { type: 'transfer', warehouse: main, source: main, destination: east, items: [{ ...item, quantity: 10 }] },
      { type: 'packaging', warehouse: east, items: [{ ...item, quantity: 99 }] },
      { type: 'return', warehouse: east, items: [{ ...item, quantity: 1 }] },
    ]) {
      expect((await post(write)).status).toBe(200);
    }
    const after = foldStock(await all());
    expect(stockOf(after, main) - stockOf(before, main)).toBe(-3 + 40 - 5 - 10);
    expect(stockOf(after, east) - stockOf(before, east)).toBe(10 + 1);
  });

  it('dates a new transaction after all history, so createdAt[$gt] reads exactly what is new', async () => {
    const history = await all();
    const last = Math.max(...history.map((t) => t.createdAt));
    const created = await post({ type: 'receiving', warehouse: main, items: [{ sku, control: 'NEW-LOT-1', quantity: 12, price: 3.5, taxComplication: 'inclusive' }] });
    expect(created.status).toBe(200);
    expect(created.body.createdAt).toBeGreaterThan(last);
    const fresh = (await call<InventoryTransaction[]>('GET', `/inventory-transactions?createdAt[$gt]=${last}`)).body;
    expect(fresh).toEqual([created.body]);
    expect(foldStock(fresh, foldStock(history)).get(stockKey(sku, 'NEW-LOT-1', main))?.quantity).toBe(12);
  });

  it('keeps a createdAt the client gives', async () => {
    const { body } = await post({ warehouse: main, createdAt: 1_700_000_000_000, items: [{ sku, adjustment: 1 }] });
    expect(body.createdAt).toBe(1_700_000_000_000);
  });

  it('refuses wrong JSON types, the garbled enum values and fields the document does not list', async () => {
    await expectRejected(() => post({ warehouse: main, type: 'purchas', items: [{ sku, quantity: '5' }], colour: 'red' }), {
      type: expect.stringContaining('expected one of'),
      'items.0.quantity': expect.stringContaining('expected number'),
      colour: 'is not an allowed field',
    });
    await expectRejected(() => post({ warehouse: main, type: 'ales', items: [{ sku, quantity: 1 }] }), { type: expect.stringContaining('Invalid option') });
    await expectRejected(() => post({ warehouse: main, items: [{ sku, quantity: -1, expiresAt: 1.5 }] }), { 'items.0.quantity': expect.any(String), 'items.0.expiresAt': expect.any(String) });
  });

  it('refuses a body without warehouse or items, and a body that is not an object', async () => {
    await expectRejected(() => post({ type: 'sales' }), { warehouse: expect.any(String), items: expect.any(String) });
    await expectRejected(() => post({ warehouse: main, items: [] }), { items: expect.stringContaining('>=1') });
    await expectRejected(() => post([{ warehouse: main }]), { '(body)': expect.stringContaining('expected object') });
  });

  it('refuses ids that name nothing: warehouse, sku, transfer ends and the referenced transaction', async () => {
    await expectRejected(() => post({ warehouse: 'facility-id', items: [{ sku: 'OG-99999', quantity: 1 }] }), { warehouse: "no warehouse with id 'facility-id'", 'items.0.sku': "no item with sku 'OG-99999'" });
    await expectRejected(() => post({ type: 'transfer', warehouse: main, items: [{ sku, quantity: 1 }] }), { source: 'a transfer needs a source warehouse', destination: 'a transfer needs a destination warehouse' });
    await expectRejected(() => post({ type: 'transfer', warehouse: main, source: main, destination: main, items: [{ sku, quantity: 1 }] }), { destination: 'must differ from source' });
    await expectRejected(() => post({ type: 'return', warehouse: main, transaction: '0123456789abcdef01234567', items: [{ sku, quantity: 1 }] }), {
      transaction: "no inventory-transaction with id '0123456789abcdef01234567'",
    });
  });

  it('refuses a SKU by its canonical code where HAPIHub spells it differently', async () => {
    const canonical = world.skus.find((s) => s.vendorCodes.hapihub === sku)?.code ?? '';
    await expectRejected(() => post({ warehouse: main, items: [{ sku: canonical, adjustment: 1 }] }), { 'items.0.sku': `no item with sku '${canonical}'` });
  });

  it('answers a body that is not JSON with BadRequest and stores nothing', async () => {
    const before = await all();
    const { status, body } = await call('POST', '/inventory-transactions', '{"warehouse": ');
    expect(status).toBe(400);
    expect(body).toEqual({ name: 'BadRequest', message: 'Request body is not valid JSON', code: 400, className: 'bad-request' });
    expect(await all()).toEqual(before);
  });
});

describe('HAPIHub PATCH /inventory-transactions/:id', () => {
  it('merges the given fields and keeps the others, as the document’s example does', async () => {
    const [original] = await all();
    if (!original) throw new Error('no transactions');
    const { status, body } = await patch(original.id, { reason: 'updated reason' });
    expect(status).toBe(200);
    expect(body).toEqual({ ...original, reason: 'updated reason' });
    expect((await call('GET', `/inventory-transactions/${original.id}`)).body).toEqual(body);
  });

  it('changes the stock fold when the items of a transaction change', async () => {
    const created = (await post({ type: 'receiving', warehouse: east, items: [{ sku, control: lot, quantity: 7 }] })).body;
    const before = foldStock(await all());
    const { status, body } = await patch(created.id, { items: [{ sku, control: lot, quantity: 2 }] });
    expect(status).toBe(200);
    expect(body.items).toEqual([{ sku, control: lot, quantity: 2 }]);
    expect(stockOf(foldStock(await all()), east) - stockOf(before, east)).toBe(-5);
  });

  it('refuses a patch that is wrong in itself or leaves an invalid transaction, and keeps the record', async () => {
    const [target] = await all();
    const id = target?.id ?? '';
    await expectRejected(() => patch(id, { reason: 42, type: 'bogus' }), { reason: expect.stringContaining('expected string'), type: expect.any(String) });
    await expectRejected(() => patch(id, { id: '0123456789abcdef01234567', createdBy: 'me' }), { id: 'is not an allowed field', createdBy: 'is not an allowed field' });
    await expectRejected(() => patch(id, { type: 'transfer' }), { source: 'a transfer needs a source warehouse' });
    await expectRejected(() => patch(id, { warehouse: 'elsewhere' }), { warehouse: "no warehouse with id 'elsewhere'" });
  });

  it('answers NotFound for an unknown id and BadRequest for a malformed one, changing nothing', async () => {
    const before = await all();
    const missing = await patch('0123456789abcdef01234567', { reason: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ name: 'NotFound', className: 'not-found' });
    const malformed = await patch('42', { reason: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ name: 'BadRequest', errors: { id: expect.any(String) } });
    expect(await all()).toEqual(before);
  });
});
