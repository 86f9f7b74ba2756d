import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
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
  const lease = (holder: string, now?: () => number) => {
    const l = new PostgresLease({ databaseUrl: url, vendors: ['DISTRU', 'HAPIHUB'], leaseMs: 300, holder, ...(now ? { now } : {}) });
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

    // The leader's process dies: its database session ends (as when a process is killed).
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("select pg_terminate_backend(backend_pid) from sync_lease where holder = 'a'");
    await admin.end();

    const took = await within(1_000, () => b.holds('DISTRU') && b.holds('HAPIHUB'));
    expect(took).toBeLessThanOrEqual(300 + 100);
    expect(b.token('DISTRU')).toBe(first + 1);
    expect(await b.isCurrent('DISTRU', first)).toBe(false);
    expect(await b.isCurrent('DISTRU', first + 1)).toBe(true);
    await within(1_000, () => !a.holds('DISTRU'));
  });

  it('deposes a leader that stays connected but stops renewing, and fences its token', async () => {
    const hung = lease('hung', () => 0); // its heartbeats never advance
    const c = lease('c');
    // Free the vendors from the previous test's leaders.
    for (const l of leases.slice(0, -2)) await l.close();
    await hung.start();
    expect(hung.holds('DISTRU')).toBe(true);
    const token = hung.token('DISTRU') as number;
    await c.start();
    await within(2_000, () => c.holds('DISTRU'));
    expect(c.token('DISTRU')).toBe(token + 1);
    await within(2_000, () => !hung.holds('DISTRU'));
  });
});
