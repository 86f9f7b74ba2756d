import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect } from 'vitest';
import { sha256Hex } from '../../src/server/auth/api-keys.js';
import { sandboxConnections } from '../../src/server/sandbox-wiring.js';
import { startStack, type Stack } from '../support/stack.js';

/** The clients of the secured stack: their keys are random per run (and must never be echoed). */
export const KEYS = {
  reader: `og_${randomBytes(18).toString('hex')}`,
  writer: `og_${randomBytes(18).toString('hex')}`,
  distruWriter: `og_${randomBytes(18).toString('hex')}`,
  readWriter: `og_${randomBytes(18).toString('hex')}`,
};
export const JWT = { secret: randomBytes(32).toString('hex'), issuer: 'https://id.example.test', audience: 'opsgraph' };

/** An HS256 JWT, signed here so the test depends on nothing but node:crypto. */
export function signJwt(claims: Record<string, unknown>, secret = JWT.secret, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${part(header)}.${part(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export const validJwt = (claims: Record<string, unknown> = {}) =>
  signJwt({ iss: JWT.issuer, aud: JWT.audience, sub: 'svc-dashboard', scope: 'read', exp: Math.floor(Date.now() / 1000) + 3600, ...claims });

export interface SecuredStack extends Stack {
  /** Every log line the gateway wrote. */
  logLines: string[];
  /** Strings that must never appear in a response or a log line. */
  secrets: string[];
  /** Sends a raw HTTP request to the gateway; answers status, headers and the body text. */
  raw(init: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Headers; text: string; json: Body | null }>;
  /** POSTs a GraphQL operation as JSON with the given key (or none). */
  post(query: string, variables?: Record<string, unknown>, key?: string | null, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; text: string; json: Body | null }>;
}

export interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** The sandboxes and a gateway with authentication on, in production mode, logging to memory. */
export async function startSecuredStack(env: Record<string, string> = {}): Promise<SecuredStack> {
  const dir = mkdtempSync(join(tmpdir(), 'opsgraph-security-'));
  const keysFile = join(dir, 'keys.json');
  writeFileSync(
    keysFile,
    JSON.stringify([
      { name: 'bi-reader', sha256: sha256Hex(KEYS.reader), scopes: ['read'] },
      { name: 'integration', sha256: sha256Hex(KEYS.writer), scopes: ['write'] },
      { name: 'distru-sync', sha256: sha256Hex(KEYS.distruWriter), scopes: ['write:distru'] },
      { name: 'tablet', sha256: sha256Hex(KEYS.readWriter), scopes: ['read', 'write'] },
    ]),
  );
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const stack = await startStack({
    sandbox: { scale: 0.2 },
    env: {
      NODE_ENV: 'production',
      OPSGRAPH_SANDBOX: '1',
      AUTH: 'required',
      OPSGRAPH_API_KEYS_FILE: keysFile,
      JWT_SECRET: JWT.secret,
      JWT_ISSUER: JWT.issuer,
      JWT_AUDIENCE: JWT.audience,
      CORS_ORIGINS: 'https://app.example.com',
      ...env,
    },
    gateway: { log: pino({ level: 'info' }, sink) },
  });
  const connections = Object.values(sandboxConnections(stack.sandboxes));
  const secrets = [...Object.values(KEYS), JWT.secret, ...connections.flatMap((c) => [c.token, c.baseUrl, new URL(c.baseUrl).host])];

  const raw: SecuredStack['raw'] = async ({ method = 'POST', path = '/graphql', headers = {}, body }) => {
    const response = await fetch(`${stack.gateway.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let json: Body | null = null;
    try {
      json = JSON.parse(text) as Body;
    } catch {
      json = null;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  const post: SecuredStack['post'] = (query, variables, key = KEYS.readWriter, headers = {}) =>
    raw({
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
    });
  return Object.assign(stack, { logLines, secrets, raw, post });
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+|\bat (?:async )?[\w.<>]+ \((?:file:\/\/|\/)[^)]+:\d+:\d+\)/;

/** Nothing secret, no vendor address and no stack trace in this text. */
export function expectClean(stack: SecuredStack, text: string, where: string): void {
  for (const secret of stack.secrets) expect(text.includes(secret), `${where} contains a secret or vendor address`).toBe(false);
  expect(STACK_TRACE.test(text), `${where} contains a stack trace`).toBe(false);
}

/** Vendor writes (any method but GET) the sandboxes received since the last reset. */
export function vendorWrites(stack: SecuredStack): string[] {
  return Object.entries(stack.sandboxes.handles).flatMap(([vendor, handle]) =>
    (handle?.stats.requests() ?? []).filter((r) => r.method !== 'GET').map((r) => `${vendor} ${r.method} ${r.path}`),
  );
}

/** Vendor requests of any kind since the last reset, as "vendor METHOD path". */
export function vendorCalls(stack: SecuredStack): string[] {
  return Object.entries(stack.sandboxes.handles).flatMap(([vendor, handle]) => (handle?.stats.requests() ?? []).map((r) => `${vendor} ${r.method} ${r.path}`));
}

/**
 * /healthz must answer at once after an attack: the fastest of three probes in a row, bounded at
 * 100 ms by the caller. A gateway still busy with the attack is slow on every probe; one probe
 * caught by the scheduler of a loaded machine is not what the bound is about.
 */
export async function healthzMs(stack: SecuredStack): Promise<number> {
  let fastest = Infinity;
  for (let probe = 0; probe < 3; probe++) {
    const started = performance.now();
    const response = await fetch(`${stack.gateway.url}/healthz`);
    await response.text();
    expect(response.status).toBe(200);
    fastest = Math.min(fastest, performance.now() - started);
    if (fastest < 100) break;
  }
  return fastest;
}
