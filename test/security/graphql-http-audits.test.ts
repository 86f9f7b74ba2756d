import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startSecuredStack, type SecuredStack } from './harness.js';

/**
 * GraphQL over HTTP conformance (the `graphql-http` package's server audits) with authentication,
 * CSRF prevention and limits on: all 61 pass for a client that sends its credential. Four audits
 * query `__type`, so this production-mode gateway runs with INTROSPECTION=1.
 */
let s: SecuredStack;
beforeAll(async () => {
  s = await startSecuredStack({ INTROSPECTION: '1' });
});
afterAll(async () => {
  await s?.close();
});

const withCredential: typeof fetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${KEYS.readWriter}`);
  return fetch(input, { ...init, headers });
};

const audits = serverAudits({ url: () => `${s.gateway.url}/graphql`, fetchFn: withCredential });

describe('graphql-http server audits, with a valid credential', () => {
  it('lists 61 audits', () => {
    expect(audits).toHaveLength(61);
  });

  it.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
  });
});
