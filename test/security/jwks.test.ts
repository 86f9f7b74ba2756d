import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

/**
 * JWTs checked against a JWKS endpoint (`JWT_JWKS_URL`), as an identity provider serves one: a real
 * HTTP server on loopback hands out the public half of an RSA key; tokens are RS256-signed here with
 * node:crypto. The Yoga JWT plugin fetches and caches the keys; opsgraph checks issuer, audience and
 * the `scope` claim.
 */
const ISSUER = 'https://login.example.test/';
const AUDIENCE = 'opsgraph-api';
const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
let jwks: Server;
let jwksRequests = 0;
let stack: Stack;

beforeAll(async () => {
  const key = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
  jwks = createServer((req, res) => {
    jwksRequests++;
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  stack = await startStack({ sandbox: { scale: 0.2 }, env: { AUTH: 'required', JWT_JWKS_URL: url, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE } });
});
afterAll(async () => {
  await stack?.close();
  await new Promise<void>((resolve) => (jwks ? jwks.close(() => resolve()) : resolve()));
});

function rs256(claims: Record<string, unknown>, key: KeyObject = signing.privateKey, kid = 'key-1'): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`;
  return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}
const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: AUDIENCE, sub: 'svc-bi', scope: 'read', exp: Math.floor(Date.now() / 1000) + 600, ...extra });

async function ask(token: string, query = '{ __typename }'): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } }> {
  const res = await fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } };
}

describe('JWTs verified with the keys of a JWKS endpoint (JWT_JWKS_URL)', () => {
  it('lets a token signed by a published key through, fetching the keys from the endpoint', async () => {
    const answer = await ask(rs256(claims()));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { __typename: 'Query' } });
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it.each([
    ['a wrong issuer', rs256(claims({ iss: 'https://elsewhere.example.test/' }))],
    ['a wrong audience', rs256(claims({ aud: 'another-api' }))],
    ['an expired token', rs256(claims({ exp: Math.floor(Date.now() / 1000) - 60 }))],
    ['a key the endpoint does not publish', rs256(claims(), stranger.privateKey, 'key-1')],
    ['an unknown key id', rs256(claims(), signing.privateKey, 'key-9')],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_name, token) => {
    const answer = await ask(token);
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answer.body.data ?? null).toBeNull();
  });

  it('refuses a mutation to a token with only the read scope, naming the scope, before any vendor call', async () => {
    await stack.resetStats();
    const answer = await ask(rs256(claims()), 'mutation { createNcr(input: { number: "NCR-JWKS-1", source: INTERNAL, quantity: 1 }) { ncr { id } } }');
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(answer.body.errors)).toContain('write');
    const stats = await stack.stats();
    expect(Object.values(stats).reduce((sum, s) => sum + s.total, 0)).toBe(0);
  });
});
