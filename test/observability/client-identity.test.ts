import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/server/auth/api-keys.js';
import { LogCapture } from '../support/log-capture.js';
import { startStack, type Stack } from '../support/stack.js';
import { JWT, KEYS, validJwt } from '../security/harness.js';

// A gateway with client authentication on (API keys and HS256 JWTs), /metrics on METRICS_PORT.
const capture = new LogCapture();
let stack: Stack;

beforeAll(async () => {
  const keysFile = join(mkdtempSync(join(tmpdir(), 'opsgraph-keys-')), 'keys.json');
  writeFileSync(
    keysFile,
    JSON.stringify([
      { name: 'bi-reader', sha256: sha256Hex(KEYS.reader), scopes: ['read'] },
      { name: 'integration', sha256: sha256Hex(KEYS.writer), scopes: ['write'] },
    ]),
  );
  stack = await startStack({
    sandbox: { scale: 0.2 },
    env: { AUTH: 'required', OPSGRAPH_API_KEYS_FILE: keysFile, JWT_SECRET: JWT.secret, JWT_ISSUER: JWT.issuer, JWT_AUDIENCE: JWT.audience, METRICS_PORT: '0' },
    gateway: { log: capture.logger },
  });
});
afterAll(() => stack?.close());
beforeEach(() => capture.clear());

async function post(query: string, headers: Record<string, string>, operationName?: string): Promise<Response> {
  return fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, operationName }) });
}

async function scrape(headers: Record<string, string> = {}): Promise<{ status: number; text: string; challenge: string | null }> {
  const res = await fetch(stack.gateway.metricsUrl, { headers });
  return { status: res.status, text: await res.text(), challenge: res.headers.get('www-authenticate') };
}

describe("the client's name", () => {
  it('is on the request line of an API key client, a JWT client and a refused request', async () => {
    expect((await post('query Ping { __typename }', { authorization: `Bearer ${KEYS.reader}` }, 'Ping')).status).toBe(200);
    expect((await post('query Ping { __typename }', { 'x-api-key': KEYS.reader }, 'Ping')).status).toBe(200);
    expect((await post('query Ping { __typename }', { authorization: `Bearer ${validJwt({ client_id: 'dashboard' })}` }, 'Ping')).status).toBe(200);
    expect((await post('query Ping { __typename }', { authorization: `Bearer ${validJwt({ sub: 'svc-reports' })}` }, 'Ping')).status).toBe(200);
    expect((await post('query Ping { __typename }', {}, 'Ping')).status).toBe(401);
    // Known but without `read`: FORBIDDEN, still under its own name.
    expect((await post('query Ping { __typename }', { authorization: `Bearer ${KEYS.writer}` }, 'Ping')).status).toBe(403);

    const lines = capture.withMessage('graphql request');
    expect(lines.map((l) => l.client)).toEqual(['bi-reader', 'bi-reader', 'dashboard', 'svc-reports', 'unauthenticated', 'integration']);
    expect(lines.map((l) => l.status)).toEqual([200, 200, 200, 200, 401, 403]);
    expect(lines[4]?.errors).toEqual({ UNAUTHENTICATED: 1 });
    expect(lines[5]?.errors).toEqual({ FORBIDDEN: 1 });
    // The credentials themselves never reach a log line.
    expect(capture.raw.join('\n')).not.toContain(KEYS.reader);
  });

  it('labels the GraphQL operation metrics', async () => {
    await post('query LabelCheck { __typename }', { authorization: `Bearer ${KEYS.reader}` }, 'LabelCheck');
    await post('query LabelCheck { __typename }', { authorization: `Bearer ${validJwt({ client_id: 'dashboard' })}` }, 'LabelCheck');
    await post('query LabelCheck { __typename }', { authorization: `Bearer ${validJwt({ client_id: 'dashboard' })}` }, 'LabelCheck');
    const { status, text } = await scrape({ authorization: `Bearer ${KEYS.reader}` });
    expect(status).toBe(200);
    expect(text).toContain('opsgraph_graphql_requests_total{operationType="query",operationName="LabelCheck",client="bi-reader"} 1');
    expect(text).toContain('opsgraph_graphql_requests_total{operationType="query",operationName="LabelCheck",client="dashboard"} 2');
    expect(text).toContain('opsgraph_graphql_operation_duration_seconds_count{operationType="query",operationName="LabelCheck",client="dashboard"} 2');
  });
});

describe('/metrics with authentication on', () => {
  it('needs the API credentials with the scope "read": none or a wrong one is 401, a client without read is 403', async () => {
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.challenge).toBe('Bearer realm="opsgraph"');
    expect(none.text).not.toContain('opsgraph_');
    expect((await scrape({ authorization: 'Bearer og_not-a-key' })).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${validJwt({ iss: 'https://someone-else.example' })}` })).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${validJwt({ exp: Math.floor(Date.now() / 1000) - 60 })}` })).status).toBe(401);
    const writer = await scrape({ authorization: `Bearer ${KEYS.writer}` });
    expect(writer.status).toBe(403);
    expect(writer.text).toContain('the scope \\"read\\"');
    expect(writer.text).not.toContain('opsgraph_');

    const readers: Record<string, string>[] = [{ authorization: `Bearer ${KEYS.reader}` }, { 'x-api-key': KEYS.reader }, { authorization: `Bearer ${validJwt()}` }];
    for (const headers of readers) {
      const allowed = await scrape(headers);
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('# TYPE opsgraph_vendor_request_duration_seconds histogram');
    }
  });

  it('is served on METRICS_PORT only: the API port has no /metrics', async () => {
    expect(stack.gateway.metricsUrl).not.toBe(`${stack.gateway.url}/metrics`);
    const onApiPort = await fetch(`${stack.gateway.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.reader}` } });
    expect(onApiPort.status).not.toBe(200);
    expect((await fetch(stack.gateway.metricsUrl.replace(/\/metrics$/, '/graphql'))).status).toBe(404);
  });
});
