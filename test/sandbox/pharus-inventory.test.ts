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

// Pharus finished-goods and materials inventory over real loopback HTTP: the summary and ledger
// agree with the world's stock and lots, and adjust / dispose / transfer move stock exactly,
// or refuse and move nothing.

const world = generateWorld({ scale: 0.2 });
let sandbox: SandboxHandle<PharusStore>;
const api = new PharusTestClient(() => sandbox);
const FG = '/inventory/finished-goods';
const MAT = '/inventory/materials';

beforeAll(async () => {
  sandbox = await startPharusSandbox({ port: 0, world });
});
afterAll(() => sandbox.close());

const pharusStock = world.stock.filter((s) => s.vendor === 'pharus');
const skuIdOf = (code: string) => pharusId('sku', code);
const locationIdOf = (key: string) => pharusId('location', key);

/** The summary row of one SKU at one location (zero when there is none). */
async function stockOf(skuId: string, locationId: string): Promise<{ onHand: string; inTransit: string }> {
  const page = await api.get(pageOf(fgSummarySchema), `${FG}/summary?skuId=${skuId}&locationId=${locationId}`);
  const row = page.data[0];
  return row === undefined ? { onHand: '0.0000', inTransit: '0.0000' } : { onHand: row.onHand, inTransit: row.inTransit };
}

const ledgerCount = async (skuId: string) => (await api.readAll(fgLedgerSchema, `${FG}/ledger?skuId=${skuId}`, 500, (e) => e.id)).length;

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
  it('sums the world stock per SKU and location, over every page', async () => {
    const expected = new Map<string, number>();
    for (const s of pharusStock) {
      const key = `${skuIdOf(s.skuCode)}:${locationIdOf(s.locationKey)}`;
      expected.set(key, (expected.get(key) ?? 0) + s.quantity);
    }
    const rows = await api.readAll(fgSummarySchema, `${FG}/summary`, 97, (r) => `${r.skuId}:${r.locationId}`);
    expect(new Map(rows.map((r) => [`${r.skuId}:${r.locationId}`, Number(r.onHand)]))).toEqual(expected);
    const codes = new Map(world.skus.map((s) => [skuIdOf(s.code), s.vendorCodes.pharus]));
    for (const r of rows) expect(r.skuCode).toBe(codes.get(r.skuId));
  });

  it('filters the summary to one SKU', async () => {
    const sku = first(pharusStock).skuCode;
    const rows = await api.readAll(fgSummarySchema, `${FG}/summary?skuId=${skuIdOf(sku)}`, 1, (r) => r.locationId);
    expect(rows.map((r) => r.locationId).sort()).toEqual([...new Set(pharusStock.filter((s) => s.skuCode === sku).map((s) => locationIdOf(s.locationKey)))].sort());
  });

  it('records each stocked lot as a PRODUCE entry whose code is the lot number', async () => {
    const sku = world.skus.find((s) => s.vendorCodes.pharus !== undefined && pharusStock.some((r) => r.skuCode === s.code && r.quantity > 0));
    if (sku === undefined) throw new Error('no stocked SKU');
    const entries = await api.readAll(fgLedgerSchema, `${FG}/ledger?skuId=${skuIdOf(sku.code)}`, 2, (e) => e.id);
    const lots = new Set((world.lotsBySku.get(sku.code) ?? []).map((l) => l.number));
    expect(entries.length).toBe(pharusStock.filter((r) => r.skuCode === sku.code && r.quantity > 0).length);
    for (const e of entries) {
      expect(e.eventType).toBe('PRODUCE');
      expect(lots.has(e.code ?? '')).toBe(true);
    }
    const entry = first(entries);
    expect(await api.get(fgLedgerSchema, `${FG}/ledger/${entry.id}`)).toEqual(entry);
  });

  it('filters the ledger by event type and by date range', async () => {
    const all = await api.readAll(fgLedgerSchema, `${FG}/ledger`, 500, (e) => e.id);
    const produce = await api.readAll(fgLedgerSchema, `${FG}/ledger?eventType=PRODUCE`, 500, (e) => e.id);
    expect(produce.length).toBe(all.filter((e) => e.eventType === 'PRODUCE').length);
    const day = first(all).eventDate.slice(0, 10);
    const onDay = await api.readAll(fgLedgerSchema, `${FG}/ledger?dateFrom=${day}&dateTo=${day}`, 500, (e) => e.id);
    expect(onDay.length).toBe(all.filter((e) => e.eventDate.startsWith(day)).length);
    expect(onDay.length).toBeGreaterThan(0);
    await api.fails(400, 'GET', `${FG}/ledger?eventType=STEAL`);
    await api.fails(400, 'GET', `${FG}/ledger?dateFrom=yesterday`);
    await api.fails(400, 'GET', `${FG}/summary?skuId=abc`);
  });
});

