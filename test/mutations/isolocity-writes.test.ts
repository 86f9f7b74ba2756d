import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SourceScope } from '../../src/cache/scope.js';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import { errorCode } from '../../src/errors.js';
import { defaultHttpOptions, VendorHttp } from '../../src/http/index.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { createIsolocityRuntime, isolocityAuthHeaders, SANDBOX_BASE_PATH, type IsolocityRuntime } from '../../src/vendors/isolocity/index.js';
import { inputPathOf } from '../../src/vendors/isolocity/writes.js';
import type { FreshnessConfig } from '../../src/vendors/types.js';
import type { IsolocityStore } from '../../sandbox/isolocity/index.js';
import { worldCrosswalk } from '../../sandbox/world/index.js';
import { startStack, type Stack } from '../support/stack.js';

// What the end-to-end file cannot set up through GraphQL alone: a write whose answer is lost (the
// vendor wrote, the gateway timed out), the NCRs-by-lot cache (no GraphQL field reads it), a part
// created after the parts index was read, and the vendor answers the sandbox never gives (403, 409).

const FRESH: FreshnessConfig = { liveStockMaxAgeMs: 5_000, referenceMaxAgeMs: 60_000, qualityMaxAgeMs: 60_000, staleMaxMs: 60_000, maxIndexEntries: 100_000 };
const scope: SourceScope = { call: {}, noteStale: () => undefined };
const POST_NCR = 'POST /api/v2/ncrs';
const LIST_NCRS = 'GET /api/v2/ncrs';
const LIST_PARTS = 'GET /api/v2/parts';
const CREATE_NCR = `mutation($input: CreateNcrInput!) { createNcr(input: $input) { ncr { vendorId number quantity lotNumber part { identification } } } }`;
const PART_NCRS = `query($id: ID!) { part(id: $id) { ncrs { number } } }`;

/** The gateway's ISOlocity calls time out after this; the injected latency on POST /ncrs is longer. */
const TIMEOUT_MS = 1_000;

let stack: Stack;
let store: IsolocityStore;
let partId: number;
let partCode: string;
const https: VendorHttp[] = [];

function directRuntime(options: { partMissRefreshMs?: number } = {}): IsolocityRuntime {
  const sandbox = stack.sandboxes.handles.isolocity;
  if (!sandbox) throw new Error('no ISOlocity sandbox');
  const http = new VendorHttp({
    ...defaultHttpOptions('isolocity'),
    baseUrl: sandbox.url + SANDBOX_BASE_PATH,
    authHeaders: isolocityAuthHeaders({ baseUrl: sandbox.url, token: sandbox.credentials.token }),
  });
  https.push(http);
  return createIsolocityRuntime({ http, freshness: FRESH }, options);
}
const isoCalls = async () => (await stack.stats()).isolocity.requests;

beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.2 }, gateway: { httpOverrides: { ISOLOCITY: { timeoutMs: TIMEOUT_MS } } } });
  store = stack.sandboxes.handles.isolocity?.store as IsolocityStore;
  const sku = stack.sandboxes.world.skus.find((s) => s.vendorCodes.isolocity === s.code);
  if (!sku) throw new Error('world lacks an ISOlocity part');
  partCode = sku.code;
  partId = store.partIdBySkuCode.get(sku.code) as number;
});
afterEach(() => stack.sandboxes.handles.isolocity?.faults.clear());
afterAll(async () => {
  await Promise.all(https.map((h) => h.close()));
  await stack.close();
});

/** The NCR a `POST /ncrs` of this input would have made, put in the sandbox's store. */
function landed(number: string, quantity: number, lot: string): void {
  const at = new Date().toISOString();
  store.addNcr((id) => ({
    id,
    ncr_number: number,
    source: 'Internal',
    status: 'Open',
    lot_number: lot,
    quantity,
    description: null,
    immediate_action: null,
    is_root_cause_determined: false,
    has_incomplete_action_items: false,
    has_unread_notes: false,
    part_id: partId,
    created_at: at,
    updated_at: at,
  }));
}

