import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFromSandbox, type ReadableVendor } from '../support/sandbox-read.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Links from generated vendor types to the unified model (schema/vendors/links.graphql), followed
 * through GraphQL against the sandboxes, compared with what the vendors answer for the same records,
 * and costed in exact vendor calls.
 */
type Json = Record<string, unknown>;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const vendorGet = (vendor: ReadableVendor, path: string): Promise<Json> => readFromSandbox(stack, vendor, path);

async function gql<T = Json>(query: string, variables?: Json): Promise<T> {
  const r = await stack.gql<T>(query, variables);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}

const idsOf = (list: Json[]) => list.map((r) => String(r.id ?? r.vendorId)).sort();

describe('an ISOlocity complaint leads to its part, its lot and the lot’s NCRs', () => {
  it('follows a complaint on a lot with NCRs to those NCRs, the lot’s inspections and the part', async () => {
    const ncrs = (await vendorGet('isolocity', '/ncrs?per_page=50')).data as Json[];
    const onLot = ncrs.find((n) => n.lot_number && n.part_id)!;
    const lot = onLot.lot_number as string;
    const created = await gql<{ isolocityCreateComplaint: { complaint: { vendorId: string } } }>(
      'mutation($input: IsolocityCreateComplaintInput!) { isolocityCreateComplaint(input: $input) { complaint { vendorId } } }',
      { input: { complaint_number: 'CMP-LINK-1', complaint_date: '2026-03-01', part_id: Number(onLot.part_id), batch_number: lot, comments: 'Seal failure' } },
    );
    await stack.resetStats();
    const data = await gql<{ isolocity: { complaint: Json } }>(
      'query($id: ID!) { isolocity { complaint(id: $id) { part { vendorId } lot { number inspections { vendorId lotNumber } ncrs { vendorId } } ncrs { vendorId lotNumber part { vendorId } } } } }',
      { id: created.isolocityCreateComplaint.complaint.vendorId },
    );
    const calls = (await stack.stats()).isolocity.requests;
    const complaint = data.isolocity.complaint;
    const lotNcrs = ncrs.filter((n) => n.lot_number === lot);
    const inspections = ((await vendorGet('isolocity', '/inspections?per_page=500')).data as Json[]).filter((i) => i.lot_number === lot);
    expect(complaint.part).toEqual({ vendorId: String(onLot.part_id) });
    expect((complaint.lot as Json).number).toBe(lot);
    expect(idsOf((complaint.lot as Json).ncrs as Json[])).toEqual(idsOf(lotNcrs));
    expect(idsOf((complaint.lot as Json).inspections as Json[])).toEqual(idsOf(inspections));
    expect(idsOf(complaint.ncrs as Json[])).toEqual(idsOf(lotNcrs.filter((n) => String(n.part_id) === String(onLot.part_id))));
    expect(complaint.ncrs).toContainEqual({ vendorId: String(onLot.id), lotNumber: lot, part: { vendorId: String(onLot.part_id) } });
    // The complaint, the part, one keyword read for the lot's NCRs (shared by `lot.ncrs` and `ncrs`), the inspections index.
    expect(calls['GET (unmatched)'], JSON.stringify(calls)).toBe(1); // the complaint, served by the generic sandbox handler
    expect(calls['GET /api/v2/ncrs']).toBe(1);
    expect(calls['GET /api/v2/inspections']).toBeGreaterThanOrEqual(1);
  });

  it('answers a complaint without a lot with no lot and no NCRs, asking ISOlocity nothing for them', async () => {
    const created = await gql<{ isolocityCreateComplaint: { complaint: { vendorId: string } } }>(
      'mutation($input: IsolocityCreateComplaintInput!) { isolocityCreateComplaint(input: $input) { complaint { vendorId } } }',
      { input: { complaint_number: 'CMP-LINK-2', complaint_date: '2026-03-02' } },
    );
    await stack.resetStats();
    const data = await gql<{ isolocity: { complaint: Json } }>('query($id: ID!) { isolocity { complaint(id: $id) { lot { number } ncrs { vendorId } part { vendorId } } } }', { id: created.isolocityCreateComplaint.complaint.vendorId });
    expect(data.isolocity.complaint).toEqual({ lot: null, ncrs: [], part: null });
    expect((await stack.stats()).isolocity.requests).toEqual({ 'GET (unmatched)': 1 }); // the complaint alone
  });
});

