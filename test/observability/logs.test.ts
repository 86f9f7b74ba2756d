import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { FLAGSHIP_QUERY } from '../../src/server/flagship.js';
import { LogCapture } from '../support/log-capture.js';
import { startStack, type Stack } from '../support/stack.js';
import { quickHttp } from '../resilience/harness.js';

const PINO_INFO = 30;
const PINO_WARN = 40;
const PINO_ERROR = 50;

const capture = new LogCapture();
let stack: Stack;
let orderId: string;
let rawOrderId: string;

beforeAll(async () => {
  // A long per-call timeout: the first request loads every index, slow on a loaded machine.
  stack = await startStack({ gateway: { log: capture.logger, httpOverrides: quickHttp({}, { distruBudget: false, timeoutMs: 15_000 }) } });
  rawOrderId = distruShowcaseOrderId(stack.sandboxes.world, 'oneLine');
  orderId = toGlobalId('Order', 'DISTRU', rawOrderId);
});
afterAll(() => stack?.close());
beforeEach(() => {
  capture.clear();
  for (const handle of Object.values(stack.sandboxes.handles)) handle?.faults.clear();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('the request log', () => {
  it('writes one line per GraphQL request with the client request id, client, operation, duration, vendor calls and no error codes', async () => {
    const response = await post({ query: FLAGSHIP_QUERY, variables: { id: orderId }, operationName: 'Flagship' }, { 'x-request-id': 'req-abc.123' });
    expect(response.headers.get('x-request-id')).toBe('req-abc.123');
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    const lines = capture.withMessage('graphql request');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({ level: PINO_INFO, service: 'opsgraph', requestId: 'req-abc.123', client: 'anonymous', operation: 'Flagship', operationType: 'query', status: 200, errors: {} });
    expect(typeof line.durationMs).toBe('number');
    const vendorCalls = line.vendorCalls as Record<string, number>;
    expect(Object.keys(vendorCalls).sort()).toEqual(['distru', 'hapihub', 'isolocity', 'pharus']);
    expect(vendorCalls.distru).toBeGreaterThanOrEqual(1);
    expect(line.upstreamCalls).toBe(Object.values(vendorCalls).reduce((a, b) => a + b, 0));
    // Neither the query text nor the variables (they may carry data).
    expect(capture.raw.join('\n')).not.toContain(orderId);
  });

  it('generates a request id when the client sends none, or one that is not a sane token', async () => {
    const none = await post({ query: '{ __typename }' });
    const insane = await post({ query: '{ __typename }' }, { 'x-request-id': `forged "line" ${'x'.repeat(200)}` });
    const ids = [none.headers.get('x-request-id'), insane.headers.get('x-request-id')];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(capture.withMessage('graphql request').map((l) => l.requestId)).toEqual(ids);
  });

  it('lists the error codes returned, counted', async () => {
    const response = await post({ query: 'query Two($a: ID!, $b: ID!) { a: order(id: $a) { id } b: order(id: $b) { id } }', variables: { a: 'bad', b: 'also-bad' } });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(capture.withMessage('graphql request')[0]).toMatchObject({ operation: 'Two', errors: { BAD_USER_INPUT: 2 } });
  });

  it('counts a request that fails validation under GRAPHQL_VALIDATION_FAILED', async () => {
    await post({ query: '{ noSuchField }' });
    expect(capture.withMessage('graphql request')[0]).toMatchObject({ errors: { GRAPHQL_VALIDATION_FAILED: 1 } });
  });
});

describe('failed vendor calls', () => {
  it('log a warn line per failed attempt with the route pattern, status and attempt, never the id, query values or token', async () => {
    stack.sandboxes.handles.distru!.faults.add({ match: 'GET /public/v1/orders/', status: 503 });
    const response = await post({ query: 'query One($id: ID!) { order(id: $id) { id } }', variables: { id: orderId } }, { 'x-request-id': 'warn-1' });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('VENDOR_UNAVAILABLE');
    const warns = capture.withMessage('vendor call failed');
    // quickHttp: one retry, so two attempts.
    expect(warns.map((w) => ({ level: w.level, requestId: w.requestId, vendor: w.vendor, route: w.route, status: w.status, attempt: w.attempt }))).toEqual([
      { level: PINO_WARN, requestId: 'warn-1', vendor: 'distru', route: 'GET /public/v1/orders/:id', status: 503, attempt: 1 },
      { level: PINO_WARN, requestId: 'warn-1', vendor: 'distru', route: 'GET /public/v1/orders/:id', status: 503, attempt: 2 },
    ]);
    for (const w of warns) expect(typeof w.durationMs).toBe('number');
    const all = capture.raw.join('\n');
    expect(all).not.toContain(rawOrderId);
    expect(all).not.toContain('dev-distru-token');
    expect(capture.withMessage('graphql request')[0]).toMatchObject({ requestId: 'warn-1', errors: { VENDOR_UNAVAILABLE: 1 } });
  });
});

describe('masked errors', () => {
  it('log an error line with the stack and the request id for an unexpected error the client sees as "Unexpected error."', async () => {
    const distru = stack.gateway.runtime.vendors.DISTRU!;
    const forRequest = distru.forRequest.bind(distru);
    // A bug, injected: a batch function that throws a TypeError instead of a vendor error.
    distru.forRequest = (scope) => {
      const source = forRequest(scope);
      return { ...source, orders: { ...source.orders!, ordersById: () => Promise.reject(new TypeError('cannot read properties of undefined (reading "lines")')) } };
    };
    try {
      const response = await post({ query: 'query One($id: ID!) { order(id: $id) { id } }', variables: { id: orderId } }, { 'x-request-id': 'bug-1' });
      const body = (await response.json()) as { errors: { message: string }[] };
      expect(body.errors[0]!.message).toBe('Unexpected error.');
    } finally {
      distru.forRequest = forRequest;
    }
    const errors = capture.lines.filter((l) => l.level === PINO_ERROR);
    expect(errors).toHaveLength(1);
    const error = errors[0]!;
    expect(error).toMatchObject({ requestId: 'bug-1', path: 'order', err: { type: 'TypeError', message: 'cannot read properties of undefined (reading "lines")' } });
    expect((error.err as { stack: string }).stack).toContain('logs.test.ts');
  });
});
