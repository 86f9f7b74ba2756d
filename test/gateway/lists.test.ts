import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/** Lists and exports from the synced store, over a gateway whose first sync has completed. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.2 }, synced: true });
});
afterAll(() => stack?.close());

type Page<N> = { nodes: N[]; totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

async function vendorCalls(): Promise<number> {
  const stats = await stack.stats();
  return Object.values(stats).reduce((n, s) => n + s.total, 0);
}

/** Sync passes keep running in the background: count only the calls of the lists, not the sync's. */
async function quietly<T>(run: () => Promise<T>): Promise<{ result: T; calls: number }> {
  await stack.gateway.runtime.sync.stop();
  await stack.resetStats();
  const result = await run();
  return { result, calls: await vendorCalls() };
}

describe('lists from the synced store', () => {
  it('pages every order of every vendor once, merged newest first, with a total and no vendor call', async () => {
    const world = stack.sandboxes.world;
    const { result: seen, calls } = await quietly(async () => {
      const out: { id: string; vendor: string; orderedAt: string }[] = [];
      let after: string | null = null;
      for (let page = 0; page < 100; page++) {
        const r: Awaited<ReturnType<typeof stack.gql<{ orders: Page<{ id: string; vendor: string; orderedAt: string }> }>>> = await stack.gql(
          'query($after: String) { orders(first: 100, after: $after) { totalCount nodes { id vendor orderedAt } pageInfo { hasNextPage endCursor } } }',
          { after },
        );
        expect(r.errors).toBeUndefined();
        expect(r.data?.orders.totalCount).toBe(world.orders.length);
        out.push(...(r.data?.orders.nodes ?? []));
        if (!r.data?.orders.pageInfo.hasNextPage) break;
        after = r.data.orders.pageInfo.endCursor;
      }
      return out;
    });
    expect(calls).toBe(0);
    expect(seen).toHaveLength(world.orders.length);
    expect(new Set(seen.map((o) => o.id)).size).toBe(world.orders.length);
    const times = seen.map((o) => o.orderedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(new Set(seen.slice(0, 100).map((o) => o.vendor)).size).toBe(3);
  });

  it('filters by vendor, status, customer and SKU, and says how fresh the copy is', async () => {
    const r = await stack.gql<{ orders: Page<{ vendor: string; status: string; lines: { skuCode: string }[] }> }>(
      '{ orders(first: 500, filter: { vendors: [PHARUS], statuses: [OPEN, DRAFT] }, orderBy: { field: NUMBER }) { totalCount nodes { vendor status lines { skuCode } } } }',
    );
    expect(r.errors).toBeUndefined();
    const nodes = r.data?.orders.nodes ?? [];
    const expected = stack.sandboxes.world.orders.filter((o) => o.vendor === 'pharus' && (o.status === 'open' || o.status === 'draft'));
    expect(nodes.length).toBe(expected.length);
    expect(r.data?.orders.totalCount).toBe(expected.length);
    for (const node of nodes) {
      expect(node.vendor).toBe('PHARUS');
      expect(['OPEN', 'DRAFT']).toContain(node.status);
    }
    const freshness = r.extensions?.freshness as Record<string, { lastSyncedAt: string; state: string }>;
    expect(Object.keys(freshness)).toEqual(['pharus']);
    expect(freshness.pharus?.state).toBe('current');
    expect(Date.parse(freshness.pharus?.lastSyncedAt ?? '')).toBeGreaterThan(0);

    const sku = stack.sandboxes.world.orders[0]?.lines[0]?.skuCode ?? '';
    const bySku = await stack.gql<{ orders: Page<{ lines: { skuCode: string }[] }> }>(`{ orders(first: 500, filter: { skuCode: "${sku}" }) { totalCount nodes { lines { skuCode } } } }`);
    const withSku = stack.sandboxes.world.orders.filter((o) => o.lines.some((l) => l.skuCode === sku));
    expect(bySku.data?.orders.totalCount).toBe(withSku.length);
    expect(bySku.data?.orders.nodes.every((o) => o.lines.some((l) => l.skuCode === sku))).toBe(true);
  });

  it('refuses bad list input field by field', async () => {
    const cases: [string, string][] = [
      ['{ orders(filter: { customer: "" }) { nodes { id } } }', 'filter.customer'],
      ['{ skus(orderBy: { field: TIME }) { nodes { code } } }', 'orderBy.field'],
      ['{ invoices(filter: { statuses: ["Paid-ish"] }) { nodes { id } } }', 'filter.statuses'],
      ['{ orders(after: "bogus") { nodes { id } } }', 'after'],
    ];
    for (const [query, field] of cases) {
      const r = await stack.gql(query);
      expect(r.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.extensions?.field, query).toBe(field);
    }
    const first = await stack.gql<{ invoices: Page<unknown> }>('{ invoices(first: 1) { pageInfo { endCursor } } }');
    const foreign = await stack.gql('query($after: String) { orders(first: 1, after: $after) { nodes { id } } }', { after: first.data?.invoices.pageInfo.endCursor });
    expect(foreign.errors?.[0]?.extensions?.field).toBe('after');
  });

  it('lists every SKU once by canonical code, and each other connection with its total', async () => {
    const world = stack.sandboxes.world;
    const codes: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const r: Awaited<ReturnType<typeof stack.gql<{ skus: Page<{ code: string }> }>>> = await stack.gql('query($after: String) { skus(first: 40, after: $after) { nodes { code } pageInfo { hasNextPage endCursor } } }', { after });
      expect(r.errors).toBeUndefined();
      codes.push(...(r.data?.skus.nodes.map((n) => n.code) ?? []));
      if (!r.data?.skus.pageInfo.hasNextPage) break;
      after = r.data.skus.pageInfo.endCursor;
    }
    expect([...codes].sort()).toEqual(world.skus.map((s) => s.code).sort());

    const r = await stack.gql<Record<string, { totalCount: number; nodes: unknown[] }>>(
      '{ invoices(first: 5) { totalCount nodes { id } } parts(first: 5) { totalCount nodes { id } } inspections(first: 5) { totalCount nodes { id } } ncrs(first: 5) { totalCount nodes { id } } purchases(first: 5) { totalCount nodes { vendorId } } transactions(first: 5) { totalCount nodes { vendorId type } } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.invoices?.totalCount).toBe(world.invoices.length);
    expect(r.data?.inspections?.totalCount).toBe(world.inspections.length);
    expect(r.data?.ncrs?.totalCount).toBe(world.ncrs.length);
    for (const list of ['parts', 'purchases', 'transactions']) expect(r.data?.[list]?.totalCount, list).toBeGreaterThan(0);
  });

  it('serves relations the store holds from it: 100 invoices with their orders, parts with inspections and NCRs, no vendor call', async () => {
    const { result, calls } = await quietly(() =>
      stack.gql<{ invoices: Page<{ order: { vendorId: string } | null }>; parts: Page<{ inspections: unknown[]; ncrs: unknown[] }> }>(
        '{ invoices(first: 100) { nodes { order { vendorId invoices { id } } } } parts(first: 50) { nodes { inspections { id part { id } } ncrs { id } } } }',
      ),
    );
    expect(result.errors).toBeUndefined();
    expect(calls).toBe(0);
    expect(result.data?.invoices.nodes.every((i) => i.order !== null)).toBe(true);
    expect(result.data?.parts.nodes.some((p) => p.inspections.length > 0)).toBe(true);
  });
});

/** RFC 4180 records of a CSV body (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  return records;
}

describe('exports from the synced store', () => {
  it('streams every order as CSV with a header, exact decimals, ISO times, a file name and no vendor call', async () => {
    const world = stack.sandboxes.world;
    const { result, calls } = await quietly(async () => {
      const response = await fetch(`${stack.gateway.url}/export/orders.csv`);
      return { response, text: await response.text() };
    });
    expect(calls).toBe(0);
    expect(result.response.status).toBe(200);
    expect(result.response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(result.response.headers.get('content-disposition')).toMatch(/^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(result.response.headers.get('x-total-count')).toBe(String(world.orders.length));
    const [header, ...rows] = parseCsv(result.text);
    expect(header).toEqual(['id', 'vendor', 'vendorId', 'number', 'status', 'vendorStatus', 'orderedAt', 'dueAt', 'total', 'customerName', 'lineCount']);
    expect(rows).toHaveLength(world.orders.length);
    const total = header?.indexOf('total') ?? -1;
    const orderedAt = header?.indexOf('orderedAt') ?? -1;
    expect(rows.filter((row) => row[total] !== '').length).toBeGreaterThan(0);
    for (const row of rows) {
      // A total is an exact canonical decimal, or empty where the vendor gives none.
      expect(row[total] ?? '').toMatch(/^(-?\d+(\.\d*[1-9])?)?$/);
      expect(row[orderedAt] ?? '').toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$/);
    }
  });

  it('exports order lines as NDJSON with the same filters as the API, validated the same way', async () => {
    const response = await fetch(`${stack.gateway.url}/export/orderLines.ndjson?vendor=distru&status=OPEN,FULFILLED`);
    expect(response.status).toBe(200);
    const lines = (await response.text()).split('\n').filter((l) => l !== '');
    const expected = stack.sandboxes.world.orders.filter((o) => o.vendor === 'distru' && (o.status === 'open' || o.status === 'fulfilled'));
    expect(lines).toHaveLength(expected.reduce((n, o) => n + o.lines.length, 0));
    const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(first.orderVendor).toBe('DISTRU');
    expect(typeof first.quantity).toBe('string');

    for (const [query, parameter] of [
      ['status=SHIPPED', 'status'],
      ['orderedFrom=yesterday', 'orderedFrom'],
      ['colour=red', 'colour'],
      ['vendor=hapihub', 'vendor'],
      ['orderBy=TIME&orderBy=NUMBER', 'orderBy'],
    ] as const) {
      const bad = await fetch(`${stack.gateway.url}/export/orders.csv?${query}`);
      expect(bad.status, query).toBe(400);
      const body = (await bad.json()) as { errors: { message: string; extensions: { code: string; parameter: string } }[] };
      expect(body.errors[0]?.extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', parameter });
      expect(body.errors[0]?.message.startsWith(`${parameter}:`), query).toBe(true);
    }
    expect((await fetch(`${stack.gateway.url}/export/secrets.csv`)).status).toBe(404);
  });

  it('exports invoices, SKUs, inspections and NCRs', async () => {
    const world = stack.sandboxes.world;
    for (const [name, count] of [
      ['invoices', world.invoices.length],
      ['skus', world.skus.length],
      ['inspections', world.inspections.length],
      ['ncrs', world.ncrs.length],
    ] as const) {
      const response = await fetch(`${stack.gateway.url}/export/${name}.csv`);
      expect(response.status, name).toBe(200);
      expect(parseCsv(await response.text()).length - 1, name).toBe(count);
    }
  });
});
