import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectClean, healthzMs, KEYS, signJwt, startSecuredStack, validJwt, vendorCalls, vendorWrites, JWT, type SecuredStack } from './harness.js';
import { MUTATIONS, stringPaths, withValue, type MutationShape } from './mutation-inputs.js';

/**
 * The adversarial corpus (issue 10): each case is one hostile or malformed request against a
 * gateway in production mode with authentication on. Every case asserts its exact HTTP status and
 * `extensions.code`, that no vendor write happened (sandbox request logs), that neither the
 * response nor any log line holds a key, the JWT secret, a vendor token or address, or a stack
 * trace, and that /healthz answers within 100 ms right after.
 */
interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } | null;
}

interface Case {
  name: string;
  send(s: SecuredStack): Promise<Res>;
  status: number;
  /** The first error's `extensions.code`; null: no error at all. */
  code: string | null;
  /** Stricter than "no write": no vendor request of any kind (refused before anything is looked up). */
  noVendorCall?: boolean;
  check?(res: Res): void;
}

const cases: Case[] = [];
const add = (c: Case) => cases.push(c);
const LONG = 'x'.repeat(10_000);
const PATH_IDS = ['.', '..'];
const BAD_DECIMALS = ['1e999', 'NaN', '0x10', '', ' 12 '];

// ---- mutations: bad input for every mutation ----
const mutationDoc = (m: MutationShape) => `mutation M($input: ${m.inputType}!) { ${m.name}(input: $input) { ${m.selection} } }`;
const sendMutation = (m: MutationShape, input: Record<string, unknown>, key: string = KEYS.writer) => (s: SecuredStack) => s.post(mutationDoc(m), { input }, key);

