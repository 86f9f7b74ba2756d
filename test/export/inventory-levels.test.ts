import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HapihubStore } from '../../sandbox/hapihub/store.js';
import { countRows, rowsByKey } from '../../src/sync/record-store.js';
import { stockKey } from '../../src/vendors/hapihub/stock-rule.js';
import type { InventoryLevelRecord } from '../../src/model/records.js';
import { LogCapture } from '../support/log-capture.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * `GET /export/inventoryLevels.csv|.ndjson`: stock from the synced store, one row per vendor × SKU ×
 * lot × location. The store holds HAPIHub's stock (folded from its transactions); the export is
 * compared with the sandbox's own fold, and a level built from 0.1 + 0.2 must come out as "0.3".
 */
const capture = new LogCapture({ level: 'info' });
let stack: Stack;
let hapihub: HapihubStore;
const LOT = 'EXPORT-EXACT-LOT';
let sku: string;
let warehouse: string;

beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.2 }, synced: true, gateway: { log: capture.logger } });
  hapihub = stack.sandboxes.handles.hapihub!.store as HapihubStore;
  const first = hapihub.all().find((t) => t.items?.some((i) => i.sku));
  sku = first!.items.find((i) => i.sku)!.sku!;
  warehouse = first!.warehouse;
  // Two adjustments whose sum is no binary fraction: 0.1 + 0.2 in floating point is 0.30000000000000004.
  for (const adjustment of [0.1, 0.2]) hapihub.create({ type: 'adjustment', warehouse, items: [{ sku, control: LOT, adjustment }] } as never);
  const db = stack.gateway.runtime.store.db;
  stack.gateway.runtime.sync.requestPass('HAPIHUB', 'transactions');
  const deadline = Date.now() + 20_000;
  while ((await countRows(db, { relation: 'inventory', vendors: ['HAPIHUB'], tag: { kind: 'lot', value: LOT } })) === 0) {
    if (Date.now() > deadline) throw new Error('the new level did not reach the store');
    await new Promise((r) => setTimeout(r, 50));
  }
  // Nothing else moves while the exports are read and the vendor calls are counted.
  await stack.gateway.runtime.sync.stop();
});
afterAll(() => stack?.close());

function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  // No field here holds a quote, comma or line break (codes, ids, decimals, times).
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => line.split(','));
}

describe('the inventoryLevels export', () => {
  it('streams every stored level as CSV with a header, exact decimals, a file name, a logged row count and no vendor call', async () => {
    await stack.resetStats();
    capture.clear();
    const response = await fetch(`${stack.gateway.url}/export/inventoryLevels.csv`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="inventoryLevels-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['vendor', 'skuCode', 'vendorSkuCode', 'locationId', 'locationName', 'lotNumber', 'onHand', 'available', 'allocated', 'updatedAt']);
    const column = (name: string) => header!.indexOf(name);

    // The sandbox's own fold of every transaction: one exported row per level, with its quantity.
    const expected = hapihub.stock();
    expect(rows).toHaveLength(expected.size);
    expect(response.headers.get('x-total-count')).toBe(String(expected.size));
    const stores = await stack.stats();
    expect(Object.values(stores).reduce((n, s) => n + s.total, 0)).toBe(0);
    for (const row of rows) {
      const level = expected.get(stockKey(row[column('vendorSkuCode')]!, row[column('lotNumber')] || null, row[column('locationId')]!));
      expect(level, row.join(',')).toBeDefined();
      expect(row[column('vendor')]).toBe('HAPIHUB');
      // Exact canonical decimals (no float noise, no trailing zeros); HAPIHub says nothing of reservations.
      expect(row[column('onHand')]).toMatch(/^-?\d+(\.\d*[1-9])?$/);
      expect(Math.abs(Number(row[column('onHand')]) - level!.quantity)).toBeLessThan(1e-9);
      expect(row[column('available')]).toBe('');
      expect(row[column('updatedAt')]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    const exact = rows.find((row) => row[column('lotNumber')] === LOT);
    expect(exact?.[column('onHand')]).toBe('0.3');
    // HAPIHub spells codes its own way; the canonical code is the crosswalk's.
    expect(exact?.[column('skuCode')]).toBe(stack.gateway.runtime.crosswalk.toCanonical('HAPIHUB', sku));
    // Ordered by SKU code, as the default ordering says.
    const codes = rows.map((row) => row[column('vendorSkuCode')]!);
    expect(codes).toEqual([...codes].sort());

    const logged = capture.lines.find((line) => line.export === 'inventoryLevels');
    expect(logged).toMatchObject({ msg: `export inventoryLevels.csv: ${rows.length} rows`, rows: rows.length, complete: true });
  });

  it('takes the filters as query parameters: SKU code in any spelling, lot, location, vendor; NDJSON keeps decimals as strings', async () => {
    const canonical = stack.gateway.runtime.crosswalk.toCanonical('HAPIHUB', sku);
    for (const code of [canonical, sku]) {
      const response = await fetch(`${stack.gateway.url}/export/inventoryLevels.ndjson?vendor=hapihub&skuCode=${encodeURIComponent(code)}&lotNumber=${LOT}&location=${encodeURIComponent(warehouse)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="inventoryLevels-\d{4}-\d{2}-\d{2}\.ndjson"$/);
      const lines = (await response.text()).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toEqual([expect.objectContaining({ vendor: 'HAPIHUB', skuCode: canonical, vendorSkuCode: sku, locationId: warehouse, lotNumber: LOT, onHand: '0.3', available: null })]);
    }
    // Every level of the SKU, and none in a location that does not exist.
    const ofSku = [...hapihub.stock().values()].filter((level) => level.sku === sku);
    const all = await fetch(`${stack.gateway.url}/export/inventoryLevels.ndjson?skuCode=${encodeURIComponent(canonical)}`);
    expect((await all.text()).split('\n').filter((l) => l !== '')).toHaveLength(ofSku.length);
    const nowhere = await fetch(`${stack.gateway.url}/export/inventoryLevels.csv?location=no-such-warehouse`);
    expect(nowhere.status).toBe(200);
    expect(nowhere.headers.get('x-total-count')).toBe('0');
    expect(parseCsv(await nowhere.text())).toHaveLength(1);
    const stored = (await rowsByKey(stack.gateway.runtime.store.db, 'HAPIHUB', 'inventory', [stockKey(sku, LOT, warehouse)])).get(stockKey(sku, LOT, warehouse)) as InventoryLevelRecord;
    expect(stored.onHand).toBe('0.3');
  });

  it('refuses a bad filter with 400 naming the parameter, before reading anything', async () => {
    for (const [query, parameter] of [
      ['vendor=distru', 'vendor'],
      ['updatedSince=yesterday', 'updatedSince'],
      ['skuCode=', 'skuCode'],
      ['location=%00', 'location'],
      ['colour=red', 'colour'],
      ['orderBy=TIME', 'orderBy'],
      ['lotNumber=a&lotNumber=b', 'lotNumber'],
    ] as const) {
      const bad = await fetch(`${stack.gateway.url}/export/inventoryLevels.csv?${query}`);
      expect(bad.status, query).toBe(400);
      const body = (await bad.json()) as { errors: { message: string; extensions: { code: string; parameter: string } }[] };
      expect(body.errors[0]?.extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', parameter });
      expect(body.errors[0]?.message.startsWith(`${parameter}:`), query).toBe(true);
    }
  });
});
