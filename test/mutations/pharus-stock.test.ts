import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorCode } from '../../src/errors.js';
import { runMutation } from '../../src/mutations/run.js';
import type { GatewayContext } from '../../src/server/context.js';
import { defaultHttpOptions, VendorHttp } from '../../src/http/vendor-http.js';
import { createPharusRuntime, SANDBOX_BASE_PATH } from '../../src/vendors/pharus/index.js';
import { adjustFinishedGoods, type PharusWriteContext } from '../../src/vendors/pharus/writes.js';
import { pharusId, type PharusStore } from '../../sandbox/pharus/index.js';
import { startStack, type Stack } from '../support/stack.js';

// Pharus finished-goods writes end to end: transferInventory and completeInventoryTransfer through
// the gateway over HTTP, and adjustFinishedGoods (what the gateway's adjustInventory calls) on the
// gateway's own runtime, each checked against the sandbox's store and request counts, and through
// a follow-up stock query to the gateway.

let stack: Stack;
let store: PharusStore;

const TRANSFER = /* GraphQL */ `
  mutation Transfer($input: TransferInventoryInput!) {
    transferInventory(input: $input) {
      transfer { vendor ref vendorSkuCode sku { code } quantity source { id name } destination { id name } status sentAt receivedAt }
      levels { vendor vendorSkuCode location { id } onHand }
    }
  }
`;
const COMPLETE = /* GraphQL */ `
  mutation Complete($input: CompleteInventoryTransferInput!) {
    completeInventoryTransfer(input: $input) {
      transfer { ref vendorSkuCode quantity source { id name } destination { id } status sentAt receivedAt }
      levels { location { id } onHand }
    }
  }
`;
const STOCK = /* GraphQL */ `
  query Stock($code: String!) { sku(code: $code) { inventory(vendors: [PHARUS]) { location { id } onHand } } }
`;

interface Level {
  location: { id: string } | null;
  onHand: string;
}
interface Transfer {
  ref: string;
  vendorSkuCode: string;
  sku: { code: string };
  quantity: string;
  source: { id: string; name: string | null } | null;
  destination: { id: string; name: string | null };
  status: string;
  sentAt: string | null;
  receivedAt: string | null;
}
type TransferData = { transferInventory: { transfer: Transfer; levels: Level[] } };
type CompleteData = { completeInventoryTransfer: { transfer: Transfer; levels: Level[] } };

const TRANSFERS = 'POST /api/finished-goods-inventory/transfers';
const COMPLETES = 'POST /api/finished-goods-inventory/transfers/:ref/complete';
const SUMMARY = 'GET /api/finished-goods-inventory/summary';

beforeAll(async () => {
  // Quick retries, and a breaker that never opens: the fault tests below must not slow or close the rest.
  stack = await startStack({
    sandbox: { scale: 0.2 },
    gateway: { httpOverrides: { PHARUS: { retries: { max: 2, baseDelayMs: 5, maxDelayMs: 20 }, breaker: { failureThreshold: 1_000, openMs: 100 } } } },
  });
  store = stack.sandboxes.handles.pharus?.store as PharusStore;
});
afterEach(() => stack.sandboxes.handles.pharus?.faults.clear());
afterAll(() => stack.close());

/**
 * SKUs (by canonical code) with Pharus stock at one location and another Pharus location to send
 * it to; the first one Pharus spells its own way when the world has such a SKU in stock.
 */
function stockedSkus(): { code: string; pharus: string; skuId: string; from: string; to: string }[] {
  const world = stack.sandboxes.world;
  const locations = world.locations.filter((l) => l.vendors.includes('pharus')).map((l) => l.key);
  const found = world.stock
    .filter((s) => s.vendor === 'pharus' && s.quantity >= 40)
    .map((s) => {
      const sku = world.skuByCode.get(s.skuCode);
      return { code: s.skuCode, pharus: sku?.vendorCodes.pharus ?? s.skuCode, skuId: pharusId('sku', s.skuCode), from: pharusId('location', s.locationKey), to: pharusId('location', locations.find((l) => l !== s.locationKey) ?? '') };
    });
  const unique = [...new Map(found.map((f) => [f.code, f])).values()];
  return unique.sort((a, b) => Number(a.pharus === a.code) - Number(b.pharus === b.code));
}
let next = 0;
/** A SKU no earlier test moved (each test owns its SKU, so expected quantities are exact). */
const freshSku = () => {
  const sku = stockedSkus()[next++];
  if (!sku) throw new Error('the world has too few stocked Pharus SKUs');
  return sku;
};

