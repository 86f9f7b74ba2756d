import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { startTelemetry, type Telemetry } from '../../src/observability/telemetry.js';
import { FLAGSHIP_QUERY } from '../../src/server/flagship.js';
import { startStack, type Stack } from '../support/stack.js';

// The real SDK set-up of `npm start` (telemetry.ts), exporting to memory instead of OTLP.
const exporter = new InMemorySpanExporter();
let telemetry: Telemetry | null;
let stack: Stack;

beforeAll(async () => {
  telemetry = startTelemetry({ otlpEndpoint: null, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  stack = await startStack({ sandbox: { scale: 0.3 }, gateway: { httpOverrides: { DISTRU: { rateLimit: { maxCalls: 1000, windowMs: 1000, maxQueue: 1000 } } } } });
});
afterAll(async () => {
  await stack?.close();
  await telemetry?.shutdown();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('traces', () => {
  it('are off when there is nowhere to send them', () => {
    expect(startTelemetry({ otlpEndpoint: null })).toBeNull();
  });

  it('give the flagship query one tree: the operation, each DataLoader batch under it, each vendor call under its batch, the HTTP exchange under the call', async () => {
    const id = toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(stack.sandboxes.world, 'oneLine'));
    exporter.reset();
    const response = await stack.gql(FLAGSHIP_QUERY, { id });
    expect(response.errors).toBeUndefined();
    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));

    const operations = spans.filter((s) => s.name === 'query.Flagship');
    expect(operations).toHaveLength(1);
    const operation = operations[0]!;
    expect(operation.attributes['graphql.execute.operationName']).toBe('Flagship');
    // The test's own fetch sent a `traceparent` (the undici instrumentation adds it): the gateway
    // continues that trace, so the operation hangs off the client's span and all is one trace.
    const client = byId.get(parentOf(operation) ?? '');
    expect(client?.name).toBe('POST');
    for (const span of spans) expect(span.spanContext().traceId, span.name).toBe(operation.spanContext().traceId);

    // Every batch hangs off the operation.
    const batches = spans.filter((s) => s.name.startsWith('dataloader '));
    // SKUs resolve through the crosswalk and indexes, so the per-vendor levels, parts and quality batches are the fan-out.
    expect(new Set(batches.map((b) => b.name))).toEqual(
      new Set([
        'dataloader DISTRU.order',
        'dataloader DISTRU.invoicesOfOrder',
        'dataloader ISOLOCITY.partByIdentification',
        'dataloader ISOLOCITY.inspectionsOfPart',
        'dataloader ISOLOCITY.ncrsOfPart',
        'dataloader DISTRU.levels',
        'dataloader PHARUS.levels',
        'dataloader ISOLOCITY.levels',
        'dataloader HAPIHUB.levels',
      ]),
    );
    for (const batch of batches) {
      expect(parentOf(batch), batch.name).toBe(operation.spanContext().spanId);
      expect(batch.attributes['opsgraph.batch_size'], batch.name).toBeGreaterThanOrEqual(1);
    }

    // Every vendor call hangs off a batch, with vendor, route pattern, status, attempt and rate-limit wait.
    const calls = spans.filter((s) => /^(isolocity|pharus|distru|hapihub) (GET|POST|PATCH) \//.test(s.name));
    expect(calls.length).toBeGreaterThanOrEqual(10);
    for (const call of calls) {
      const parent = byId.get(parentOf(call) ?? '');
      expect(parent?.name, call.name).toMatch(/^dataloader /);
      expect(call.attributes).toMatchObject({ 'opsgraph.vendor': call.name.split(' ')[0], 'opsgraph.route': call.name.slice(call.name.indexOf(' ') + 1), 'opsgraph.attempt': 1, 'http.response.status_code': 200 });
      expect(typeof call.attributes['opsgraph.rate_limit_wait_ms']).toBe('number');
    }
    const order = calls.find((c) => c.name === 'distru GET /public/v1/orders/:id');
    expect(byId.get(parentOf(order!) ?? '')?.name).toBe('dataloader DISTRU.order');

    // The undici instrumentation's client span is the HTTP exchange of each call.
    for (const call of calls) {
      const exchanges = spans.filter((s) => parentOf(s) === call.spanContext().spanId);
      expect(exchanges.map((s) => s.name), call.name).toEqual(['GET']);
    }
  });
});