describe('an ISOlocity CAR leads to its lot, the lot’s NCRs and their parts', () => {
  it('keeps the batch number a CAR is created with and follows it to the lot’s inspections and NCRs', async () => {
    const ncrs = (await vendorGet('isolocity', '/ncrs?per_page=50')).data as Json[];
    // Another lot than the complaint test's (the first), whose NCRs are cached by now.
    const withLot = ncrs.filter((n) => n.lot_number && n.part_id);
    const onLot = withLot.find((n) => n.lot_number !== withLot[0]!.lot_number)!;
    const lot = onLot.lot_number as string;
    const created = await gql<{ isolocityCreateCar: { car: { vendorId: string; batch_number: string } } }>(
      'mutation($input: IsolocityCreateCarInput!) { isolocityCreateCar(input: $input) { car { vendorId batch_number } } }',
      { input: { car_number: 'CAR-LINK-1', batch_number: lot } },
    );
    expect(created.isolocityCreateCar.car.batch_number).toBe(lot);
    await stack.resetStats();
    const data = await gql<{ isolocity: { car: Json } }>('query($id: ID!) { isolocity { car(id: $id) { batch_number lot { number inspections { vendorId } ncrs { vendorId } } ncrs { vendorId lotNumber part { vendorId } } } } }', {
      id: created.isolocityCreateCar.car.vendorId,
    });
    const calls = (await stack.stats()).isolocity.requests;
    const car = data.isolocity.car;
    const lotNcrs = ncrs.filter((n) => n.lot_number === lot);
    const inspections = ((await vendorGet('isolocity', '/inspections?per_page=500')).data as Json[]).filter((i) => i.lot_number === lot);
    expect(car.batch_number).toBe(lot);
    expect((car.lot as Json).number).toBe(lot);
    expect(idsOf((car.lot as Json).inspections as Json[])).toEqual(idsOf(inspections));
    expect(idsOf((car.lot as Json).ncrs as Json[])).toEqual(idsOf(lotNcrs));
    expect(idsOf(car.ncrs as Json[])).toEqual(idsOf(lotNcrs));
    expect(car.ncrs).toContainEqual({ vendorId: String(onLot.id), lotNumber: lot, part: { vendorId: String(onLot.part_id) } });
    // The CAR (generic sandbox handler) and one keyword read of the lot's NCRs, shared by `lot.ncrs` and `ncrs`.
    expect(calls['GET (unmatched)'], JSON.stringify(calls)).toBe(1);
    expect(calls['GET /api/v2/ncrs']).toBe(1);
  });

  it('changes a CAR’s batch number by update, and answers a CAR without one with no lot and no NCRs, asking nothing for them', async () => {
    const created = await gql<{ isolocityCreateCar: { car: { vendorId: string } } }>('mutation { isolocityCreateCar(input: { car_number: "CAR-LINK-2" }) { car { vendorId } } }');
    const id = created.isolocityCreateCar.car.vendorId;
    await stack.resetStats();
    const bare = await gql<{ isolocity: { car: Json } }>('query($id: ID!) { isolocity { car(id: $id) { batch_number lot { number } ncrs { vendorId } } } }', { id });
    expect(bare.isolocity.car).toEqual({ batch_number: null, lot: null, ncrs: [] });
    expect((await stack.stats()).isolocity.requests).toEqual({ 'GET (unmatched)': 1 });
    const updated = await gql<{ isolocityUpdateCar: { car: Json } }>('mutation($input: IsolocityUpdateCarInput!) { isolocityUpdateCar(input: $input) { car { batch_number lot { number } } } }', {
      input: { id, batch_number: 'LOT-CAR-2' },
    });
    expect(updated.isolocityUpdateCar.car).toEqual({ batch_number: 'LOT-CAR-2', lot: { number: 'LOT-CAR-2' } });
  });
});

