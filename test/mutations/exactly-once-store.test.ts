import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { warehouseIdOf } from '../../sandbox/hapihub/index.js';
import { worldCrosswalk } from '../../sandbox/world/index.js';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import { loadConfig } from '../../src/config.js';
import { startGateway, type StartedGateway } from '../../src/server/gateway.js';
import { sandboxConnections } from '../../src/server/sandbox-wiring.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

/**
 * Idempotency records outlive the process that wrote them (same data directory after a restart)
 * and hold across processes (two gateway processes on one real PostgreSQL).
 */
const SCALE = 0.2;
const ADJUST = `mutation($input: AdjustInventoryInput!) { adjustInventory(input: $input) { vendor levels { onHand } } }`;
const CREATE_INSPECTION = `mutation($input: CreateInspectionInput!) { createInspection(input: $input) { inspection { vendorId } } }`;
/** A part read live through its SKU (lists answer from the synced store; these gateways run no sync). */
const PART = 'query($code: String!) { sku(code: $code) { part { id } } }';

let sandboxes: Sandboxes;
beforeAll(async () => {
  sandboxes = await startSandboxes({ scale: SCALE, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
});
afterAll(() => sandboxes?.close());

async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: Record<string, unknown> | null; errors?: { extensions?: Record<string, unknown> }[] }> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: Record<string, unknown> }[] };
}

const writes = (vendor: 'hapihub' | 'isolocity' | 'pharus', route: string) => sandboxes.handles[vendor]?.stats.snapshot().requests[route] ?? 0;

/** A SKU HAPIHub and Pharus carry under its canonical code. */
function sharedSku(): string {
  return sandboxes.world.skus.find((s) => Object.keys(s.vendorCodes).length === 4 && s.vendorCodes.pharus === s.code && s.vendorCodes.hapihub === s.code)?.code as string;
}

describe('after a gateway restart with the same data directory', () => {
  let dir: string;
  const start = (): Promise<StartedGateway> =>
    startGateway(loadConfig({ PORT: '0', HOST: '127.0.0.1', OPSGRAPH_DATA_DIR: dir, SYNC: 'off' }), { vendors: sandboxConnections(sandboxes), crosswalk: new Crosswalk(worldCrosswalk(sandboxes.world)) });
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'opsgraph-restart-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a retried key writes nothing: neither one that succeeded nor one whose answer was lost', async () => {
    const input = { vendor: 'HAPIHUB', skuCode: sharedSku(), locationId: warehouseIdOf('LOC-1'), quantity: '2' };
    let gateway = await start();
    sandboxes.handles.hapihub?.stats.reset();
    const done = await gql(gateway.url, ADJUST, { input: { ...input, idempotencyKey: 'restart-done' } });
    expect(done.errors).toBeUndefined();
    sandboxes.handles.hapihub?.faults.add({ match: 'POST /inventory-transactions', loseResponse: true });
    const lost = await gql(gateway.url, ADJUST, { input: { ...input, idempotencyKey: 'restart-lost' } });
    sandboxes.handles.hapihub?.faults.clear();
    expect(lost.errors?.[0]?.extensions?.code).toBe('OUTCOME_UNKNOWN');
    await gateway.close();
    expect(writes('hapihub', 'POST /inventory-transactions')).toBe(2);

    gateway = await start();
    try {
      expect(await gql(gateway.url, ADJUST, { input: { ...input, idempotencyKey: 'restart-done' } })).toEqual(done);
      const found = await gql(gateway.url, ADJUST, { input: { ...input, idempotencyKey: 'restart-lost' } });
      expect(found.errors).toBeUndefined();
      expect(writes('hapihub', 'POST /inventory-transactions')).toBe(2);
    } finally {
      await gateway.close();
    }
  });
});

describe('two gateway processes sharing one PostgreSQL', () => {
  let postgres: TestPostgres;
  const children: ChildProcess[] = [];
  const urls: string[] = [];

  async function spawnGateway(databaseUrl: string): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support/gateway-child.ts')], {
      env: { ...process.env, DATABASE_URL: databaseUrl, OPSGRAPH_TEST_VENDORS: JSON.stringify(sandboxConnections(sandboxes)), OPSGRAPH_TEST_SCALE: String(SCALE) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    for await (const line of lines) if (line.startsWith('http://')) return line.trim();
    throw new Error('the gateway process exited before printing its URL');
  }

  beforeAll(async () => {
    postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase();
    // One after the other: the first runs the migrations, the second finds them done.
    urls.push(await spawnGateway(databaseUrl));
    urls.push(await spawnGateway(databaseUrl));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await postgres?.stop();
  });

  /** Both processes get the same key at once; the vendor answers slowly, so the two overlap. */
  async function concurrently(vendor: 'hapihub' | 'isolocity' | 'pharus', match: string, query: string, input: Record<string, unknown>) {
    sandboxes.handles[vendor]?.faults.add({ match, latencyMs: 300 });
    sandboxes.handles[vendor]?.stats.reset();
    try {
      return await Promise.all(urls.map((url) => gql(url, query, { input })));
    } finally {
      sandboxes.handles[vendor]?.faults.clear();
    }
  }

  it('createInspection with one key: one inspection, and both answer it', async () => {
    const partCode = sandboxes.world.skus.find((s) => s.vendorCodes.isolocity)?.code;
    const partId = ((await gql(urls[0] as string, PART, { code: partCode })).data as { sku: { part: { id: string } | null } }).sku.part?.id;
    const answers = await concurrently('isolocity', 'POST /api/v2/inspections', CREATE_INSPECTION, { idempotencyKey: 'two-processes-inspection', partId, sampleSize: 1 });
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
    expect(answers[0]?.data).toEqual(answers[1]?.data);
    expect(writes('isolocity', 'POST /api/v2/inspections')).toBe(1);
  });

  it('adjustInventory on HAPIHub with one key: one transaction', async () => {
    const answers = await concurrently('hapihub', 'POST /inventory-transactions', ADJUST, { idempotencyKey: 'two-processes-hapihub', vendor: 'HAPIHUB', skuCode: sharedSku(), locationId: warehouseIdOf('LOC-1'), quantity: '1' });
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
    expect(writes('hapihub', 'POST /inventory-transactions')).toBe(1);
  });

  it('adjustInventory on Pharus with one key: one ledger entry', async () => {
    const code = sharedSku();
    const stock = await gql(urls[0] as string, 'query($code: String!) { sku(code: $code) { inventory(vendors: [PHARUS]) { location { id } } } }', { code });
    const locationId = (stock.data as { sku: { inventory: { location: { id: string } }[] } }).sku.inventory[0]?.location.id;
    const answers = await concurrently('pharus', 'POST /api/finished-goods-inventory/adjustments', ADJUST, { idempotencyKey: 'two-processes-pharus', vendor: 'PHARUS', skuCode: code, locationId, quantity: '1' });
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
    expect(writes('pharus', 'POST /api/finished-goods-inventory/adjustments')).toBe(1);
  });
});
