import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorCode, opsError } from '../../src/errors.js';
import type { IdempotentWrite, Recognition } from '../../src/mutations/idempotency.js';
import { StoreIdempotencyStore } from '../../src/mutations/idempotency-store.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { openStore, type Store } from '../../src/store/index.js';

// opsgraph_idempotency_replays_total{mutation,outcome}: what a request sent again with a known key got.
let store: Store;
let dir: string;
let metrics: GatewayMetrics;
beforeEach(async () => {
  metrics = new GatewayMetrics();
  dir = mkdtempSync(path.join(tmpdir(), 'opsgraph-idem-metrics-'));
  store = await openStore({ dataDir: dir, databaseUrl: null });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const records = () => new StoreIdempotencyStore(store.db, { windowMs: 60_000, waitMs: 1_000, leaseMs: 30_000, pollMs: 10, metrics });
const lost = () => opsError('hapihub: POST /inventory-transactions: the write was sent but its answer was lost', { code: 'OUTCOME_UNKNOWN', vendor: 'hapihub', written: 'unknown' });

function w<R>(mutation: string, key: string, write: () => Promise<R>, recognise: Recognition<R>): IdempotentWrite<R> {
  return { mutation, key, input: { quantity: '1' }, write, recognise };
}

async function count(mutation: string, outcome: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('opsgraph_idempotency_replays_total')!.get();
  return metric.values.find((v) => v.labels.mutation === mutation && v.labels.outcome === outcome)?.value ?? 0;
}

async function failsWith<T>(promise: Promise<T>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return errorCode(error);
  }
  throw new Error('expected a rejection');
}

describe('idempotency outcome metrics', () => {
  it('counts a key answered from its record as replayed, for a success and for a refusal, and a first write not at all', async () => {
    const s = records();
    await s.run(w('metricsReplay', 'k1', async () => ({ id: 1 }), { kind: 'resend' }));
    expect(await count('metricsReplay', 'replayed')).toBe(0);
    await s.run(w('metricsReplay', 'k1', async () => ({ id: 2 }), { kind: 'resend' }));
    expect(await failsWith(s.run(w('metricsReplay', 'k2', () => Promise.reject(opsError('refused', { code: 'VALIDATION_FAILED' })), { kind: 'resend' })))).toBe('VALIDATION_FAILED');
    expect(await failsWith(s.run(w('metricsReplay', 'k2', async () => ({ id: 3 }), { kind: 'resend' })))).toBe('VALIDATION_FAILED');
    expect(await count('metricsReplay', 'replayed')).toBe(2);
  });

  it('counts a lost answer settled at the vendor as reconciled, and one that stays unknown as outcome_unknown', async () => {
    const s = records();
    expect(await failsWith(s.run(w('metricsLost', 'found', () => Promise.reject(lost()), { kind: 'find', find: async () => null })))).toBe('OUTCOME_UNKNOWN');
    expect(await failsWith(s.run(w('metricsLost', 'unknowable', () => Promise.reject(lost()), { kind: 'none', check: 'the ledger' })))).toBe('OUTCOME_UNKNOWN');
    // The first writes lost their answers: not replays.
    expect(await count('metricsLost', 'reconciled')).toBe(0);
    expect(await count('metricsLost', 'outcome_unknown')).toBe(0);

    // Sent again: the first is found at the vendor, the second cannot be told apart.
    expect(await s.run(w('metricsLost', 'found', async () => ({ id: 9 }), { kind: 'find', find: async () => ({ id: 7 }) }))).toEqual({ id: 7 });
    expect(await failsWith(s.run(w('metricsLost', 'unknowable', async () => ({ id: 9 }), { kind: 'none', check: 'the ledger' })))).toBe('OUTCOME_UNKNOWN');
    expect(await count('metricsLost', 'reconciled')).toBe(1);
    expect(await count('metricsLost', 'outcome_unknown')).toBe(1);
    expect(await count('metricsLost', 'replayed')).toBe(0);
  });
});
