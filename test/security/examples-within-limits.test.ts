import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/model/global-id.js';
import { FLAGSHIP_QUERY } from '../../src/server/flagship.js';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import { startStack, type Stack } from '../support/stack.js';

/** The default limits let every README example and the GraphiQL (flagship) query through. */
const LIMIT_CODES = new Set(['MAX_DEPTH_EXCEEDED', 'MAX_ALIASES_EXCEEDED', 'MAX_TOKENS_EXCEEDED', 'MAX_DIRECTIVES_EXCEEDED', 'MAX_COST_EXCEEDED', 'MAX_PARSER_DEPTH_EXCEEDED', 'PAYLOAD_TOO_LARGE', 'UPSTREAM_BUDGET_EXCEEDED']);

/** Each operation of each ```graphql block of the README. */
function readmeOperations(): { name: string; document: string }[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) => {
    const names = [...block.matchAll(/^(?:query|mutation)\s+(\w+)/gm)].map((m) => m[1] ?? '');
    return names.length === 0 ? [{ name: block.slice(0, 40), document: block }] : names.map((name) => ({ name, document: block }));
  });
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.2 } });
});
afterAll(async () => {
  await stack?.close();
});

describe('the default limits', () => {
  const operations = readmeOperations();

  it('find README examples to check', () => {
    expect(operations.length).toBeGreaterThanOrEqual(3);
  });

  it.each(operations.map((o) => [o.name, o] as const))('let the README example %s through', async (_name, operation) => {
    const orderId = toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(stack.sandboxes.world, 'fiftyLines'));
    const response = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: operation.document, operationName: /^\w+$/.test(operation.name) ? operation.name : undefined, variables: { id: orderId } }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect((body.errors ?? []).map((e) => e.extensions?.code).filter((c) => c && LIMIT_CODES.has(c))).toEqual([]);
  });

  it('let the flagship query of GraphiQL through for a 50-line order', async () => {
    const orderId = toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(stack.sandboxes.world, 'fiftyLines'));
    const r = await stack.gql(FLAGSHIP_QUERY, { id: orderId });
    expect(r.errors).toBeUndefined();
  });
});
