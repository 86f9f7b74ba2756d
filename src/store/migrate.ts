import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.js';

export class StoreSchemaError extends Error {}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the store to the newest schema this build knows. Kysely's Migrator takes a lock (a row lock
 * on PostgreSQL, a transaction on SQLite), so when several replicas start at once each migration runs
 * exactly once. A store that holds a migration this build does not know was written by a newer
 * opsgraph: this process refuses to start rather than run against a schema it does not understand.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  // Unordered: migrations are added by independent features (0003 landed before 0002 exists), so a
  // store that already ran a later number still takes an earlier one it has not run.
  const migrator = new Migrator({ db, provider, migrationTableName: 'opsgraph_migration', migrationLockTableName: 'opsgraph_migration_lock', allowUnorderedMigrations: true });
  const known = new Set(Object.keys(migrations));
  // Kysely's own check lists only the migrations this build knows; read the table for the others.
  const inStore = await db
    .selectFrom('opsgraph_migration' as never)
    .select('name' as never)
    .execute()
    .catch(() => [] as { name: string }[]);
  const unknown = (inStore as { name: string }[]).map((row) => row.name).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new StoreSchemaError(
      `the store's schema is newer than this opsgraph (it has migration ${unknown.join(', ')}, unknown here): upgrade this replica before pointing it at the store`,
    );
  }
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new StoreSchemaError(`store migration failed: ${error instanceof Error ? error.message : String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
