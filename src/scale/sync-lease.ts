import { randomUUID } from 'node:crypto';
import pg from 'pg';

/**
 * Which replica runs the background sync of each vendor. With one process (the embedded store) it is
 * always this one (`SoleLease`). With a shared PostgreSQL store, replicas elect one per vendor through a
 * PostgreSQL advisory lock held on a dedicated connection (`PostgresLease`):
 *  - a leader that dies (crash, SIGKILL, lost network) loses its connection and with it the lock, so
 *    another replica takes over at its next attempt, within SYNC_LEASE_MS;
 *  - a leader that hangs while its connection stays up stops renewing its heartbeat; once that is
 *    older than SYNC_LEASE_MS a follower ends the leader's database session, which frees the lock;
 *  - every change of leader bumps the vendor's fencing token; sync writes carry the token they were
 *    started under (`isCurrent`), so a deposed leader cannot overwrite its successor's progress.
 * The new leader resumes from the stored high-water marks: no gap, and rows are keyed, so no duplicate.
 */
export interface SyncLease {
  /** True while this replica should sync `vendor`. */
  holds(vendor: string): boolean;
  /** The fencing token of this replica's lease on `vendor`, or null when it does not hold it. */
  token(vendor: string): number | null;
  /** Called when this replica gains or loses a vendor's lease. */
  onChange(listener: (vendor: string, held: boolean) => void): void;
  close(): Promise<void>;
}

export class SoleLease implements SyncLease {
  holds(): boolean {
    return true;
  }
  token(): number {
    return 1;
  }
  onChange(): void {}
  async close(): Promise<void> {}
}

export interface PostgresLeaseOptions {
  databaseUrl: string;
  vendors: readonly string[];
  /** SYNC_LEASE_MS: how long a silent leader keeps the lease; attempts run every third of it. */
  leaseMs: number;
  /** A name for logs (this replica). */
  holder?: string;
  now?: () => number;
}

/** A stable 32-bit key per vendor for pg_try_advisory_lock(classid, objid). */
const LOCK_CLASS = 0x0b5_67a9;
function lockKey(vendor: string): number {
  let h = 0;
  for (const ch of vendor) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

export class PostgresLease implements SyncLease {
  private readonly held = new Map<string, number>();
  private readonly listeners: ((vendor: string, held: boolean) => void)[] = [];
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private closed = false;
  readonly holder: string;
  private readonly now: () => number;

  constructor(private readonly options: PostgresLeaseOptions) {
    this.holder = options.holder ?? randomUUID();
    this.now = options.now ?? Date.now;
  }

  /** Connects and makes a first attempt; later attempts run every leaseMs / 3. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.options.leaseMs / 3)));
    this.timer.unref();
  }

  holds(vendor: string): boolean {
    return this.held.has(vendor);
  }

  token(vendor: string): number | null {
    return this.held.get(vendor) ?? null;
  }

  onChange(listener: (vendor: string, held: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Whether `token` is still the vendor's current fencing token in the store (checked before a sync commits). */
  async isCurrent(vendor: string, token: number): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    const result = await client.query<{ token: string }>('select token from sync_lease where vendor = $1', [vendor]);
    return Number(result.rows[0]?.token) === token;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    const client = this.client;
    this.client = null;
    this.lose();
    // Ending the session releases every advisory lock it held: a successor need not wait.
    await client?.end().catch(() => undefined);
  }

  private tick(): Promise<void> {
    this.ticking ??= this.attempt().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    try {
      const client = await this.connection();
      for (const vendor of this.options.vendors) {
        if (this.held.has(vendor)) {
          await client.query('update sync_lease set heartbeat_at = $2 where vendor = $1', [vendor, this.now()]);
          continue;
        }
        const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [LOCK_CLASS, lockKey(vendor)]);
        if (got.rows[0]?.ok) {
          const row = await client.query<{ token: string }>(
            `insert into sync_lease (vendor, token, holder, backend_pid, heartbeat_at) values ($1, 1, $2, pg_backend_pid(), $3)
             on conflict (vendor) do update set token = sync_lease.token + 1, holder = excluded.holder, backend_pid = excluded.backend_pid, heartbeat_at = excluded.heartbeat_at
             returning token`,
            [vendor, this.holder, this.now()],
          );
          this.held.set(vendor, Number(row.rows[0]?.token));
          for (const listener of this.listeners) listener(vendor, true);
        } else {
          await this.deposeIfSilent(client, vendor);
        }
      }
    } catch {
      // The connection is gone or broken: whatever this replica held is no longer certain.
      const client = this.client;
      this.client = null;
      await client?.end().catch(() => undefined);
      this.lose();
    }
  }

  /** A leader whose heartbeat is older than the lease is hung: end its session so its lock frees. */
  private async deposeIfSilent(client: pg.Client, vendor: string): Promise<void> {
    const row = await client.query<{ backend_pid: number | null; heartbeat_at: string }>('select backend_pid, heartbeat_at from sync_lease where vendor = $1', [vendor]);
    const lease = row.rows[0];
    if (!lease || lease.backend_pid === null) return;
    if (this.now() - Number(lease.heartbeat_at) > this.options.leaseMs) {
      await client.query('select pg_terminate_backend($1)', [lease.backend_pid]);
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, connectionTimeoutMillis: 5_000 });
    client.on('error', () => {
      if (this.client === client) {
        this.client = null;
        this.lose();
      }
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private lose(): void {
    const vendors = [...this.held.keys()];
    this.held.clear();
    for (const vendor of vendors) for (const listener of this.listeners) listener(vendor, false);
  }
}
