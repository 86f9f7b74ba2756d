import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { distruId } from '../../sandbox/distru/ids.js';

let stack: Stack;
beforeAll(async () => {
  // Lists from the synced store: test/gateway/lists.test.ts.
  stack = await startStack({ sandbox: { scale: 0.2 } });
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
    const distruOrder = stack.sandboxes.world.orders.find((o) => o.vendor === 'distru');
    const id = toGlobalId('Order', 'DISTRU', distruId('order', distruOrder?.key ?? ''));
    const query = `{ order(id: "${id}") { id number } }`;
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
