import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { pharusId, startPharusSandbox, type PharusStore } from '../../sandbox/pharus/index.js';
import { generateWorld } from '../../sandbox/world/index.js';
import {
  NO_SUCH_ID,
  PharusTestClient,
  fgLedgerSchema,
  fgSummarySchema,
  first,
  issuesSchema,
  listOf,
  locationSchema,
  materialLedgerSchema,
  materialSchema,
  materialSummarySchema,
  pageOf,
  referenceDetails,
} from './pharus-helpers.js';

// Pharus finished-goods and materials inventory over real loopback HTTP, at the paths and in the
// shapes of Pharus's per-endpoint pages (E097–E110): the summary and ledger agree with the world's
// stock and lots, ledger quantities are always positive (the event type says the direction), a
// transfer is a TRANSFER at the source and, once completed, a RECEIVE at the destination.

const world = generateWorld({ scale: 0.2 });
let sandbox: SandboxHandle<PharusStore>;
const api = new PharusTestClient(() => sandbox);
const FG = '/finished-goods-inventory';
const MAT = '/materials-inventory';

beforeAll(async () => {
  sandbox = await startPharusSandbox({ port: 0, world });
});
afterAll(() => sandbox.close());

const pharusStock = world.stock.filter((s) => s.vendor === 'pharus');
const skuIdOf = (code: string) => pharusId('sku', code);
const locationIdOf = (key: string) => pharusId('location', key);

/** The on-hand figure of one SKU at one location (zero when there is no row). */
async function stockOf(skuId: string, locationId: string): Promise<string> {
  const page = await api.get(listOf(fgSummarySchema), `${FG}/summary?skuId=${skuId}&locationId=${locationId}`);
  return page.data[0]?.onHand ?? '0.0000';
}

/** The ledger: one unpaginated `{ data }` (E109). */
const ledger = async (query: string) => (await api.get(listOf(fgLedgerSchema), `${FG}/ledger${query}`)).data;
const ledgerCount = async (skuId: string) => (await ledger(`?skuId=${skuId}`)).length;

/** A SKU with stock at one Pharus location and none at another (world rows are 1-2 places). */
function stockedSku(): { skuId: string; from: string; to: string; onHand: number } {
  const locations = world.locations.filter((l) => l.vendors.includes('pharus')).map((l) => l.key);
  for (const row of pharusStock) {
    const at = new Set(pharusStock.filter((s) => s.skuCode === row.skuCode).map((s) => s.locationKey));
    const empty = locations.find((l) => !at.has(l));
    const onHand = pharusStock.filter((s) => s.skuCode === row.skuCode && s.locationKey === row.locationKey).reduce((sum, s) => sum + s.quantity, 0);
    if (empty !== undefined && onHand >= 20) return { skuId: skuIdOf(row.skuCode), from: locationIdOf(row.locationKey), to: locationIdOf(empty), onHand };
  }
  throw new Error('no suitable SKU in the world');
}