describe('a createNcr whose answer was lost', () => {
  it('with its idempotency key, the retry finds the NCR the first attempt made and returns it: one NCR', async () => {
    const number = `LOST-${Date.now()}`;
    const input = { idempotencyKey: `k-${number}`, number, source: 'INTERNAL', partId: toGlobalId('Part', 'ISOLOCITY', String(partId)), quantity: 7, lotNumber: 'LOT-L' };
    ok(await stack.gql(PART_NCRS, { id: input.partId }));
    stack.sandboxes.handles.isolocity?.faults.add({ match: POST_NCR, hang: true });
    const first = await stack.gql(CREATE_NCR, { input });
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', written: 'unknown', cause: 'VENDOR_TIMEOUT' });
    stack.sandboxes.handles.isolocity?.faults.clear();
    // The vendor applied the write before its answer was lost. (The sandbox runs no handler for a
    // request whose client has gone, so the write that landed is put in its store here.)
    landed(number, input.quantity, input.lotNumber);

    // The outcome was unknown, so the NCR index was dropped: the NCR the vendor made shows.
    await stack.resetStats();
    const shown = ok(await stack.gql<{ part: { ncrs: { number: string }[] } }>(PART_NCRS, { id: input.partId }));
    expect(shown.part.ncrs.map((n) => n.number)).toContain(number);
    expect(await isoCalls()).toEqual({ [LIST_NCRS]: 1 });

    // The key's outcome is unknown: the retry looks first, finds the same NCR by its number (one
    // keyword search) and writes nothing.
    await stack.resetStats();
    const retry = await stack.gql<{ createNcr: { ncr: { vendorId: string; number: string; quantity: number } } }>(CREATE_NCR, { input });
    expect(ok(retry).createNcr.ncr).toMatchObject({ vendorId: String(store.ncrIdByNumber.get(number)), number, quantity: 7 });
    expect(await isoCalls()).toEqual({ [LIST_NCRS]: 1 });
    expect(store.ncrs.all().filter((n) => n.ncr_number === number)).toHaveLength(1);

    // Now the key holds the outcome: a third send answers it with no call.
    await stack.resetStats();
    const third = await stack.gql<{ createNcr: unknown }>(CREATE_NCR, { input });
    expect(ok(third).createNcr).toEqual(ok(retry).createNcr);
    expect(await isoCalls()).toEqual({});
  });

  it('a different NCR under that number is a CONFLICT on input.number; the same NCR again, even without a key, is answered as made', async () => {
    const number = `TAKEN-${Date.now()}`;
    const base = { number, source: 'CUSTOMER', skuCode: partCode, quantity: 2 };
    ok(await stack.gql(CREATE_NCR, { input: base }));
    const differs = await stack.gql(CREATE_NCR, { input: { ...base, idempotencyKey: `other-${number}`, quantity: 3 } });
    expect(differs.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.number' });
    const noKey = await stack.gql<{ createNcr: { ncr: { number: string; quantity: number } } }>(CREATE_NCR, { input: base });
    expect(ok(noKey).createNcr.ncr).toMatchObject({ number, quantity: 2 });
    expect(store.ncrs.all().filter((n) => n.ncr_number === number)).toHaveLength(1);
  });
});

describe('NCRs by lot', () => {
  it('a cached lot shows an NCR created on it, and loses one moved away to another lot', async () => {
    const runtime = directRuntime();
    const crosswalk = new Crosswalk(worldCrosswalk(stack.sandboxes.world));
    const quality = runtime.forRequest(scope).quality;
    if (!quality) throw new Error('no quality source');
    const [lotA, lotB] = [`LOT-A-${Date.now()}`, `LOT-B-${Date.now()}`];
    expect(await quality.ncrsByLot([lotA, lotB])).toEqual([[], []]);

    const ncr = await runtime.writes(scope, crosswalk).createNcr({ number: `BYLOT-${Date.now()}`, source: 'INTERNAL', partId: String(partId), lotNumber: lotA });
    expect((await quality.ncrsByLot([lotA, lotB])).map((list) => list.map((n) => n.vendorId))).toEqual([[ncr.vendorId], []]);

    await runtime.writes(scope, crosswalk).updateNcr({ id: ncr.vendorId, lotNumber: lotB });
    expect((await quality.ncrsByLot([lotA, lotB])).map((list) => list.map((n) => n.vendorId))).toEqual([[], [ncr.vendorId]]);
    // Cached again: no call until the next write.
    stack.sandboxes.handles.isolocity?.stats.reset();
    await quality.ncrsByLot([lotA, lotB]);
    expect(await isoCalls()).toEqual({});
  });
});

describe('a SKU code the parts index does not know yet', () => {
  async function addPart(code: string): Promise<number> {
    const at = new Date().toISOString();
    return store.addPart((id) => ({
      id,
      name: `New ${code}`,
      identification: code,
      company_id: 1,
      is_activity: false,
      is_finished_product: true,
      batch_ids: [],
      supplier_id: null,
      parent_part_id: null,
      unit_type: null,
      unit_of_measure: 'units',
      density: null,
      density_mass_unit: null,
      density_volume_unit: null,
      created_at: at,
      updated_at: at,
    })).id;
  }

  it('is looked up again in a fresh read of the parts list once the index is older than the refresh interval', async () => {
    const runtime = directRuntime({ partMissRefreshMs: 0 });
    const crosswalk = new Crosswalk();
    await runtime.forRequest(scope).catalog.skusByCode(['warm']);
    const code = `NEW-${Date.now()}`;
    const id = await addPart(code);
    stack.sandboxes.handles.isolocity?.stats.reset();
    const ncr = await runtime.writes(scope, crosswalk).createNcr({ number: `NEWPART-${Date.now()}`, source: 'INTERNAL', skuCode: code });
    expect(ncr.partVendorId).toBe(String(id));
    expect(await isoCalls()).toEqual({ [LIST_PARTS]: 1, [POST_NCR]: 1 });
  });

  it('is refused without a second read while the index is younger than the refresh interval', async () => {
    const runtime = directRuntime({ partMissRefreshMs: 60_000 });
    await runtime.forRequest(scope).catalog.skusByCode(['warm']);
    const code = `NEWER-${Date.now()}`;
    await addPart(code);
    stack.sandboxes.handles.isolocity?.stats.reset();
    const error = await runtime
      .writes(scope, new Crosswalk())
      .createNcr({ number: `NEWERPART-${Date.now()}`, source: 'INTERNAL', skuCode: code })
      .catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VALIDATION_FAILED');
    expect((error as { extensions: Record<string, unknown> }).extensions).toMatchObject({ vendor: 'isolocity', inputPath: ['skuCode'] });
    expect(await isoCalls()).toEqual({});
  });
});

describe('vendor answers the sandbox never gives', () => {
  let server: Server;
  let url: string;
  const answers: Record<string, { status: number; body: unknown }> = {
    '/api/v2/inspections/1': { status: 403, body: { status: 'error', message: 'This action is unauthorized.' } },
    '/api/v2/inspections/2': { status: 409, body: { status: 'error', message: 'Inspection is locked.' } },
    '/api/v2/inspections/3': { status: 400, body: { status: 'error', message: 'Request body is not valid JSON' } },
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const answer = answers[(req.url ?? '').split('?')[0] ?? ''] ?? { status: 404, body: {} };
      req.resume();
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function runtime(): IsolocityRuntime {
    const http = new VendorHttp({ ...defaultHttpOptions('isolocity'), baseUrl: url + SANDBOX_BASE_PATH, authHeaders: () => ({ authorization: 'Bearer t' }) });
    https.push(http);
    return createIsolocityRuntime({ http, freshness: FRESH });
  }
  /** The error a recordInspectionResult on this id fails with. */
  const record = (id: string): Promise<Error & { extensions: Record<string, unknown> }> =>
    runtime()
      .writes(scope, new Crosswalk())
      .recordInspectionResult({ id, result: 'PASSED' })
      .then(
        () => {
          throw new Error('expected the write to fail');
        },
        (e: unknown) => e as Error & { extensions: Record<string, unknown> },
      );

  it('403 on a write is FORBIDDEN (not the read side’s VENDOR_AUTH_FAILED)', async () => {
    expect((await record('1')).extensions).toMatchObject({ code: 'FORBIDDEN', vendor: 'isolocity', upstreamStatus: 403 });
  });
  it('409 is CONFLICT', async () => {
    expect((await record('2')).extensions).toMatchObject({ code: 'CONFLICT', vendor: 'isolocity' });
  });
  it('any other 4xx is VENDOR_BAD_RESPONSE naming the route', async () => {
    const error = await record('3');
    expect(error.extensions).toMatchObject({ code: 'VENDOR_BAD_RESPONSE', upstreamStatus: 400 });
    expect(error.message).toContain('PATCH /inspections/:id answered 400');
  });
});

describe('inputPathOf', () => {
  it('maps Laravel error keys onto the GraphQL input', () => {
    expect(inputPathOf('ncr_number', { ncr_number: ['number'] })).toEqual(['number']);
    expect(inputPathOf('lot_number', {})).toEqual(['lotNumber']);
    expect(inputPathOf('results.0.characteristic_id', {})).toEqual(['results', 0, 'characteristicId']);
    expect(inputPathOf('part_id', { part_id: ['skuCode'] })).toEqual(['skuCode']);
    expect(inputPathOf('body', {})).toEqual([]);
  });
});

function ok<T>(r: { data: T | null; errors?: unknown[] }): T {
  expect(r.errors).toBeUndefined();
  if (!r.data) throw new Error('no data');
  return r.data;
}