describe('a Distru batch leads to its lot’s ISOlocity inspections and NCRs', () => {
  it('joins each batch’s lot to the inspections and NCRs ISOlocity holds for it, one NCR read per lot', async () => {
    await stack.resetStats();
    const data = await gql<{ distru: { batches: { nodes: Json[] } } }>('{ distru { batches(first: 5) { nodes { vendorId name lot { number inspections { vendorId } ncrs { vendorId } } } } } }');
    const batches = data.distru.batches.nodes;
    expect(batches).toHaveLength(5);
    // One keyword read per lot (ISOlocity filters NCRs by one keyword); inspections from the index.
    expect((await stack.stats()).isolocity.requests['GET /api/v2/ncrs']).toBe(new Set(batches.map((b) => b.name)).size);
    const inspections = (await vendorGet('isolocity', '/inspections?per_page=500')).data as Json[];
    let joined = 0;
    for (const batch of batches) {
      const lot = batch.lot as Json;
      expect(lot.number).toBe(batch.name);
      const expectedInspections = inspections.filter((i) => i.lot_number === batch.name);
      const expectedNcrs = (await vendorGet('isolocity', `/ncrs?keyword=${encodeURIComponent(batch.name as string)}`)).data as Json[];
      expect(idsOf(lot.inspections as Json[])).toEqual(idsOf(expectedInspections));
      expect(idsOf(lot.ncrs as Json[])).toEqual(idsOf(expectedNcrs.filter((n) => n.lot_number === batch.name)));
      joined += expectedInspections.length;
    }
    expect(joined).toBeGreaterThan(0);
  });
});

describe('generated lines lead to their SKU', () => {
  it('follows Pharus purchase-order lines to the SKU they order, each SKU read once', async () => {
    const supplier = await gql<{ pharusCreateVendor: { vendor: Json } }>('mutation { pharusCreateVendor(input: { name: "Link Supply" }) { vendor { vendorId } } }');
    const known = await gql<{ pharus: { skus: { nodes: Json[] } } }>('{ pharus { skus(first: 2) { nodes { vendorId skuCode } } } }');
    const [a, b] = known.pharus.skus.nodes as [Json, Json];
    const lines = [a, a, b].map((sku, n) => ({ skuId: sku.vendorId, quantity: 10 + n, unitCost: 2 }));
    const created = await gql<{ pharusCreatePurchaseOrder: { result: { purchaseOrder: Json } } }>(
      'mutation($input: PharusCreatePurchaseOrderInput!) { pharusCreatePurchaseOrder(input: $input) { result { purchaseOrder { vendorId } } } }',
      { input: { vendorId: supplier.pharusCreateVendor.vendor.vendorId, targetType: 'finished_goods', status: 'Planning', items: lines } },
    );
    await stack.resetStats();
    const data = await gql<{ pharus: { purchaseOrder: { items: Json[] } } }>('query($id: ID!) { pharus { purchaseOrder(id: $id) { items { skuId quantity sku { code } } } } }', { id: created.pharusCreatePurchaseOrder.result.purchaseOrder.vendorId });
    const calls = (await stack.stats()).pharus.requests;
    expect(data.pharus.purchaseOrder.items.map((i) => ({ skuId: i.skuId, code: (i.sku as Json).code }))).toEqual(lines.map((l) => ({ skuId: l.skuId, code: [a, b].find((s) => s.vendorId === l.skuId)!.skuCode })));
    // The order (generic handler), then "Get SKU" once per distinct SKU: two, for three lines.
    expect(calls['GET /api/skus/:id'], JSON.stringify(calls)).toBe(2);
  });

  it('follows an ISOlocity receiving-inspection item to the SKU and the lot it received', async () => {
    const parts = (await vendorGet('isolocity', '/parts?per_page=1')).data as Json[];
    const part = parts[0]!;
    const ri = await gql<{ isolocityCreateReceivingInspection: Json }>('mutation { isolocityCreateReceivingInspection(input: { po_number: "PO-LINK-1" }) { receivingInspection { vendorId } } }');
    const riId = (ri.isolocityCreateReceivingInspection.receivingInspection as Json).vendorId as string;
    // ISOlocity has no read of items: the add's answer is the item, and its links are followed from there.
    const item = await gql<{ isolocityAddReceivingInspectionItem: { receivingInspectionItem: Json } }>(
      'mutation($input: IsolocityAddReceivingInspectionItemInput!) { isolocityAddReceivingInspectionItem(input: $input) { receivingInspectionItem { part { vendorId } sku { code } lot { number } } } }',
      { input: { receiving_inspection_id: riId, part_id: Number(part.id), quantity_accepted: 5, quantity_rejected: 0, serial_number: 'LOT-RI-1' } },
    );
    expect(item.isolocityAddReceivingInspectionItem.receivingInspectionItem).toEqual({ part: { vendorId: String(part.id) }, sku: { code: part.identification }, lot: { number: 'LOT-RI-1' } });
  });
});