/** On hand in the sandbox, as the gateway's Decimal prints it. */
const onHandIn = (skuId: string, locationId: string) => {
  const scaled = store.finishedGoods.cell(skuId, locationId)?.onHand ?? 0;
  return String(scaled / 10_000);
};
const at = (levels: readonly Level[], locationId: string) => levels.find((l) => l.location?.id === locationId)?.onHand;
const stockOf = async (code: string) => (await stack.gql<{ sku: { inventory: Level[] } }>(STOCK, { code })).data?.sku.inventory ?? [];
const pharusWrites = async (): Promise<Record<string, number>> =>
  Object.fromEntries(Object.entries((await stack.stats()).pharus.requests).filter(([route]) => !route.startsWith('GET ')));

describe('transferInventory', () => {
  it('sends and completes the transfer, answers the stock after it, and a follow-up query shows it', async () => {
    const sku = freshSku();
    const from = Number(onHandIn(sku.skuId, sku.from));
    const to = Number(onHandIn(sku.skuId, sku.to));
    await stockOf(sku.code); // the SKU, summary and locations indexes are warm
    await stack.resetStats();
    const result = await stack.gql<TransferData>(TRANSFER, { input: { skuCode: sku.code, sourceLocationId: sku.from, destinationLocationId: sku.to, quantity: '5', notes: 'rebalance' } });
    expect(result.errors).toBeUndefined();
    const payload = result.data?.transferInventory;
    expect(payload?.transfer).toMatchObject({ vendorSkuCode: sku.pharus, sku: { code: sku.code }, quantity: '5', source: { id: sku.from }, destination: { id: sku.to }, status: 'COMPLETED' });
    expect(payload?.transfer.ref).toMatch(/^TFR-FG-\d{3,}$/);
    expect(payload?.transfer.source?.name).toEqual(expect.any(String));
    expect(payload?.transfer.receivedAt).toEqual(expect.any(String));
    expect(at(payload?.levels ?? [], sku.from)).toBe(String(from - 5));
    expect(at(payload?.levels ?? [], sku.to)).toBe(String(to + 5));
    // Send, complete, then the SKU's summary read fresh.
    expect((await stack.stats()).pharus.requests).toEqual({ [TRANSFERS]: 1, [COMPLETES]: 1, [SUMMARY]: 1 });
    expect(onHandIn(sku.skuId, sku.from)).toBe(String(from - 5));
    expect(store.finishedGoods.cell(sku.skuId, sku.to)?.inTransit).toBe(0);

    const after = await stockOf(sku.code);
    expect(at(after, sku.from)).toBe(String(from - 5));
    expect(at(after, sku.to)).toBe(String(to + 5));
  });

  it('leaves the stock in transit with complete: false, for completeInventoryTransfer', async () => {
    const sku = freshSku();
    const from = Number(onHandIn(sku.skuId, sku.from));
    const to = Number(onHandIn(sku.skuId, sku.to));
    await stack.resetStats();
    const sent = await stack.gql<TransferData>(TRANSFER, { input: { skuCode: sku.pharus, sourceLocationId: sku.from, destinationLocationId: sku.to, quantity: '2.5', complete: false } });
    expect(sent.errors).toBeUndefined();
    const transfer = sent.data?.transferInventory.transfer as Transfer;
    expect(transfer).toMatchObject({ status: 'IN_TRANSIT', quantity: '2.5', receivedAt: null });
    expect(await pharusWrites()).toEqual({ [TRANSFERS]: 1 });
    expect(store.finishedGoods.cell(sku.skuId, sku.to)?.inTransit).toBe(25_000);
    expect(at(await stockOf(sku.code), sku.from)).toBe(String(from - 2.5));
    expect(at(await stockOf(sku.code), sku.to) ?? '0').toBe(String(to));

    await stack.resetStats();
    const done = await stack.gql<CompleteData>(COMPLETE, { input: { ref: transfer.ref } });
    expect(done.errors).toBeUndefined();
    expect(done.data?.completeInventoryTransfer.transfer).toMatchObject({ ref: transfer.ref, vendorSkuCode: sku.pharus, quantity: '2.5', source: { id: sku.from }, destination: { id: sku.to }, status: 'COMPLETED', sentAt: transfer.sentAt });
    expect(at(done.data?.completeInventoryTransfer.levels ?? [], sku.to)).toBe(String(to + 2.5));
    expect(await pharusWrites()).toEqual({ [COMPLETES]: 1 });
    expect(at(await stockOf(sku.code), sku.to)).toBe(String(to + 2.5));

    const twice = await stack.gql(COMPLETE, { input: { ref: transfer.ref } });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', vendor: 'pharus', vendorCode: 'invalid_transition', field: 'input.ref' });
    const unknown = await stack.gql(COMPLETE, { input: { ref: 'TFR-FG-999999' } });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'pharus', field: 'input.ref' });
  });

  it('sends more than the source holds as Pharus does (no stock guard, W104): the source goes below zero', async () => {
    const sku = freshSku();
    const from = Number(onHandIn(sku.skuId, sku.from));
    await stack.resetStats();
    const result = await stack.gql<TransferData>(TRANSFER, { input: { skuCode: sku.code, sourceLocationId: sku.from, destinationLocationId: sku.to, quantity: '100000', complete: false } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.transferInventory.transfer).toMatchObject({ status: 'IN_TRANSIT', quantity: '100000' });
    expect(await pharusWrites()).toEqual({ [TRANSFERS]: 1 });
    expect(onHandIn(sku.skuId, sku.from)).toBe(String(from - 100000));
  });

  it('refuses bad input before any vendor call, and unknown codes and locations before any write', async () => {
    const sku = stockedSkus()[0];
    if (!sku) throw new Error('no SKU');
    await stockOf(sku.code);
    await stack.gql(TRANSFER, { input: { skuCode: 'NO-SUCH-SKU', sourceLocationId: sku.from, destinationLocationId: sku.to, quantity: '1' } }); // warm the locations index
    await stack.resetStats();
    const same = await stack.gql(TRANSFER, { input: { skuCode: sku.code, sourceLocationId: sku.from, destinationLocationId: sku.from, quantity: '-1' } });
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.quantity' });
    expect((same.errors?.[0]?.extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual(['input.quantity', 'input.destinationLocationId']);
    const notUuid = await stack.gql(TRANSFER, { input: { skuCode: sku.code, sourceLocationId: 'LOC-1', destinationLocationId: sku.to, quantity: '1' } });
    expect(notUuid.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.sourceLocationId' });
    expect((await stack.stats()).pharus.total).toBe(0);

    const nowhere = await stack.gql(TRANSFER, { input: { skuCode: 'NO-SUCH-SKU', sourceLocationId: sku.from, destinationLocationId: '00000000-0000-4000-8000-000000000001', quantity: '1' } });
    expect(nowhere.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'pharus', field: 'input.skuCode' });
    expect((nowhere.errors?.[0]?.extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual(['input.skuCode', 'input.destinationLocationId']);
    // Indexes fresh: no read, and certainly no write.
    expect((await stack.stats()).pharus.total).toBe(0);
  });

  it('maps Pharus’s refusal of a quantity it cannot hold onto input.quantity', async () => {
    const sku = freshSku();
    const result = await stack.gql(TRANSFER, { input: { skuCode: sku.code, sourceLocationId: sku.from, destinationLocationId: sku.to, quantity: '0.00001' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'pharus', vendorCode: 'validation_failed', field: 'input.quantity' });
  });

  it('transfers and completes once for a retried idempotency key and for concurrent twins', async () => {
    const sku = freshSku();
    const from = Number(onHandIn(sku.skuId, sku.from));
    const input = { idempotencyKey: 'pharus-transfer-retry-1', skuCode: sku.code, sourceLocationId: sku.from, destinationLocationId: sku.to, quantity: '3' };
    await stack.resetStats();
    const first = await stack.gql<TransferData>(TRANSFER, { input });
    const second = await stack.gql<TransferData>(TRANSFER, { input });
    expect(second.errors).toBeUndefined();
    expect(second.data?.transferInventory.transfer).toMatchObject({ ref: first.data?.transferInventory.transfer.ref, status: 'COMPLETED' });
    expect(await pharusWrites()).toEqual({ [TRANSFERS]: 1, [COMPLETES]: 1 });
    const conflict = await stack.gql(TRANSFER, { input: { ...input, quantity: '4' } });
    expect(conflict.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });

    await stack.resetStats();
    const twin = { ...input, idempotencyKey: 'pharus-transfer-concurrent-1' };
    const [a, b] = await Promise.all([stack.gql<TransferData>(TRANSFER, { input: twin }), stack.gql<TransferData>(TRANSFER, { input: twin })]);
    expect(a.data?.transferInventory.transfer.ref).toBe(b.data?.transferInventory.transfer.ref);
    expect(await pharusWrites()).toEqual({ [TRANSFERS]: 1, [COMPLETES]: 1 });
    expect(onHandIn(sku.skuId, sku.from)).toBe(String(from - 6));
  });
});

describe('a completion that fails after the transfer was sent', () => {
  it('says which transfer is in transit, and the retry with the same key completes it without sending the stock again', async () => {
    const sku = freshSku();
    const from = Number(onHandIn(sku.skuId, sku.from));
    const to = Number(onHandIn(sku.skuId, sku.to));
    const input = { idempotencyKey: 'pharus-transfer-complete-fails-1', skuCode: sku.code, sourceLocationId: sku.from, destinationLocationId: sku.to, quantity: '1' };
    stack.sandboxes.handles.pharus?.faults.add({ match: 'POST /api/finished-goods-inventory/transfers/', status: 503 });
    await stack.resetStats();
    const failed = await stack.gql(TRANSFER, { input });
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'pharus', transferRef: expect.stringMatching(/^TFR-FG-/) });
    // The completion may be retried (completing twice is refused, never doubled): 1 + 2 retries.
    expect(await pharusWrites()).toEqual({ [TRANSFERS]: 1, [COMPLETES]: 3 });
    expect(store.finishedGoods.cell(sku.skuId, sku.to)?.inTransit).toBe(10_000);

    stack.sandboxes.handles.pharus?.faults.clear();
    await stack.resetStats();
    const retried = await stack.gql<TransferData>(TRANSFER, { input });
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.transferInventory.transfer).toMatchObject({ ref: failed.errors?.[0]?.extensions?.transferRef, status: 'COMPLETED' });
    expect(await pharusWrites()).toEqual({ [COMPLETES]: 1 });
    expect(onHandIn(sku.skuId, sku.from)).toBe(String(from - 1));
    expect(onHandIn(sku.skuId, sku.to)).toBe(String(to + 1));
  });
});

