import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { FLAGSHIP_QUERY } from '../../src/server/flagship.js';
import { startStack, type Stack } from '../support/stack.js';

const httpOverrides = { DISTRU: { rateLimit: { maxCalls: 1000, windowMs: 1000, maxQueue: 1000 } } };
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.3 }, gateway: { httpOverrides } });
});
afterAll(() => stack?.close());

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one sample line, e.g. `name{a="b"} 3` → 3; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('serves the Prometheus text format on the API port, with vendor, breaker, rate-limit, cache and GraphQL metrics', async () => {
    const id = toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(stack.sandboxes.world, 'oneLine'));
    expect((await stack.gql(FLAGSHIP_QUERY, { id })).errors).toBeUndefined();
    await stack.gql('query Bad { order(id: "not-an-id") { id } }');
    stack.gateway.metrics.recordSyncLag('pharus', 12.5);
    const store = stack.gateway.runtime.idempotency;
    for (let i = 0; i < 2; i++) await store.run({ mutation: 'metricsTest', key: 'key-1', input: { a: 1 }, write: async () => 'written', recognise: { kind: 'resend' } });

    const { status, type, text } = await scrape(stack.gateway.metricsUrl);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(stack.gateway.metricsUrl).toBe(`${stack.gateway.url}/metrics`);
    expect(sample(text, 'opsgraph_vendor_request_duration_seconds_count{vendor="distru",route="GET /public/v1/orders/:id",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('opsgraph_vendor_request_duration_seconds_bucket{le="0.01",vendor="distru",route="GET /public/v1/orders/:id",status="200"}');
    for (const vendor of ['isolocity', 'pharus', 'distru', 'hapihub']) {
      expect(sample(text, `opsgraph_vendor_circuit_breaker_state{vendor="${vendor}",breaker="read"}`), vendor).toBe(0);
      expect(sample(text, `opsgraph_vendor_circuit_breaker_state{vendor="${vendor}",breaker="write"}`), vendor).toBe(0);
      expect(sample(text, `opsgraph_vendor_rate_limit_queue_depth{vendor="${vendor}"}`), vendor).toBe(0);
      expect(sample(text, `opsgraph_vendor_rate_limit_wait_seconds_count{vendor="${vendor}"}`), vendor).toBeGreaterThanOrEqual(1);
    }
    expect(sample(text, 'opsgraph_cache_lookups_total{cache="distru.productsBySku",result="miss"}')).toBe(1);
    expect(sample(text, 'opsgraph_cache_lookups_total{cache="hapihub.stockFold",result="miss"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'opsgraph_graphql_operation_duration_seconds_count{operationType="query",operationName="Flagship",client="anonymous"}')).toBe(1);
    expect(sample(text, 'opsgraph_graphql_requests_total{operationType="query",operationName="Bad",client="anonymous"}')).toBe(1);
    expect(sample(text, 'opsgraph_graphql_errors_total{operationType="query",operationName="Bad",client="anonymous",phase="execute",code="BAD_USER_INPUT"}')).toBe(1);
    expect(sample(text, 'opsgraph_idempotency_replays_total{mutation="metricsTest",outcome="replayed"}')).toBe(1);
    expect(sample(text, 'opsgraph_sync_lag_seconds{vendor="pharus"}')).toBe(12.5);
    expect(text).toContain('# TYPE opsgraph_vendor_retries_total counter');
    // No id, query or value ever becomes a label.
    expect(text).not.toContain(id);
    expect(text).not.toContain('not-an-id');
  });
});

describe('METRICS_PORT with AUTH=none', () => {
  it('serves /metrics on METRICS_PORT only, open like the API (credentials: client-identity.test.ts)', async () => {
    const separate = await startStack({ sandbox: { scale: 0.2 }, env: { METRICS_PORT: '0' } });
    try {
      const { gateway } = separate;
      expect(gateway.runtime.config.auth.mode).toBe('none');
      expect(gateway.metricsUrl).not.toBe(`${gateway.url}/metrics`);
      expect((await scrape(`${gateway.url}/metrics`)).status).toBe(404);
      const open = await scrape(gateway.metricsUrl);
      expect(open.status).toBe(200);
      expect(open.text).toContain('# TYPE opsgraph_vendor_request_duration_seconds histogram');
      expect((await scrape(gateway.metricsUrl.replace(/\/metrics$/, '/graphql'))).status).toBe(404);
    } finally {
      await separate.close();
    }
  });
});

describe('two gateways in one process', () => {
  it("keep their own series: each /metrics shows only its gateway's operations and vendor calls, both with the process metrics", async () => {
    const other = await startStack({ sandbox: { scale: 0.2 } });
    try {
      const id = toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(stack.sandboxes.world, 'oneLine'));
      expect((await stack.gql('query OnlyOnFirst($id: ID!) { order(id: $id) { id } }', { id })).errors).toBeUndefined();
      expect((await other.gql('query OnlyOnSecond { __typename }')).errors).toBeUndefined();

      const first = (await scrape(stack.gateway.metricsUrl)).text;
      const second = (await scrape(other.gateway.metricsUrl)).text;
      const requests = (text: string, name: string) => sample(text, `opsgraph_graphql_requests_total{operationType="query",operationName="${name}",client="anonymous"}`);
      expect(requests(first, 'OnlyOnFirst')).toBe(1);
      expect(requests(first, 'OnlyOnSecond')).toBeUndefined();
      expect(requests(second, 'OnlyOnSecond')).toBe(1);
      expect(requests(second, 'OnlyOnFirst')).toBeUndefined();
      // The second gateway called no vendor: no duration series at all, though the first has them.
      expect(first).toContain('opsgraph_vendor_request_duration_seconds_count{vendor="distru"');
      expect(second).not.toContain('opsgraph_vendor_request_duration_seconds_count{');
      for (const text of [first, second]) expect(text).toContain('# TYPE opsgraph_process_cpu_user_seconds_total counter');
    } finally {
      await other.close();
    }
  });
});
