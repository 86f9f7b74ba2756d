import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

// Interactive requests go first for the gateway's CPU as for the vendors' budgets: a sync page is
// parsed and written in one stretch of the event loop, so the sync reads its next page only once
// the GraphQL requests in flight have ended (at most SYNC_YIELD_MAX_MS a page).

let stack: Stack;
const VENDOR_LATENCY_MS = 1_500;

beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.02 }, unconfigured: ['DISTRU'], synced: true, env: { SYNC_INTERVAL_MS: '600000', ISOLOCITY_SYNC_REREAD_MS: '600000', PHARUS_SYNC_REREAD_MS: '600000', HAPIHUB_SYNC_REREAD_MS: '600000', SYNC_YIELD_MAX_MS: '10000' } });
});
afterAll(async () => {
  await stack?.close();
});

/** Asks for a HAPIHub transactions pass; resolves when it has ended, with when HAPIHub got its page call. */
async function transactionsPass(): Promise<number> {
  const sync = stack.gateway.runtime.sync;
  const hapihub = stack.sandboxes.handles.hapihub!;
  hapihub.stats.reset();
  const before = sync.state('HAPIHUB', 'transactions').lastSyncedAt;
  sync.requestPass('HAPIHUB', 'transactions');
  for (let waited = 0; sync.state('HAPIHUB', 'transactions').lastSyncedAt === before; waited += 20) {
    if (waited > 20_000) throw new Error('the transactions pass did not end');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const call = hapihub.stats.requests().find((r) => r.route === '/inventory-transactions');
  if (!call) throw new Error('the pass made no transactions call');
  return call.at;
}

it('a pass asked for while a GraphQL request is in flight reads its page once the request has been answered', async () => {
  const parts = await stack.gql<{ parts: { nodes: { identification: string }[] } }>('{ parts(first: 1) { nodes { identification } } }');
  const code = parts.data?.parts.nodes[0]?.identification;
  expect(code).toBeTruthy();
  const isolocity = stack.sandboxes.handles.isolocity!;
  // The screen's live ISOlocity stock read takes 1.5 s.
  isolocity.faults.add({ match: 'GET /api/v2/inventory', latencyMs: VENDOR_LATENCY_MS });
  try {
    const asked = Date.now();
    const screen = stack.gql<{ sku: { inventory: unknown[] } }>(`{ sku(code: "${code}") { inventory { onHand } } }`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const read = transactionsPass();
    const answer = await screen;
    expect(answer.errors).toBeUndefined();
    expect(await read).toBeGreaterThanOrEqual(asked + VENDOR_LATENCY_MS);
  } finally {
    isolocity.faults.clear();
  }
});

it('with no request in flight the pass reads at once', async () => {
  const asked = Date.now();
  expect((await transactionsPass()) - asked).toBeLessThan(VENDOR_LATENCY_MS);
});
