import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startSmallDistru, type DistruSandbox } from './fixtures/distru/harness.js';
import type { ErrorBody } from './fixtures/distru/wire.js';

interface SessionsFixture {
  login: { request: { session: Record<string, unknown>; platform: string }; responseFields: Record<string, string> };
  generateApiToken: { responseFields: Record<string, string> };
}
const recorded = JSON.parse(readFileSync(new URL('./fixtures/distru/sessions.json', import.meta.url), 'utf8')) as SessionsFixture;

let sandbox: DistruSandbox;
beforeAll(async () => {
  sandbox = await startSmallDistru();
});
afterAll(() => sandbox.close());

const UNAUTHORIZED: ErrorBody = { errors: [{ context: {}, message: 'Unauthorized', pointer: ['authorization'], section: 'header' }] };
const login = (email: string, password: string) => client(sandbox).post('/api/v1/sessions', { ...recorded.login.request, session: { mobile: false, email, password } }, {});

/** The JSON type of the value at a dotted path, as the session fixture names types. */
function typeAt(body: unknown, path: string): string {
  let value = body;
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value === null ? 'null' : typeof value;
}

describe('Distru auth', () => {
  it('refuses a request without a token with the Distru 401 error body', async () => {
    const response = await client(sandbox).get('/public/v1/products', {});
    expect(response).toEqual({ status: 401, body: UNAUTHORIZED });
  });

  it('refuses a wrong token, Bearer or bare', async () => {
    expect(await client(sandbox, 'nope').get('/public/v1/orders')).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(await client(sandbox).get('/public/v1/orders', { authorization: 'nope' })).toEqual({ status: 401, body: UNAUTHORIZED });
  });

  it('accepts the configured API token with or without the Bearer prefix (both forms appear in the document)', async () => {
    expect((await client(sandbox).get('/public/v1/products')).status).toBe(200);
    expect((await client(sandbox).get('/public/v1/products', { authorization: sandbox.credentials.token })).status).toBe(200);
  });

  it('logs in, mints an API token that works on /public/v1, and deletes the session', async () => {
    const session = await login(sandbox.credentials.email ?? '', sandbox.credentials.password ?? '');
    expect(session.status).toBe(200);
    for (const [path, type] of Object.entries(recorded.login.responseFields)) expect(typeAt(session.body, path)).toBe(type);
    const jwt = (session.body as { jwt: string }).jwt;
    expect(jwt.split('.')).toHaveLength(3);

    // A session token is for the session endpoints only.
    expect((await client(sandbox, jwt).get('/public/v1/orders')).status).toBe(401);

    const minted = await client(sandbox).get('/api/v1/sessions/generate_api_token', { authorization: jwt });
    expect(minted.status).toBe(200);
    for (const [path, type] of Object.entries(recorded.generateApiToken.responseFields)) expect(type.split('|')).toContain(typeAt(minted.body, path));
    const apiToken = (minted.body as { company: { api_token: string } }).company.api_token;
    expect((await client(sandbox, apiToken).get('/public/v1/orders?page[size]=10&page[number]=1')).status).toBe(200);

    const deleted = await client(sandbox).post('/api/v1/sessions/delete', { tokens: [jwt] }, { authorization: apiToken });
    expect(deleted).toEqual({ status: 200, body: { deleted: 1 } });
    expect((await client(sandbox).get('/api/v1/sessions/generate_api_token', { authorization: jwt })).status).toBe(401);
    expect((await client(sandbox, apiToken).get('/public/v1/orders')).status).toBe(200);
  });

  it('refuses a wrong password and an API token in place of a session', async () => {
    const wrong = await login(sandbox.credentials.email ?? '', 'not-the-password');
    expect(wrong).toEqual({ status: 401, body: { errors: [{ context: {}, message: 'Invalid email or password', pointer: ['session'], section: 'body' }] } });
    expect((await client(sandbox).get('/api/v1/sessions/generate_api_token', { authorization: sandbox.credentials.token })).status).toBe(401);
  });

  it('answers a login body of the wrong shape with field errors', async () => {
    const response = await client(sandbox).post('/api/v1/sessions', { session: { email: 42 } }, {});
    expect(response.status).toBe(400);
    expect((response.body as ErrorBody).errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: ['session', 'email'], section: 'body' }),
        { context: {}, message: "can't be blank", pointer: ['session', 'password'], section: 'body' },
      ]),
    );
  });
});