describe('finished-goods summary and ledger from the world', () => {
  it('sums the world stock per SKU and location in one unpaginated answer', async () => {
    const expected = new Map<string, number>();
    for (const s of pharusStock) {
      const key = `${skuIdOf(s.skuCode)}:${locationIdOf(s.locationKey)}`;
      expected.set(key, (expected.get(key) ?? 0) + s.quantity);
    }
    const rows = (await api.get(listOf(fgSummarySchema), `${FG}/summary`)).data;
    expect(new Map(rows.map((r) => [`${r.skuId}:${r.locationId}`, Number(r.onHand)]))).toEqual(expected);
    // The page declares no paging: a cursor or limit is not part of the request.
    expect((await api.get(listOf(fgSummarySchema), `${FG}/summary?limit=1`)).data.length).toBe(rows.length);
  });

  it('answers demand and allocated from open sales orders at their fulfilment location, and available = on hand − allocated', async () => {
    const rows = (await api.get(listOf(fgSummarySchema), `${FG}/summary`)).data;
    const expected = new Map<string, { demand: number; allocated: number }>();
    for (const order of sandbox.store.salesOrders.all()) {
      const kind = order.orderStatus === 'Received' ? 'demand' : order.orderStatus === 'Entered' ? 'allocated' : null;
      if (kind === null || order.fulfillmentLocationId === null) continue;
      for (const item of order.items) {
        const key = `${item.skuId}:${order.fulfillmentLocationId}`;
        const cell = expected.get(key) ?? { demand: 0, allocated: 0 };
        cell[kind] += item.quantity;
        expected.set(key, cell);
      }
    }
    let withAllocation = 0;
    for (const r of rows) {
      const want = expected.get(`${r.skuId}:${r.locationId}`) ?? { demand: 0, allocated: 0 };
      expect([r.demand, r.allocated]).toEqual([want.demand.toFixed(4), want.allocated.toFixed(4)]);
      expect(r.available).toBe((Number(r.onHand) - want.allocated).toFixed(4));
      if (want.allocated > 0) withAllocation++;
    }
    expect(withAllocation).toBeGreaterThan(0);
  });

  it('filters the summary to one SKU', async () => {
    const sku = first(pharusStock).skuCode;
    const rows = (await api.get(listOf(fgSummarySchema), `${FG}/summary?skuId=${skuIdOf(sku)}`)).data;
    expect(rows.map((r) => r.locationId).sort()).toEqual([...new Set(pharusStock.filter((s) => s.skuCode === sku).map((s) => locationIdOf(s.locationKey)))].sort());
  });

  it('records each stocked lot as a PRODUCE entry whose code is the lot number', async () => {
    const sku = world.skus.find((s) => s.vendorCodes.pharus !== undefined && pharusStock.some((r) => r.skuCode === s.code && r.quantity > 0));
    if (sku === undefined) throw new Error('no stocked SKU');
    const entries = await ledger(`?skuId=${skuIdOf(sku.code)}`);
    const lots = new Set((world.lotsBySku.get(sku.code) ?? []).map((l) => l.number));
    expect(entries.length).toBe(pharusStock.filter((r) => r.skuCode === sku.code && r.quantity > 0).length);
    for (const e of entries) {
      expect(e.eventType).toBe('PRODUCE');
      expect(lots.has(e.code ?? '')).toBe(true);
    }
    const entry = first(entries);
    expect(await api.get(fgLedgerSchema, `${FG}/ledger/${entry.id}`)).toEqual(entry);
  });

  it('lists the whole ledger newest first, filtered by event type and by date range; a bad filter is 422', async () => {
    const all = await ledger('');
    const dates = all.map((e) => e.eventDate);
    expect(dates).toEqual([...dates].sort().reverse());
    const produce = await ledger('?eventType=PRODUCE');
    expect(produce.length).toBe(all.filter((e) => e.eventType === 'PRODUCE').length);
    const day = first(all).eventDate.slice(0, 10);
    const onDay = await ledger(`?dateFrom=${day}&dateTo=${day}`);
    expect(onDay.length).toBe(all.filter((e) => e.eventDate.startsWith(day)).length);
    expect(onDay.length).toBeGreaterThan(0);
    for (const e of all) expect(Number(e.quantity)).toBeGreaterThan(0);
    expect((await api.fails(422, 'GET', `${FG}/ledger?eventType=STEAL`)).code).toBe('validation_failed');
    await api.fails(422, 'GET', `${FG}/ledger?dateFrom=yesterday`);
    await api.fails(422, 'GET', `${FG}/summary?skuId=abc`);
  });
});

