import { buildSchema, isObjectType } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSchemaSdl } from '../../src/server/schema-files.js';
import { generatedMutations } from '../../src/vendor-api/registry.js';
import { startStack, type Stack } from '../support/stack.js';

/** The generated vendor APIs behave like the rest of opsgraph: validation first, mapped errors, ids, one write per key. */
describe('generated vendor operations', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.resetStats();
    stack.sandboxes.handles.isolocity!.faults.clear();
  });

  it('refuses bad write input field by field before calling the vendor', async () => {
    const r = await stack.gql(`mutation { pharusCreateBroker(input: { name: "" }) { broker { vendorId } } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.name' });
    expect((await stack.stats()).pharus.total).toBe(0);
  });

  it('refuses a malformed path id of a read before calling the vendor', async () => {
    const r = await stack.gql(`{ pharus { purchaseOrder(id: "not-a-uuid") { purchaseOrder { vendorId } } } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', vendor: 'pharus' });
    expect((await stack.stats()).pharus.total).toBe(0);
  });

  it("maps the vendor's own field errors to input paths", async () => {
    const input = { ncr_number: `NCR-GEN-${Date.now()}`, source: 'internal' };
    const first = await stack.gql(`mutation($i: IsolocityCreateNcrInput!) { isolocityCreateNcr(input: $i) { ncr { vendorId ncr_number } } }`, { i: input });
    expect(first.errors).toBeUndefined();
    const again = await stack.gql(`mutation($i: IsolocityCreateNcrInput!) { isolocityCreateNcr(input: $i) { ncr { vendorId } } }`, { i: input });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', vendor: 'isolocity', field: 'input.ncr_number', upstreamStatus: 422 });
  });

  it('gives records a global id that node(id:) resolves through the vendor', async () => {
    const created = await stack.gql<{ isolocityCreateCar: { car: { id: string; vendorId: string } } }>(`mutation { isolocityCreateCar(input: { car_number: "CAR-NODE" }) { car { id vendorId } } }`);
    const { id, vendorId } = created.data!.isolocityCreateCar.car;
    const node = await stack.gql<{ node: { __typename: string; vendorId: string; car_number: string } }>(`query($id: ID!) { node(id: $id) { __typename ... on IsolocityCar { vendorId car_number } } }`, { id });
    expect(node.data?.node).toEqual({ __typename: 'IsolocityCar', vendorId, car_number: 'CAR-NODE' });
    // The global id works wherever the vendor id does.
    const byGlobal = await stack.gql<{ isolocity: { car: { vendorId: string } } }>(`query($id: ID!) { isolocity { car(id: $id) { vendorId } } }`, { id });
    expect(byGlobal.data?.isolocity.car.vendorId).toBe(vendorId);
  });

  it('links generated ISOlocity records to the unified model', async () => {
    const r = await stack.gql<{ isolocity: { ncrs: { nodes: { vendorId: string; part_id: number | null; unified: { id: string } | null; part: { vendorId: string } | null }[] } } }>(
      `{ isolocity { ncrs(first: 5) { nodes { vendorId part_id unified { id } part { vendorId } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const withPart = r.data!.isolocity.ncrs.nodes.filter((n) => n.part_id !== null);
    expect(withPart.length).toBeGreaterThan(0);
    for (const n of withPart) expect(n.part?.vendorId).toBe(String(n.part_id));
    for (const n of r.data!.isolocity.ncrs.nodes) expect(n.unified?.id).toBeTruthy();
  });

  it('writes once per idempotency key', async () => {
    const query = `mutation { isolocityCreateCar(input: { car_number: "CAR-IDEM" }, idempotencyKey: "gen-idem-1") { car { vendorId } } }`;
    const a = await stack.gql<{ isolocityCreateCar: { car: { vendorId: string } } }>(query);
    const b = await stack.gql<{ isolocityCreateCar: { car: { vendorId: string } } }>(query);
    expect(b.data?.isolocityCreateCar.car.vendorId).toBe(a.data?.isolocityCreateCar.car.vendorId);
    expect((await stack.stats()).isolocity.total).toBe(1);
  });

  it('does not retry a write the vendor failed, and reports the vendor on the field', async () => {
    stack.sandboxes.handles.isolocity!.faults.add({ match: 'POST /api/v2/cars', status: 503 });
    const r = await stack.gql(`mutation { isolocityCreateCar(input: { car_number: "CAR-503" }) { car { vendorId } } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'isolocity' });
    expect((await stack.stats()).isolocity.total).toBe(1);
  });

  it('pages a vendor list as a Relay connection to its end', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const r: Awaited<ReturnType<Stack['gql']>> = await stack.gql(`query($after: String) { isolocity { ncrs(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { vendorId } } } }`, { after });
      const conn = (r.data as { isolocity: { ncrs: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { vendorId: string }[] } } }).isolocity.ncrs;
      seen.push(...conn.nodes.map((n) => n.vendorId));
      if (!conn.pageInfo.hasNextPage) {
        expect(seen).toHaveLength(conn.totalCount);
        expect(new Set(seen).size).toBe(seen.length);
        return;
      }
      after = conn.pageInfo.endCursor;
    }
    throw new Error('the list did not end within 20 pages');
  });

  it('never exposes a credential the vendor returns', () => {
    const schema = buildSchema(loadSchemaSdl());
    const tokenResult = schema.getType('PharusCreateApiTokenResult');
    expect(tokenResult && isObjectType(tokenResult) ? Object.keys(tokenResult.getFields()) : []).not.toContain('plaintext');
    const session = schema.getType('DistruCreateSessionResult');
    expect(session && isObjectType(session) ? Object.keys(session.getFields()) : []).not.toContain('jwt');
  });

  it('keeps the vendor of every generated mutation discoverable for authorisation', () => {
    expect(generatedMutations.get('isolocityCreateCar')?.vendor).toBe('isolocity');
    expect(generatedMutations.get('pharusReceivePurchaseOrder')?.vendor).toBe('pharus');
    expect(generatedMutations.size).toBe(162);
  });
});
