import { toGlobalId } from '../../src/model/global-id.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Vendor } from '../../src/model/records.js';
import { startGateway, type StartedGateway } from '../../src/server/gateway.js';
import { MUTATIONS } from './mutation-inputs.js';
import { testDataDir } from '../support/data-dir.js';

const dataDir = testDataDir();

/**
 * Every vendor refuses every call with a body that quotes our request headers back (as some API
 * gateways do), in each vendor's error shape. The client must see the refusal without any token,
 * Authorization header or vendor address, each message at most 500 characters.
 */
const TOKENS: Record<Vendor, string> = { ISOLOCITY: 'iso-secret-token-0123456789', PHARUS: 'pharus-secret-token-0123456789', DISTRU: 'distru-secret-token-0123456789', HAPIHUB: 'hapihub-secret-token-0123456789' };

let echo: Server;
let echoUrl: string;
let gateway: StartedGateway;
const logLines: string[] = [];

beforeAll(async () => {
  echo = createServer((req, res) => {
    req.resume();
    const headers = JSON.stringify(req.headers);
    const said = `refused: you sent ${headers} to http://${req.headers.host ?? ''}${req.url ?? ''} ${'padding '.repeat(100)}`;
    res.writeHead(req.method === 'GET' ? 400 : 422, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: said, error: { code: 'validation_failed', message: said, details: { field: 'name', headers } }, errors: { name: [said], number: [said] } }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  const vendors = Object.fromEntries(
    (Object.keys(TOKENS) as Vendor[]).map((v) => [v, { baseUrl: `${echoUrl}/${v.toLowerCase()}`, token: TOKENS[v], ...(v === 'PHARUS' ? { orgId: 'org-1' } : {}) }]),
  );
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  gateway = await startGateway(loadConfig({ PORT: '0', HOST: '127.0.0.1', AUTH: 'none', SYNC: 'off', OPSGRAPH_DATA_DIR: dataDir }), { vendors, log: pino({ level: 'info' }, sink), httpOverrides: Object.fromEntries(Object.keys(TOKENS).map((v) => [v, { retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 } }])) });
});

afterAll(async () => {
  await gateway?.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

const post = async (query: string, variables?: Record<string, unknown>) => {
  const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, text: await response.text() };
};

const leaks = (text: string) => [...Object.values(TOKENS), echoUrl, new URL(echoUrl).host].filter((secret) => text.includes(secret));

describe('a vendor that echoes our request headers in its refusal', () => {
  const answers: string[] = [];

  it.each(MUTATIONS.map((m) => [m.name, m] as const))('%s: the refusal reaches the client redacted and cut to 500 characters', async (_name, m) => {
    const { text } = await post(`mutation M($input: ${m.inputType}!) { ${m.name}(input: $input) { __typename } }`, { input: m.base });
    answers.push(text);
    expect(leaks(text), text.slice(0, 600)).toEqual([]);
    expect(text).not.toMatch(/authorization"?\s*:\s*"(?!\[redacted\])/i);
    const body = JSON.parse(text) as { errors?: { message: string }[] };
    expect(body.errors?.length).toBeGreaterThan(0);
    for (const error of body.errors ?? []) expect(error.message.length).toBeLessThanOrEqual(500);
  });

  it.each([
    // A live read (lists answer from the synced store and call no vendor).
    ['an order by id', `{ order(id: "${toGlobalId('Order', 'DISTRU', '00000000-0000-4000-8000-000000000001')}") { id number } }`],
    ['a SKU across vendors', '{ sku(code: "OG-00001") { code part { id } inventory { onHand } } }'],
  ])('%s: read failures name the vendor, never its address or token', async (_name, query) => {
    const { text } = await post(query);
    answers.push(text);
    expect(leaks(text)).toEqual([]);
  });

  it('showed vendor refusal text (redacted), so the checks above were not vacuous, and logged nothing secret', () => {
    expect(answers.some((a) => a.includes('[redacted]'))).toBe(true);
    for (const line of logLines) expect(leaks(line)).toEqual([]);
  });
});