describe('finished-goods writes', () => {
  it('adjust adds stock and appends an ADJUST entry', async () => {
    const { skuId, from, onHand } = stockedSku();
    expect(Number(await stockOf(skuId, from))).toBe(onHand);
    const entry = await api.ok(fgLedgerSchema, 'POST', `${FG}/adjustments`, { skuId, locationId: from, quantity: 2.5, notes: 'cycle count', eventDate: '2026-06-01' }, 201);
    expect(entry).toMatchObject({ skuId, locationId: from, eventType: 'ADJUST', quantity: '2.5000', ref: null, notes: 'cycle count', eventDate: '2026-06-01T00:00:00.000Z' });
    expect(await stockOf(skuId, from)).toBe((onHand + 2.5).toFixed(4));
    expect(await api.get(fgLedgerSchema, `${FG}/ledger/${entry.id}`)).toEqual(entry);
    await api.ok(fgLedgerSchema, 'POST', `${FG}/disposals`, { skuId, locationId: from, quantity: 2.5 }, 201);
    // The paths of document 001's rendering as we first read them are not Pharus's.
    await api.fails(404, 'POST', '/inventory/finished-goods/adjust', { skuId, locationId: from, quantity: 1 });
  });

  it('dispose writes a positive DISPOSE row that takes stock away, unguarded: on hand may go below zero (W100)', async () => {
    const { skuId, from, onHand } = stockedSku();
    const entries = await ledgerCount(skuId);
    const entry = await api.ok(fgLedgerSchema, 'POST', `${FG}/disposals`, { skuId, locationId: from, quantity: 1 }, 201);
    expect(entry).toMatchObject({ eventType: 'DISPOSE', quantity: '1.0000', ref: null });
    expect(await stockOf(skuId, from)).toBe((onHand - 1).toFixed(4));
    await api.ok(fgLedgerSchema, 'POST', `${FG}/disposals`, { skuId, locationId: from, quantity: onHand }, 201);
    expect(await stockOf(skuId, from)).toBe('-1.0000');
    expect(await ledgerCount(skuId)).toBe(entries + 2);
    await api.ok(fgLedgerSchema, 'POST', `${FG}/adjustments`, { skuId, locationId: from, quantity: onHand + 1 }, 201);
    expect(await stockOf(skuId, from)).toBe(onHand.toFixed(4));
  });

  it('transfers in two steps: out of the source, in transit, then received at the destination', async () => {
    const { skuId, from, to, onHand } = stockedSku();
    expect(await stockOf(skuId, to)).toBe('0.0000');
    const sent = await api.ok(z.strictObject({ ledgerEntry: fgLedgerSchema, ref: z.string() }), 'POST', `${FG}/transfers`, { skuId, sourceLocationId: from, destinationLocationId: to, quantity: 5 }, 201);
    expect(sent.ref).toMatch(/^TFR-FG-\d{3,}$/);
    expect(sent.ledgerEntry).toMatchObject({ eventType: 'TRANSFER', locationId: from, toLocationId: to, quantity: '5.0000', ref: sent.ref });
    expect(await stockOf(skuId, from)).toBe((onHand - 5).toFixed(4));
    // In transit: neither location's on hand.
    expect(await stockOf(skuId, to)).toBe('0.0000');

    const received = await api.ok(fgLedgerSchema, 'POST', `${FG}/transfers/${sent.ref}/complete`, { notes: 'dock 3' });
    expect(received).toMatchObject({ eventType: 'RECEIVE', locationId: to, toLocationId: null, quantity: '5.0000', ref: sent.ref, notes: 'dock 3' });
    expect(await stockOf(skuId, to)).toBe('5.0000');
    const byRef = await ledger(`?ref=${sent.ref}`);
    expect(byRef.map((e) => [e.eventType, e.locationId, e.quantity]).sort()).toEqual([
      ['RECEIVE', to, '5.0000'],
      ['TRANSFER', from, '5.0000'],
    ]);
    // `ref` is a LIKE pattern: `TFR-FG-%` finds every transfer row.
    const pattern = await ledger(`?ref=${encodeURIComponent('TFR-FG-%')}`);
    expect(pattern.some((e) => e.id === received.id)).toBe(true);
    expect(pattern.every((e) => e.ref?.startsWith('TFR-FG-'))).toBe(true);

    const again = await api.fails(409, 'POST', `${FG}/transfers/${sent.ref}/complete`);
    expect(again.code).toBe('invalid_transition');
    expect(await stockOf(skuId, to)).toBe('5.0000');
    await api.fails(404, 'POST', `${FG}/transfers/TFR-FG-999999/complete`);
  });

  it('refuses a transfer to the same location with 422, moving nothing', async () => {
    const { skuId, from } = stockedSku();
    const entries = await ledgerCount(skuId);
    const before = await stockOf(skuId, from);
    const same = await api.fails(422, 'POST', `${FG}/transfers`, { skuId, sourceLocationId: from, destinationLocationId: from, quantity: 1 });
    expect(same.code).toBe('validation_failed');
    expect(first(issuesSchema.parse(same.details).issues).path).toBe('destinationLocationId');
    expect(await ledgerCount(skuId)).toBe(entries);
    expect(await stockOf(skuId, from)).toBe(before);
  });

  it('refuses bad quantities, unknown SKUs and unknown locations with the document codes', async () => {
    const { skuId, from } = stockedSku();
    const before = await stockOf(skuId, from);
    for (const quantity of [0, -3, 1.00001, '5']) {
      expect((await api.fails(422, 'POST', `${FG}/adjustments`, { skuId, locationId: from, quantity })).code).toBe('validation_failed');
    }
    const sku = await api.fails(404, 'POST', `${FG}/adjustments`, { skuId: NO_SUCH_ID, locationId: from, quantity: 1 });
    expect(referenceDetails.parse(sku.details)).toEqual({ field: 'skuId', id: NO_SUCH_ID });
    const location = await api.fails(404, 'POST', `${FG}/disposals`, { skuId, locationId: NO_SUCH_ID, quantity: 1 });
    expect(referenceDetails.parse(location.details).field).toBe('locationId');
    await api.fails(422, 'POST', `${FG}/adjustments`, { skuId, locationId: from, quantity: 1, eventDate: '01/06/2026' });
    await api.fails(422, 'POST', `${FG}/adjustments`, { materialId: skuId, locationId: from, quantity: 1 });
    expect(await stockOf(skuId, from)).toEqual(before);
  });
});

