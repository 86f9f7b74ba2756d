import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { PostgresLease } from '../../src/scale/sync-lease.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

/** Waits until `check` is true, polling; fails after `ms`. */
async function within(ms: number, check: () => boolean): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

describe('sync lease on a shared PostgreSQL store (real server)', () => {
  let server: TestPostgres;
  let url: string;
  const leases: PostgresLease[] = [];
  const lease = (holder: string, leaseMs = 300) => {
    const l = new PostgresLease({ databaseUrl: url, vendors: ['DISTRU', 'HAPIHUB'], leaseMs, holder });
    leases.push(l);
    return l;
  };

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
    const store = await openStore({ dataDir: '/unused', databaseUrl: url });
    await store.close();
  });
  afterAll(async () => {
    for (const l of leases) await l.close();
    await server?.stop();
  });

  it('elects exactly one replica per vendor, and hands over within the lease when the leader dies', async () => {
    const a = lease('a');
    const b = lease('b');
    await a.start();
    await b.start();
    expect(a.holds('DISTRU') && a.holds('HAPIHUB')).toBe(true);
    expect(b.holds('DISTRU') || b.holds('HAPIHUB')).toBe(false);
    const first = a.token('DISTRU') as number;

    // The leader's process goes away: its database session ends with it, and so does its lock.
    await a.close();

    const took = await within(1_000, () => b.holds('DISTRU') && b.holds('HAPIHUB'));
    expect(took).toBeLessThanOrEqual(300 + 100);
    expect(b.token('DISTRU')).toBe(first + 1);
    expect(await b.isCurrent('DISTRU', first)).toBe(false);
    expect(await b.isCurrent('DISTRU', first + 1)).toBe(true);
    expect(a.holds('DISTRU')).toBe(false);
  });

  it('deposes a leader that stays connected but stops renewing, and fences its token', async () => {
    // Takes the lease once, then never renews it (its next attempt would be ten minutes away): a
    // process that hangs while its database connection stays open.
    const hung = lease('hung', 1_800_000);
    const c = lease('c');
    // Free the vendors from the previous test's leaders.
    for (const l of leases.slice(0, -2)) await l.close();
    await hung.start();
    expect(hung.holds('DISTRU')).toBe(true);
    const token = hung.token('DISTRU') as number;
    await c.start();
    await within(2_000, () => c.holds('DISTRU'));
    // Fenced: the hung leader's token is no longer the vendor's (it may have won a round or two
    // before being deposed for good, so the new token is at least one higher).
    expect(c.token('DISTRU')).toBeGreaterThan(token);
    expect(await c.isCurrent('DISTRU', token)).toBe(false);
    await within(2_000, () => !hung.holds('DISTRU'));
  });
});
