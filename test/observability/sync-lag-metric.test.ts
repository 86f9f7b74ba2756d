import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDORS } from '../../src/model/records.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * `opsgraph_sync_lag_seconds{vendor}`: read from the sync engine at each scrape, so it says how old
 * each vendor's synchronised copy is at the moment Prometheus asks, from the first completed sync on.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.2 }, synced: true });
  // No pass completes while the scrape is read: the last completed sync is fixed.
  await stack.gateway.runtime.sync.stop();
});
afterAll(() => stack?.close());

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the sync lag gauge', () => {
  it('shows, per synced vendor, the seconds since its copy was last complete, as of the scrape', async () => {
    const before = Date.now();
    const text = await (await fetch(stack.gateway.metricsUrl)).text();
    const after = Date.now();
    expect(text).toContain('# TYPE opsgraph_sync_lag_seconds gauge');
    for (const vendor of VENDORS) {
      const lastSyncedAt = stack.gateway.runtime.sync.vendorState(vendor).lastSyncedAt;
      expect(lastSyncedAt, vendor).not.toBeNull();
      const lag = sample(text, `opsgraph_sync_lag_seconds{vendor="${vendor.toLowerCase()}"}`);
      expect(lag, vendor).toBeDefined();
      // Between the age of the copy when the scrape was asked for and when it was answered.
      expect(lag!, vendor).toBeGreaterThanOrEqual((before - lastSyncedAt!) / 1000 - 0.001);
      expect(lag!, vendor).toBeLessThanOrEqual((after - lastSyncedAt!) / 1000 + 0.001);
    }
  });
});
