import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VendorHttp } from '../../src/http/index.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { vendorObserver } from '../../src/observability/vendor-observer.js';
import { closedPort, startToy, toyOptions } from '../http/toy-vendor.js';
import { LogCapture } from '../support/log-capture.js';

let http: VendorHttp | undefined;
let toy: Awaited<ReturnType<typeof startToy>>;
beforeAll(async () => {
  toy = await startToy();
});
afterAll(() => toy.close());
afterEach(() => http?.close());

describe('the vendor observer', () => {
  it('logs a refused connection with its error kind and route pattern, and counts it under status "network"', async () => {
    const capture = new LogCapture();
    const metrics = new GatewayMetrics();
    const port = await closedPort();
    http = new VendorHttp(toyOptions(`http://127.0.0.1:${port}`, { vendor: 'pharus', retries: { max: 1, baseDelayMs: 1, maxDelayMs: 1 }, routes: ['GET /skus/:id'] }), { observer: vendorObserver(capture.logger, metrics) });
    await http.request({ method: 'GET', path: '/skus/3f2a6c1e-0000-4000-8000-000000000001', query: [['code', 'OG-00001']] }).catch(() => undefined);
    const warns = capture.withMessage('vendor call failed');
    expect(warns.map((w) => [w.route, w.status, w.errorKind, w.attempt])).toEqual([
      ['GET /skus/:id', 'network', 'ECONNREFUSED', 1],
      ['GET /skus/:id', 'network', 'ECONNREFUSED', 2],
    ]);
    expect(capture.raw.join('\n')).not.toMatch(/3f2a6c1e|OG-00001|TOY-SECRET/);
    const metric = await metrics.registry.getSingleMetricAsString('opsgraph_vendor_request_duration_seconds');
    expect(metric).toContain('opsgraph_vendor_request_duration_seconds_count{vendor="pharus",route="GET /skus/:id",status="network"} 2');
    const retries = await metrics.registry.getSingleMetricAsString('opsgraph_vendor_retries_total');
    expect(retries).toContain('opsgraph_vendor_retries_total{vendor="pharus",route="GET /skus/:id",reason="VENDOR_UNAVAILABLE"} 1');
  });

  it('logs a call that hangs past its timeout as status "timeout" with its route pattern, and a breaker that opens', async () => {
    const capture = new LogCapture();
    const metrics = new GatewayMetrics();
    toy.faults.add({ match: '*', hang: true });
    try {
      http = new VendorHttp(toyOptions(toy.url, { timeoutMs: 100, routes: ['GET /items/:id'], breaker: { failureThreshold: 1, openMs: 10_000 } }), { observer: vendorObserver(capture.logger, metrics) });
      await http.request({ method: 'GET', path: '/items/63b0cd000670f21551ff4d07' }).catch(() => undefined);
    } finally {
      toy.faults.clear();
    }
    expect(capture.withMessage('vendor call failed')).toEqual([expect.objectContaining({ level: 40, vendor: 'hapihub', route: 'GET /items/:id', status: 'timeout', attempt: 1 })]);
    expect(capture.withMessage('circuit breaker opened: reads from this vendor fail fast')).toEqual([
      expect.objectContaining({ level: 40, vendor: 'hapihub', breaker: 'read', state: 'open' }),
    ]);
    expect(capture.raw.join('\n')).not.toContain('63b0cd000670f21551ff4d07');
    const breaker = await metrics.registry.getSingleMetricAsString('opsgraph_vendor_request_duration_seconds');
    expect(breaker).toContain('opsgraph_vendor_request_duration_seconds_count{vendor="hapihub",route="GET /items/:id",status="timeout"} 1');
  });
});