describe('finished-goods writes', () => {
  it('adjust adds stock and appends an ADJUST entry', async () => {
    const { skuId, from, onHand } = stockedSku();
    const before = await stockOf(skuId, from);
    expect(Number(before.onHand)).toBe(onHand);
    const entry = await api.ok(fgLedgerSchema, 'POST', `${FG}/adjust`, { skuId, locationId: from, quantity: 2.5, notes: 'cycle count', eventDate: '2026-06-01' }, 201);
    expect(entry).toMatchObject({ skuId, locationId: from, eventType: 'ADJUST', quantity: '2.5000', notes: 'cycle count', eventDate: '2026-06-01T00:00:00.000Z' });
    expect((await stockOf(skuId, from)).onHand).toBe((onHand + 2.5).toFixed(4));
    expect(await api.get(fgLedgerSchema, `${FG}/ledger/${entry.id}`)).toEqual(entry);
    await api.ok(fgLedgerSchema, 'POST', `${FG}/dispose`, { skuId, locationId: from, quantity: 2.5 }, 201);
  });

  it('dispose removes stock, and refuses more than is on hand without moving anything', async () => {
    const { skuId, from, onHand } = stockedSku();
    const entries = await ledgerCount(skuId);
    const error = await api.fails(409, 'POST', `${FG}/dispose`, { skuId, locationId: from, quantity: onHand + 1 });
    expect(error.code).toBe('conflict');
    expect(error.details).toMatchObject({ onHand: onHand.toFixed(4), requested: (onHand + 1).toFixed(4) });
    expect((await stockOf(skuId, from)).onHand).toBe(onHand.toFixed(4));
    expect(await ledgerCount(skuId)).toBe(entries);
    const entry = await api.ok(fgLedgerSchema, 'POST', `${FG}/dispose`, { skuId, locationId: from, quantity: 1 }, 201);
    expect(entry).toMatchObject({ eventType: 'DISPOSE', quantity: '-1.0000' });
    expect((await stockOf(skuId, from)).onHand).toBe((onHand - 1).toFixed(4));
    await api.ok(fgLedgerSchema, 'POST', `${FG}/adjust`, { skuId, locationId: from, quantity: 1 }, 201);
  });

  it('transfers in two steps: out of the source, in transit, then received at the destination', async () => {
    const { skuId, from, to, onHand } = stockedSku();
    expect(await stockOf(skuId, to)).toEqual({ onHand: '0.0000', inTransit: '0.0000' });
    const sent = await api.ok(z.strictObject({ ledgerEntry: fgLedgerSchema, ref: z.string() }), 'POST', `${FG}/transfers`, { skuId, sourceLocationId: from, destinationLocationId: to, quantity: 5 }, 201);
    expect(sent.ledgerEntry).toMatchObject({ eventType: 'TRANSFER', locationId: from, toLocationId: to, quantity: '-5.0000', ref: sent.ref });
    expect((await stockOf(skuId, from)).onHand).toBe((onHand - 5).toFixed(4));
    expect(await stockOf(skuId, to)).toEqual({ onHand: '0.0000', inTransit: '5.0000' });

    const received = await api.ok(fgLedgerSchema, 'POST', `${FG}/transfers/${sent.ref}/complete`, { notes: 'dock 3' });
    expect(received).toMatchObject({ eventType: 'TRANSFER', locationId: to, quantity: '5.0000', ref: sent.ref, notes: 'dock 3' });
    expect(await stockOf(skuId, to)).toEqual({ onHand: '5.0000', inTransit: '0.0000' });
    const byRef = await api.readAll(fgLedgerSchema, `${FG}/ledger?ref=${sent.ref}`, 10, (e) => e.id);
    expect(byRef.map((e) => e.quantity)).toEqual(['-5.0000', '5.0000']);

    const again = await api.fails(409, 'POST', `${FG}/transfers/${sent.ref}/complete`);
    expect(again.code).toBe('invalid_transition');
    expect(await stockOf(skuId, to)).toEqual({ onHand: '5.0000', inTransit: '0.0000' });
    await api.fails(404, 'POST', `${FG}/transfers/FGT-999999/complete`);
  });

  it('refuses a transfer to the same location, or of more than is on hand, moving nothing', async () => {
    const { skuId, from, to } = stockedSku();
    const entries = await ledgerCount(skuId);
    const before = await stockOf(skuId, from);
    const same = await api.fails(400, 'POST', `${FG}/transfers`, { skuId, sourceLocationId: from, destinationLocationId: from, quantity: 1 });
    expect(same.code).toBe('validation_failed');
    expect(first(issuesSchema.parse(same.details).issues).path).toBe('destinationLocationId');
    expect((await api.fails(409, 'POST', `${FG}/transfers`, { skuId, sourceLocationId: from, destinationLocationId: to, quantity: Number(before.onHand) + 1 })).code).toBe('conflict');
    expect(await ledgerCount(skuId)).toBe(entries);
    expect(await stockOf(skuId, from)).toEqual(before);
    expect((await stockOf(skuId, to)).inTransit).toBe('0.0000');
  });

  it('refuses bad quantities, unknown SKUs and unknown locations with the document codes', async () => {
    const { skuId, from } = stockedSku();
    const before = await stockOf(skuId, from);
    for (const quantity of [0, -3, 1.00001, '5']) {
      expect((await api.fails(400, 'POST', `${FG}/adjust`, { skuId, locationId: from, quantity })).code).toBe('validation_failed');
    }
    const sku = await api.fails(404, 'POST', `${FG}/adjust`, { skuId: NO_SUCH_ID, locationId: from, quantity: 1 });
    expect(referenceDetails.parse(sku.details)).toEqual({ field: 'skuId', id: NO_SUCH_ID });
    const location = await api.fails(404, 'POST', `${FG}/dispose`, { skuId, locationId: NO_SUCH_ID, quantity: 1 });
    expect(referenceDetails.parse(location.details).field).toBe('locationId');
    await api.fails(400, 'POST', `${FG}/adjust`, { skuId, locationId: from, quantity: 1, eventDate: '01/06/2026' });
    await api.fails(400, 'POST', `${FG}/adjust`, { materialId: skuId, locationId: from, quantity: 1 });
    expect(await stockOf(skuId, from)).toEqual(before);
  });
});