for (const m of MUTATIONS) {
  for (const path of stringPaths(m.base)) {
    const at = path.join('.');
    add({ name: `${m.name}: 10,000 characters in ${at}`, send: sendMutation(m, withValue(m.base, path, LONG)), status: 200, code: 'VALIDATION_FAILED', noVendorCall: true });
    add({ name: `${m.name}: a NUL byte in ${at}`, send: sendMutation(m, withValue(m.base, path, 'a\u0000b')), status: 200, code: 'VALIDATION_FAILED', noVendorCall: true });
  }
  for (const id of m.pathIds) {
    for (const raw of PATH_IDS) {
      add({ name: `${m.name}: "${raw}" as ${id.field} never reaches a vendor path`, send: sendMutation(m, withValue(m.base, [id.field], id.value(raw))), status: 200, code: 'VALIDATION_FAILED', noVendorCall: true });
    }
  }
  const decimal = m.decimals[0];
  if (decimal) {
    for (const bad of BAD_DECIMALS) {
      add({
        name: `${m.name}: Decimal ${JSON.stringify(bad)} in ${decimal.join('.')}`,
        send: sendMutation(m, withValue(m.base, decimal, bad)),
        status: 400,
        code: 'BAD_USER_INPUT',
        noVendorCall: true,
        check: (res) => expect(res.json?.errors?.[0]?.extensions?.field).toBe(`input.${decimal.join('.').replace(/\.(\d+)/g, '[$1]')}`),
      });
    }
  }
  for (const list of m.nonEmpty) add({ name: `${m.name}: no ${list}`, send: sendMutation(m, withValue(m.base, [list], [])), status: 200, code: 'VALIDATION_FAILED', noVendorCall: true });
  add({ name: `${m.name}: a read-only client is refused`, send: sendMutation(m, m.base, KEYS.reader), status: 403, code: 'FORBIDDEN', noVendorCall: true });
  if (m.vendor !== 'distru') {
    add({
      name: `${m.name}: a write:distru client is refused, naming write:${m.vendor}`,
      send: sendMutation(m, m.base, KEYS.distruWriter),
      status: 200,
      code: 'FORBIDDEN',
      noVendorCall: true,
      check: (res) => expect(res.json?.errors?.[0]?.extensions?.scope).toBe(`write:${m.vendor}`),
    });
  }
  add({ name: `${m.name}: no credential`, send: sendMutation(m, m.base, null as unknown as string), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
}

// ---- queries: depth, aliases, cost, tokens, nesting, directives, fragments, strings ----
const read = (query: string, variables?: Record<string, unknown>) => (s: SecuredStack) => s.post(query, variables, KEYS.reader);
const nest = (levels: number) => {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = i % 2 === 0 ? `inspections { ${inner} }` : `part { id ${inner} }`;
  return `{ sku(code: "OG-00001") { part { ${inner} } } }`;
};
// Armor checks cost before depth: past 15 levels the cost (×1.5 per level) is over MAX_COST first.
for (let levels = 6; levels <= 30; levels += 3) add({ name: `part → inspections → part nested ${levels} levels`, send: read(nest(levels)), status: 400, code: levels > 15 ? 'MAX_COST_EXCEEDED' : 'MAX_DEPTH_EXCEEDED', noVendorCall: true });
for (const n of [16, 50, 200, 1000]) {
  add({ name: `${n} aliases of orders(first: 100)`, send: read(`{ ${Array.from({ length: n }, (_, i) => `a${i}: orders(first: 100) { nodes { id } }`).join(' ')} }`), status: 400, code: n >= 200 ? 'MAX_TOKENS_EXCEEDED' : 'MAX_ALIASES_EXCEEDED', noVendorCall: true });
}
for (const first of [500, 300]) {
  add({ name: `orders(first: ${first}) with every line's part and inspections`, send: read(`{ orders(first: ${first}) { nodes { lines { sku { part { id identification inspections { id lotNumber } } } } } } }`), status: 400, code: 'MAX_COST_EXCEEDED', noVendorCall: true });
}
add({ name: 'ten lists of 500 orders', send: read(`{ ${Array.from({ length: 10 }, (_, i) => `o${i}: orders(first: 500) { nodes { id number total } }`).join(' ')} }`), status: 400, code: 'MAX_COST_EXCEEDED', noVendorCall: true });
for (const n of [2_001, 20_000]) add({ name: `${n} tokens of field spam`, send: read(`{ orders(first: 1) { nodes { ${'id '.repeat(n)} } } }`), status: 400, code: 'MAX_TOKENS_EXCEEDED', noVendorCall: true });
for (const depth of [41, 1_000, 10_000]) {
  add({ name: `a list literal nested ${depth} deep`, send: read(`{ orders(first: 1, after: ${'['.repeat(depth)}${']'.repeat(depth)}) { nodes { id } } }`), status: 400, code: 'MAX_PARSER_DEPTH_EXCEEDED', noVendorCall: true });
  add({ name: `an object literal nested ${depth} deep`, send: read(`{ orders(first: 1, after: ${'{a:'.repeat(depth)}1${'}'.repeat(depth)}) { nodes { id } } }`), status: 400, code: 'MAX_PARSER_DEPTH_EXCEEDED', noVendorCall: true });
}
add({ name: 'selection sets nested 45 deep', send: read(`{ ${'orders { '.repeat(45)}${'} '.repeat(45)}}`), status: 400, code: 'MAX_PARSER_DEPTH_EXCEEDED', noVendorCall: true });
for (const n of [21, 100]) add({ name: `${n} @include directives on one field`, send: read(`{ orders(first: 1) { nodes { id ${'@include(if: true) '.repeat(n)} } } }`), status: 400, code: 'MAX_DIRECTIVES_EXCEEDED', noVendorCall: true });
// Validation errors are 200 under `Accept: application/json` (GraphQL over HTTP); our limits say 400.
add({ name: 'a fragment that spreads itself', send: read('query { orders(first: 1) { ...F } } fragment F on OrderConnection { nodes { id } ...F }'), status: 200, code: 'GRAPHQL_VALIDATION_FAILED', noVendorCall: true });
add({
  name: 'fragments that double each other ten times (billion laughs)',
  send: read(`query { orders(first: 1) { nodes { ...F0 } } } ${Array.from({ length: 10 }, (_, i) => `fragment F${i} on Order { ${i < 9 ? `a${i}: lines { sku { orders: code } } b${i}: invoices { id } ...F${i + 1}` : 'id'} }`).join(' ')}`),
  status: 400,
  code: 'MAX_ALIASES_EXCEEDED',
  noVendorCall: true,
});
add({ name: 'a 900,000-character string argument', send: read(`{ sku(code: "${'A'.repeat(900_000)}") { code } }`), status: 200, code: 'NOT_FOUND' });
add({ name: 'a 2 MB request body', send: read(`{ sku(code: "${'A'.repeat(2_000_000)}") { code } }`), status: 413, code: 'PAYLOAD_TOO_LARGE', noVendorCall: true });
add({ name: 'a 900,000-character variable quoted back at most 100 characters', send: read('query($id: ID!) { order(id: $id) { id } }', { id: 'Z'.repeat(900_000) }), status: 200, code: 'BAD_USER_INPUT', noVendorCall: true, check: (res) => expect(res.text.length).toBeLessThan(1_000) });
add({
  name: 'a variable list nested 10,000 deep',
  send: (s) => s.raw({ headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.reader}` }, body: `{"query":"query($id: ID!) { order(id: $id) { id } }","variables":{"id":${'['.repeat(10_000)}${']'.repeat(10_000)}}}` }),
  status: 400,
  code: 'BAD_USER_INPUT',
  noVendorCall: true,
});
add({ name: 'introspection in production', send: read('{ __schema { types { name } } }'), status: 200, code: 'INTROSPECTION_DISABLED', noVendorCall: true });
add({ name: '__type in production', send: read('{ __type(name: "Order") { fields { name } } }'), status: 200, code: 'INTROSPECTION_DISABLED', noVendorCall: true });
add({
  name: 'no field suggestions in production',
  send: read('{ orderz(first: 1) { nodes { id } } }'),
  status: 200,
  code: 'GRAPHQL_VALIDATION_FAILED',
  noVendorCall: true,
  check: (res) => expect(res.text).not.toMatch(/Did you mean/),
});
add({ name: 'a GraphiQL page in production', send: (s) => s.raw({ method: 'GET', headers: { accept: 'text/html' } }), status: 406, code: null, noVendorCall: true, check: (res) => expect(res.text).not.toMatch(/graphiql/i) });
for (const bad of BAD_DECIMALS) {
  add({ name: `a Decimal literal ${JSON.stringify(bad)}`, send: (s) => s.post(`mutation { adjustInventory(input: { vendor: HAPIHUB, skuCode: "OG-1", locationId: "63b0cd000670f21551ff4d07", quantity: ${JSON.stringify(bad)} }) { vendor } }`, undefined, KEYS.writer), status: 200, code: 'BAD_USER_INPUT', noVendorCall: true });
}
add({ name: 'a DateTime variable that is no date', send: (s) => s.post('mutation($at: DateTime) { upsertDistruPurchase(input: { items: [{ skuCode: "A", quantity: "1", unitPrice: "1" }], orderedAt: $at }) { purchase { vendorId } } }', { at: 'yesterday' }, KEYS.writer), status: 400, code: 'BAD_USER_INPUT', noVendorCall: true });
add({ name: 'an Int variable given a string', send: read('query($n: Int) { orders(first: $n) { nodes { id } } }', { n: 'ten' }), status: 400, code: 'BAD_USER_INPUT', noVendorCall: true });
add({ name: 'a required variable left out', send: read('query($id: ID!) { order(id: $id) { id } }', {}), status: 400, code: 'BAD_USER_INPUT', noVendorCall: true });

// ---- credentials ----
// A read that needs the read scope and no synced list (these stacks run no sync).
const readQuery = '{ __typename }';
const withHeaders = (headers: Record<string, string>) => (s: SecuredStack) => s.raw({ headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: readQuery }) });
const now = () => Math.floor(Date.now() / 1000);
add({ name: 'no credential', send: withHeaders({}), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true, check: (res) => expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/) });
add({ name: 'an unknown API key as Bearer', send: withHeaders({ authorization: 'Bearer og_not_a_key' }), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
add({ name: 'an unknown API key as X-Api-Key', send: withHeaders({ 'x-api-key': 'og_not_a_key' }), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
add({ name: 'a known key with a different case', send: withHeaders({ 'x-api-key': KEYS.reader.toUpperCase() }), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
add({ name: 'Basic credentials', send: withHeaders({ authorization: `Basic ${Buffer.from(`bi:${KEYS.reader}`).toString('base64')}` }), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
add({ name: 'a JWT signed with another secret', send: withHeaders({ authorization: `Bearer ${signJwt({ iss: JWT.issuer, aud: JWT.audience, sub: 'x', scope: 'read', exp: now() + 60 }, 'another-secret-another-secret-another')}` }), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
add({ name: 'an expired JWT', send: withHeaders({ authorization: `Bearer ${validJwt({ exp: now() - 60 })}` }), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
add({ name: 'a JWT of another issuer', send: withHeaders({ authorization: `Bearer ${validJwt({ iss: 'https://evil.example' })}` }), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
add({ name: 'a JWT for another audience', send: withHeaders({ authorization: `Bearer ${validJwt({ aud: 'another-api' })}` }), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
add({ name: 'an unsigned JWT (alg none)', send: withHeaders({ authorization: `Bearer ${signJwt({ iss: JWT.issuer, aud: JWT.audience, scope: 'read write', exp: now() + 60 }, JWT.secret, { alg: 'none', typ: 'JWT' }).replace(/[^.]+$/, '')}` }), status: 401, code: 'UNAUTHENTICATED', noVendorCall: true });
add({ name: 'a JWT without the read scope', send: withHeaders({ authorization: `Bearer ${validJwt({ scope: 'write:distru' })}` }), status: 403, code: 'FORBIDDEN', noVendorCall: true });
add({ name: 'a valid JWT with read', send: withHeaders({ authorization: `Bearer ${validJwt()}` }), status: 200, code: null });
add({ name: 'a valid API key as X-Api-Key', send: withHeaders({ 'x-api-key': KEYS.reader }), status: 200, code: null });
add({ name: 'a write-only key cannot read', send: withHeaders({ authorization: `Bearer ${KEYS.writer}` }), status: 403, code: 'FORBIDDEN', noVendorCall: true });
add({ name: 'a read-only JWT cannot write', send: (s) => s.post('mutation { createNcr(input: { number: "N-1", source: INTERNAL }) { ncr { id } } }', undefined, validJwt()), status: 403, code: 'FORBIDDEN', noVendorCall: true });

// ---- CSRF and CORS ----
const ncrMutation = 'mutation { createNcr(input: { number: "CSRF-1", source: INTERNAL }) { ncr { id } } }';
add({ name: 'a form-encoded POST from a foreign page', send: (s) => s.raw({ headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: `query=${encodeURIComponent(ncrMutation)}` }), status: 403, code: 'CSRF_PREVENTED', noVendorCall: true });
add({ name: 'a multipart POST from a foreign page', send: (s) => s.raw({ headers: { 'content-type': 'multipart/form-data; boundary=b', origin: 'https://evil.example' }, body: `--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: ncrMutation })}\r\n--b--\r\n` }), status: 403, code: 'CSRF_PREVENTED', noVendorCall: true });
add({ name: 'a text/plain POST from a foreign page', send: (s) => s.raw({ headers: { 'content-type': 'text/plain', origin: 'https://evil.example' }, body: JSON.stringify({ query: ncrMutation }) }), status: 403, code: 'CSRF_PREVENTED', noVendorCall: true });
add({ name: 'a simple GET', send: (s) => s.raw({ method: 'GET', path: `/graphql?query=${encodeURIComponent(readQuery)}` }), status: 403, code: 'CSRF_PREVENTED', noVendorCall: true });
add({ name: 'a mutation over GET', send: (s) => s.raw({ method: 'GET', path: `/graphql?query=${encodeURIComponent(ncrMutation)}`, headers: { authorization: `Bearer ${KEYS.readWriter}` } }), status: 405, code: 'BAD_REQUEST', noVendorCall: true });
const preflight = (origin: string) => (s: SecuredStack) => s.raw({ method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
add({ name: 'a CORS preflight from a foreign origin gets no CORS headers', send: preflight('https://evil.example'), status: 204, code: null, noVendorCall: true, check: (res) => expect(res.headers.get('access-control-allow-origin')).toBeNull() });
add({
  name: 'a CORS preflight from the allowed origin: that origin, never credentials',
  send: preflight('https://app.example.com'),
  status: 204,
  code: null,
  noVendorCall: true,
  check: (res) => {
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  },
});
add({
  name: 'a POST from a foreign origin is answered without CORS headers (the browser hides it)',
  send: (s) => s.raw({ headers: { 'content-type': 'application/json', origin: 'https://evil.example', authorization: `Bearer ${KEYS.reader}` }, body: JSON.stringify({ query: readQuery }) }),
  status: 200,
  code: null,
  check: (res) => {
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  },
});
add({ name: 'a POST without Content-Length (chunked)', send: (s) => chunkedPost(s, JSON.stringify({ query: readQuery })), status: 411, code: 'LENGTH_REQUIRED', noVendorCall: true });

/** A POST whose body is streamed in chunks, with no declared length. */
function chunkedPost(s: SecuredStack, body: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${s.gateway.url}/graphql`);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.reader}`, 'transfer-encoding': 'chunked' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), text, json: JSON.parse(text) as Res['json'] });
      });
    });
    req.on('error', reject);
    req.write(body.slice(0, 10));
    req.end(body.slice(10));
  });
}

describe('the adversarial corpus', () => {
  let s: SecuredStack;
  beforeAll(async () => {
    s = await startSecuredStack();
    // Warm up (module loading, JIT, the indexes a real query fills) so /healthz timings measure attacks, not a cold start.
    for (let i = 0; i < 3; i++) await s.post('{ orders(first: 1) { nodes { id lines { sku { code } } } } }', undefined, KEYS.reader);
    for (const c of cases.slice(0, 6)) await c.send(s);
  });
  afterAll(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    await s.resetStats();
  });

  it('has at least 250 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(250);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const logsBefore = s.logLines.length;
    const res = await c.send(s);
    expect(res.status, res.text.slice(0, 300)).toBe(c.status);
    const code = res.json?.errors?.[0]?.extensions?.code ?? null;
    expect(code, res.text.slice(0, 300)).toBe(c.code);
    c.check?.(res);
    expect(vendorWrites(s)).toEqual([]);
    if (c.noVendorCall) expect(vendorCalls(s)).toEqual([]);
    expectClean(s, res.text, 'the response');
    for (const line of s.logLines.slice(logsBefore)) expectClean(s, line, 'a log line');
    expect(await healthzMs(s)).toBeLessThan(100);
  });
});