describe('materials inventory', () => {
  it('stocks every material at every Pharus location, and the ledger adds up to the summary', async () => {
    const materials = await api.readAll(materialSchema, '/materials', 5, (m) => m.id);
    const locations = (await api.get(listOf(locationSchema), '/locations')).data;
    const summary = (await api.get(listOf(materialSummarySchema), `${MAT}/summary`)).data;
    expect(summary.length).toBe(materials.length * locations.length);
    const entries = (await api.get(listOf(materialLedgerSchema), `${MAT}/ledger`)).data;
    for (const row of summary) {
      // Every seeded entry is a RECEIVE, which adds.
      const sum = entries.filter((e) => e.materialId === row.materialId && e.locationId === row.locationId && e.eventType === 'RECEIVE').reduce((s, e) => s + Number(e.quantity), 0);
      expect(sum.toFixed(4)).toBe(row.onHand);
      expect(row.onOrder).toBe('0.0000');
    }
  });

  it('adjusts, disposes and transfers materials through the same rules', async () => {
    const row = first((await api.get(listOf(materialSummarySchema), `${MAT}/summary`)).data);
    const other = (await api.get(listOf(locationSchema), '/locations')).data.find((l) => l.id !== row.locationId);
    if (other === undefined) throw new Error('need two locations');
    const { materialId, locationId } = row;
    const onHand = async () => first((await api.get(listOf(materialSummarySchema), `${MAT}/summary?materialId=${materialId}&locationId=${locationId}`)).data).onHand;
    const start = Number(row.onHand);
    const adjusted = await api.ok(materialLedgerSchema, 'POST', `${MAT}/adjustments`, { materialId, locationId, quantity: 0.25 }, 201);
    expect(adjusted).toMatchObject({ materialId, eventType: 'ADJUST', quantity: '0.2500' });
    expect(await onHand()).toBe((start + 0.25).toFixed(4));
    await api.ok(materialLedgerSchema, 'POST', `${MAT}/disposals`, { materialId, locationId, quantity: 0.5 }, 201);
    await api.ok(materialLedgerSchema, 'POST', `${MAT}/adjustments`, { materialId, locationId, quantity: 0.5 }, 201);
    expect(await onHand()).toBe((start + 0.25).toFixed(4));
    const sent = await api.ok(z.strictObject({ ledgerEntry: materialLedgerSchema, ref: z.string() }), 'POST', `${MAT}/transfers`, { materialId, sourceLocationId: locationId, destinationLocationId: other.id, quantity: 0.25 }, 201);
    expect(sent.ref).toMatch(/^TFR-MI-\d{3,}$/);
    expect(await onHand()).toBe(start.toFixed(4));
    const received = await api.ok(materialLedgerSchema, 'POST', `${MAT}/transfers/${sent.ref}/complete`, {});
    expect(received).toMatchObject({ eventType: 'RECEIVE', locationId: other.id, quantity: '0.2500', ref: sent.ref });
    await api.fails(422, 'GET', `${MAT}/ledger?eventType=PRODUCE`);
  });
});
