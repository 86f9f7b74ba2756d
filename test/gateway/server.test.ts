import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  // Listing 100 Pharus orders reads each one (its list has no items): more than the default 50
  // vendor calls a request may make (MAX_VENDOR_CALLS_PER_REQUEST).
  stack = await startStack({ sandbox: { scale: 0.2 }, env: { MAX_VENDOR_CALLS_PER_REQUEST: '500' } });
});
afterAll(() => stack?.close());

describe('the HTTP server', () => {
  it('answers /healthz while the process is up', async () => {
    const r = await fetch(`${stack.gateway.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('reports every vendor with its breaker state on /readyz', async () => {
    const r = await fetch(`${stack.gateway.url}/readyz`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { ready: boolean; vendors: { vendor: string; configured: boolean; breaker?: string }[] };
    expect(body.ready).toBe(true);
    expect(body.vendors.map((v) => [v.vendor, v.configured, v.breaker])).toEqual([
      ['ISOLOCITY', true, 'closed'],
      ['PHARUS', true, 'closed'],
      ['DISTRU', true, 'closed'],
      ['HAPIHUB', true, 'closed'],
    ]);
  });

  it('serves GraphiQL to a browser at /graphql', async () => {
    const r = await fetch(`${stack.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/graphiql/i);
  });

  it('reports upstream cost only when asked with X-Opsgraph-Trace: 1', async () => {
    const query = '{ orders(first: 2, filter: { vendors: [DISTRU] }) { nodes { id } } }';
    const plain = await stack.gql(query);
    expect(plain.extensions?.upstream).toBeUndefined();
    await stack.resetStats();
    const traced = await stack.gql(query, {}, { 'x-opsgraph-trace': '1' });
    const upstream = traced.extensions?.upstream as { calls: number; byVendor: Record<string, number>; ms: number };
    const stats = await stack.stats();
    expect(upstream.calls).toBe(stats.distru.total);
    expect(upstream.byVendor).toEqual({ isolocity: 0, pharus: 0, distru: stats.distru.total, hapihub: 0 });
    expect(upstream.ms).toBeGreaterThan(0);
  });
});

describe('order listing', () => {
  it('pages through Distru, then Pharus, then ISOlocity orders with stable cursors, each order once', async () => {
    const world = stack.sandboxes.world;
    const seen: { vendor: string; id: string }[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const r: Awaited<ReturnType<typeof stack.gql<{ orders: { nodes: { id: string; vendor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>>> = await stack.gql(
        'query($after: String) { orders(first: 100, after: $after) { nodes { id vendor } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      expect(r.errors).toBeUndefined();
      seen.push(...(r.data?.orders.nodes ?? []));
      if (!r.data?.orders.pageInfo.hasNextPage) break;
      after = r.data.orders.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(world.orders.length);
    expect(new Set(seen.map((o) => o.id)).size).toBe(world.orders.length);
    const firstIndex = (v: string) => seen.findIndex((o) => o.vendor === v);
    const lastIndex = (v: string) => seen.map((o) => o.vendor).lastIndexOf(v);
    expect(lastIndex('DISTRU')).toBeLessThan(firstIndex('PHARUS'));
    expect(lastIndex('PHARUS')).toBeLessThan(firstIndex('ISOLOCITY'));
  });

  it('filters by vendor and by normalised status', async () => {
    const r = await stack.gql<{ orders: { nodes: { vendor: string; status: string }[] } }>(
      '{ orders(first: 50, filter: { vendors: [PHARUS], statuses: [OPEN, DRAFT] }) { nodes { vendor status } } }',
    );
    expect(r.errors).toBeUndefined();
    const nodes = r.data?.orders.nodes ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node.vendor).toBe('PHARUS');
      expect(['OPEN', 'DRAFT']).toContain(node.status);
    }
  });
});

describe('SKU listing', () => {
  it('lists every SKU of every vendor once, by canonical code, through the crosswalk', async () => {
    const world = stack.sandboxes.world;
    const codes: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const r: Awaited<ReturnType<typeof stack.gql<{ skus: { nodes: { code: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>>> = await stack.gql(
        'query($after: String) { skus(first: 40, after: $after) { nodes { code } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      expect(r.errors).toBeUndefined();
      codes.push(...(r.data?.skus.nodes.map((n) => n.code) ?? []));
      if (!r.data?.skus.pageInfo.hasNextPage) break;
      after = r.data.skus.pageInfo.endCursor;
    }
    expect([...codes].sort()).toEqual(world.skus.map((s) => s.code).sort());
  });
});