describe('adjustFinishedGoods (for the gateway’s adjustInventory)', () => {
  const ctx = (): PharusWriteContext => ({ runtime: stack.gateway.runtime, scope: { call: {}, noteStale: () => undefined }, crosswalk: stack.gateway.runtime.crosswalk });

  it('adds stock for a positive quantity and disposes for a negative one, answering the SKU’s levels read fresh', async () => {
    const sku = freshSku();
    const start = Number(onHandIn(sku.skuId, sku.from));
    expect(at(await stockOf(sku.code), sku.from)).toBe(String(start)); // the gateway's summary index now holds the SKU
    await stack.resetStats();
    const added = await adjustFinishedGoods(ctx(), { skuCode: sku.code, locationId: sku.from, quantity: '4.5', lotNumber: 'LOT-X', reason: 'cycle count' });
    expect(added.find((l) => l.location?.id === sku.from)).toMatchObject({ vendor: 'PHARUS', vendorSkuCode: sku.pharus, onHand: String(start + 4.5) });
    expect((await stack.stats()).pharus.requests).toEqual({ 'POST /api/finished-goods-inventory/adjustments': 1, [SUMMARY]: 1 });
    const entry = store.finishedGoods.listLedger({ itemId: sku.skuId, eventType: 'ADJUST' }).at(0);
    expect(entry).toMatchObject({ quantity: 45_000, notes: 'cycle count (lot LOT-X)' });

    await stack.resetStats();
    const disposed = await adjustFinishedGoods(ctx(), { skuCode: sku.pharus, locationId: sku.from, quantity: '-1.5' });
    expect(disposed.find((l) => l.location?.id === sku.from)?.onHand).toBe(String(start + 3));
    expect((await stack.stats()).pharus.requests).toEqual({ 'POST /api/finished-goods-inventory/disposals': 1, [SUMMARY]: 1 });
    // The gateway's own index shows the write at once (it was invalidated and given the fresh rows).
    expect(at(await stockOf(sku.code), sku.from)).toBe(String(start + 3));
  });

  it('refuses, on adjustInventory’s field names: zero, unknown SKU code or location before any write; disposes more than on hand as Pharus does', async () => {
    const sku = freshSku();
    const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { extensions: Record<string, unknown> });
    await stockOf(sku.code);
    await failure(adjustFinishedGoods(ctx(), { skuCode: sku.code, locationId: sku.from, quantity: '1', reason: null }).then(() => adjustFinishedGoods(ctx(), { skuCode: sku.code, locationId: sku.from, quantity: '-1' })));
    await stack.resetStats();

    const zero = await failure(adjustFinishedGoods(ctx(), { skuCode: sku.code, locationId: sku.from, quantity: '0' }));
    expect(zero?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', inputPath: ['quantity'] });
    const code = await failure(adjustFinishedGoods(ctx(), { skuCode: 'NO-SUCH-SKU', locationId: sku.from, quantity: '1' }));
    expect(code?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'pharus', inputPath: ['skuCode'] });
    const place = await failure(adjustFinishedGoods(ctx(), { skuCode: sku.code, locationId: '00000000-0000-4000-8000-000000000002', quantity: '1' }));
    expect(place?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'pharus', inputPath: ['locationId'] });
    expect((await stack.stats()).pharus.total).toBe(0);

    // Pharus does not guard a disposal by stock (W100): the write goes through and on hand goes below zero.
    const onHand = Number(onHandIn(sku.skuId, sku.from));
    const levels = await adjustFinishedGoods(ctx(), { skuCode: sku.code, locationId: sku.from, quantity: '-100000' });
    expect(levels.find((l) => l.location?.id === sku.from)?.onHand).toBe(String(onHand - 100000));
  });

  it('answers FORBIDDEN when Pharus refuses the write (403), writing nothing', async () => {
    const sku = freshSku();
    const handle = stack.sandboxes.handles.pharus;
    if (!handle) throw new Error('no Pharus sandbox');
    // A runtime whose organisation can be switched: its indexes are read as a member, the write is not.
    let orgId = handle.credentials.orgId ?? '';
    const http = new VendorHttp({
      ...defaultHttpOptions('pharus'),
      baseUrl: handle.url + SANDBOX_BASE_PATH,
      authHeaders: () => ({ authorization: `Bearer ${handle.credentials.token}`, 'x-org-id': orgId }),
    });
    const runtime = createPharusRuntime({ http, freshness: stack.gateway.runtime.config.freshness });
    const own: PharusWriteContext = { ...ctx(), runtime: { ...stack.gateway.runtime, vendors: { PHARUS: runtime } } };
    try {
      await adjustFinishedGoods(own, { skuCode: sku.code, locationId: sku.from, quantity: '1' });
      const onHand = onHandIn(sku.skuId, sku.from);
      orgId = 'another-org';
      await stack.resetStats();
      const refused = await adjustFinishedGoods(own, { skuCode: sku.code, locationId: sku.from, quantity: '1' }).then(
        () => null,
        (e: unknown) => e as { extensions: Record<string, unknown> },
      );
      expect(refused?.extensions).toMatchObject({ code: 'FORBIDDEN', vendor: 'pharus' });
      expect((await stack.stats()).pharus.requests).toEqual({ 'POST /api/finished-goods-inventory/adjustments': 1 });
      expect(onHandIn(sku.skuId, sku.from)).toBe(onHand);
    } finally {
      await http.close();
    }
  });

  it('writes once under adjustInventory’s runMutation for a retried key, and its errors get input.… fields', async () => {
    const sku = freshSku();
    const start = Number(onHandIn(sku.skuId, sku.from));
    const gatewayCtx = { ...ctx(), loaders: { clearAll: () => undefined } } as unknown as GatewayContext;
    const adjust = (input: Record<string, unknown>) =>
      runMutation({ name: 'adjustInventory', input: z.object({ skuCode: z.string(), locationId: z.string(), quantity: z.string(), idempotencyKey: z.string().nullish() }), write: (i, c) => adjustFinishedGoods(c, i) }, input, gatewayCtx);
    await stack.resetStats();
    const input = { idempotencyKey: 'pharus-adjust-retry-1', skuCode: sku.code, locationId: sku.from, quantity: '-2' };
    await Promise.all([adjust(input), adjust(input)]);
    await adjust(input);
    expect(await pharusWrites()).toEqual({ 'POST /api/finished-goods-inventory/disposals': 1 });
    expect(onHandIn(sku.skuId, sku.from)).toBe(String(start - 2));
    const unknown = await adjust({ skuCode: 'NO-SUCH-SKU', locationId: sku.from, quantity: '1' }).then(
      () => null,
      (e: unknown) => e as { extensions: Record<string, unknown> },
    );
    expect(unknown?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.skuCode' });
  });
});
