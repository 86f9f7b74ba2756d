import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type StartedGateway } from '../../src/server/gateway.js';
import { testDataDir } from '../support/data-dir.js';

const dataDir = testDataDir();

// Contract: HAPIHub stock against a fixture that answers GET /inventory-transactions as document 003
// shows it (a bare array of transactions, the document's field names): a purchase with its
// approval workflow, the receiving that names it, a sale, a return, an adjustment, a transfer and
// a packaging. Stock = receiving + return − sales ± adjustment, transfers moved: the purchase and
// the packaging move nothing, so the goods are counted once.

const ITEM = 'ITEM-1';
const A = 'facility-a';
const B = 'facility-b';
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1);
const transactions = [
  { id: 'p1', createdAt: T0, type: 'purchase', warehouse: A, supplier: 'supplier-1', acknowledgedAt: T0 + 1000, approvedItems: [{ sku: ITEM, quantity: 10 }], items: [{ sku: ITEM, control: 'LOT-1', quantity: 10 }] },
  { id: 'r1', createdAt: T0 + DAY, type: 'receiving', warehouse: A, transaction: 'p1', items: [{ sku: ITEM, control: 'LOT-1', quantity: 10 }] },
  { id: 's1', createdAt: T0 + 2 * DAY, type: 'sales', warehouse: A, items: [{ sku: ITEM, control: 'LOT-1', quantity: 4 }] },
  { id: 'k1', createdAt: T0 + 2 * DAY + 1, type: 'packaging', warehouse: A, transaction: 's1', items: [{ sku: ITEM, control: 'LOT-1', quantity: 4 }] },
  { id: 'b1', createdAt: T0 + 3 * DAY, type: 'return', warehouse: A, transaction: 's1', items: [{ sku: ITEM, control: 'LOT-1', quantity: 1 }] },
  { id: 'a1', createdAt: T0 + 4 * DAY, type: 'adjustment', warehouse: A, items: [{ sku: ITEM, control: 'LOT-1', adjustment: -2, quantity: 99 }] },
  { id: 't1', createdAt: T0 + 5 * DAY, type: 'transfer', warehouse: A, source: A, destination: B, items: [{ sku: ITEM, control: 'LOT-1', quantity: 3 }] },
];

let server: Server;
let gateway: StartedGateway;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fixture').pathname;
    res.writeHead(path === '/inventory-transactions' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(path === '/inventory-transactions' ? transactions : { name: 'NotFound', message: 'Page not found', code: 404, className: 'not-found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  gateway = await startGateway(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SYNC: 'off', OPSGRAPH_DATA_DIR: dataDir }), { vendors: { HAPIHUB: { baseUrl: `http://127.0.0.1:${port}`, token: 'fixture-token' } } });
});
afterAll(async () => {
  await gateway.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('HAPIHub stock from document-shaped transactions', () => {
  it('counts a purchase and the receiving that names it once: 10 − 4 + 1 − 2 − 3 at A, 3 at B', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ inventoryLevels(skuCodes: ["${ITEM}"], vendors: [HAPIHUB]) { location { id } lotNumber onHand } }` }),
    });
    const body = (await response.json()) as { data?: { inventoryLevels: { location: { id: string }; lotNumber: string; onHand: string }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const byPlace = Object.fromEntries((body.data?.inventoryLevels ?? []).map((l) => [`${l.location.id}/${l.lotNumber}`, l.onHand]));
    expect(byPlace).toEqual({ [`${A}/LOT-1`]: '2', [`${B}/LOT-1`]: '3' });
  });
});
