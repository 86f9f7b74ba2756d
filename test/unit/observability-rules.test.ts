import { describe, expect, it } from 'vitest';
import { RoutePatterns } from '../../src/http/route-pattern.js';
import type { VendorHealth } from '../../src/http/vendor-http.js';
import { credentialSettings } from '../../src/config.js';
import { unhealthyReason } from '../../src/server/readiness.js';
import { ROUTES as DISTRU_ROUTES } from '../../src/vendors/distru/client.js';
import { isolocityRoutes } from '../../src/vendors/isolocity/client.js';

describe('route patterns', () => {
  it('names a call by its endpoint-table pattern, never by its ids', () => {
    const distru = new RoutePatterns(DISTRU_ROUTES);
    expect(distru.routeOf('GET', '/public/v1/orders/6f1c2b9e-1111-4e2a-9c1d-000000000042')).toBe('GET /public/v1/orders/:id');
    expect(distru.routeOf('GET', '/public/v1/orders')).toBe('GET /public/v1/orders');
    expect(distru.routeOf('POST', '/public/v1/orders')).toBe('POST /public/v1/orders');
    const isolocity = new RoutePatterns(isolocityRoutes());
    expect(isolocity.routeOf('PATCH', '/inspections/12/samples/7')).toBe('PATCH /inspections/:id/samples/:sample_id');
  });

  it('reduces a path the table does not list to id-free segments, keeping API versions', () => {
    const none = new RoutePatterns([]);
    expect(none.routeOf('GET', '/public/v1/batches/5521')).toBe('GET /public/v1/batches/:id');
    expect(none.routeOf('DELETE', '/things/abc%2Fdef/parts')).toBe('DELETE /things/:id/parts');
    expect(none.routeOf('GET', '/inventory/finished-goods/summary')).toBe('GET /inventory/finished-goods/summary');
  });
});

const healthy: VendorHealth = {
  vendor: 'distru',
  breaker: 'closed',
  writeBreaker: 'closed',
  recentCalls: 0,
  recentErrorRate: 0,
  recentTimeouts: 0,
  hanging: false,
  timeoutMs: 15_000,
  recentStatuses: { 401: 0, 403: 0, 404: 0 },
};

describe('readiness reasons', () => {
  it('is healthy with no calls, or with 404s among other answers', () => {
    expect(unhealthyReason('DISTRU', healthy)).toBeUndefined();
    expect(unhealthyReason('DISTRU', { ...healthy, recentCalls: 5, recentStatuses: { 401: 0, 403: 0, 404: 4 } })).toBeUndefined();
  });

  it('takes fewer than three 404s and nothing else for unknown ids, three for a wrong base URL', () => {
    expect(unhealthyReason('DISTRU', { ...healthy, recentCalls: 2, recentStatuses: { 401: 0, 403: 0, 404: 2 } })).toBeUndefined();
    expect(unhealthyReason('DISTRU', { ...healthy, recentCalls: 3, recentStatuses: { 401: 0, 403: 0, 404: 3 } })).toBe('every call answered 404: is DISTRU_BASE_URL right?');
  });

  it('calls a vendor down when every call of the last minute failed, from three calls', () => {
    const refused = { ...healthy, recentErrorRate: 1, lastError: 'distru: GET /public/v1/locations: request failed (ECONNREFUSED)' };
    expect(unhealthyReason('DISTRU', { ...refused, recentCalls: 2 })).toBeUndefined();
    expect(unhealthyReason('DISTRU', { ...refused, recentCalls: 3 })).toBe('every call in the last minute failed (3): distru: GET /public/v1/locations: request failed (ECONNREFUSED)');
    expect(unhealthyReason('DISTRU', { ...refused, recentCalls: 4, recentErrorRate: 0.75 })).toBeUndefined();
  });

  it('names the credential settings in use: both for Pharus with an org id, the token alone for a Pharus personal access token', () => {
    const refused = { ...healthy, recentCalls: 1, recentStatuses: { 401: 0, 403: 1, 404: 0 } };
    const withOrg = credentialSettings('PHARUS', { baseUrl: 'http://pharus.test', token: 'firebase-id-token', orgId: 'org-1' });
    expect(unhealthyReason('PHARUS', refused, withOrg)).toBe('every call answered 403: do PHARUS_TOKEN and PHARUS_ORG_ID have access?');
    const pat = credentialSettings('PHARUS', { baseUrl: 'http://pharus.test', token: 'pharus_pat_0123456789abcdef0123456789abcdef' });
    expect(unhealthyReason('PHARUS', refused, pat)).toBe('every call answered 403: does PHARUS_TOKEN have access?');
    expect(unhealthyReason('HAPIHUB', { ...healthy, recentCalls: 2, recentStatuses: { 401: 1, 403: 0, 404: 1 } })).toBe('every call answered 401, 403 or 404: are HAPIHUB_BASE_URL and HAPIHUB_TOKEN right?');
  });

  it('reports a hang before anything else, and an open breaker with its last error', () => {
    expect(unhealthyReason('HAPIHUB', { ...healthy, hanging: true, recentTimeouts: 4, timeoutMs: 10_000, breaker: 'open' })).toBe('calls hang past the 10000 ms per-call timeout (4 in the last minute); circuit breaker open');
    expect(unhealthyReason('DISTRU', { ...healthy, breaker: 'half-open', lastError: 'distru: GET /public/v1/products: the vendor answered 503' })).toBe(
      'circuit breaker half-open after repeated failures: distru: GET /public/v1/products: the vendor answered 503',
    );
  });
});