describe('materials inventory', () => {
  it('stocks every material at every Pharus location, and the ledger adds up to the summary', async () => {
    const materials = await api.readAll(materialSchema, '/materials', 5, (m) => m.id);
    const locations = (await api.get(listOf(locationSchema), '/locations')).data;
    const summary = await api.readAll(materialSummarySchema, `${MAT}/summary`, 10, (r) => `${r.materialId}:${r.locationId}`);
    expect(summary.length).toBe(materials.length * locations.length);
    const ledger = await api.readAll(materialLedgerSchema, `${MAT}/ledger`, 50, (e) => e.id);
    for (const row of summary) {
      const sum = ledger.filter((e) => e.materialId === row.materialId && e.locationId === row.locationId).reduce((s, e) => s + Number(e.quantity), 0);
      expect(sum.toFixed(4)).toBe(row.onHand);
    }
  });

  it('adjusts, disposes and transfers materials through the same rules', async () => {
    const row = first((await api.get(pageOf(materialSummarySchema), `${MAT}/summary?limit=1`)).data);
    const other = (await api.get(listOf(locationSchema), '/locations')).data.find((l) => l.id !== row.locationId);
    if (other === undefined) throw new Error('need two locations');
    const { materialId, locationId } = row;
    const onHand = async () => first((await api.get(pageOf(materialSummarySchema), `${MAT}/summary?materialId=${materialId}&locationId=${locationId}`)).data).onHand;
    const start = Number(row.onHand);
    const adjusted = await api.ok(materialLedgerSchema, 'POST', `${MAT}/adjust`, { materialId, locationId, quantity: 0.25 }, 201);
    expect(adjusted).toMatchObject({ materialId, eventType: 'ADJUST', quantity: '0.2500' });
    expect(await onHand()).toBe((start + 0.25).toFixed(4));
    await api.fails(409, 'POST', `${MAT}/dispose`, { materialId, locationId, quantity: start + 1 });
    expect(await onHand()).toBe((start + 0.25).toFixed(4));
    const sent = await api.ok(z.strictObject({ ledgerEntry: materialLedgerSchema, ref: z.string() }), 'POST', `${MAT}/transfers`, { materialId, sourceLocationId: locationId, destinationLocationId: other.id, quantity: 0.25 }, 201);
    expect(sent.ref).toMatch(/^MT-\d{6}$/);
    expect(await onHand()).toBe(start.toFixed(4));
    await api.ok(materialLedgerSchema, 'POST', `${MAT}/transfers/${sent.ref}/complete`, {});
    await api.fails(400, 'GET', `${MAT}/ledger?eventType=PRODUCE`);
  });
});
