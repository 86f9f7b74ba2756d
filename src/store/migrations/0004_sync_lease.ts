import type { Kysely } from 'kysely';

/**
 * Who syncs each vendor when several replicas share one PostgreSQL store (src/scale/sync-lease.ts).
 * `token` grows by one at every change of holder: the fencing token a leader's sync writes carry, so
 * a leader that lost its lease without noticing cannot overwrite its successor's progress.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_lease')
    .ifNotExists()
    .addColumn('vendor', 'text', (c) => c.primaryKey())
    .addColumn('token', 'bigint', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('backend_pid', 'integer')
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_lease').ifExists().execute();
}
