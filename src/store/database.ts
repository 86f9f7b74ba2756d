import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest, StoreSchemaError } from './migrate.js';
import type { StoreSchema } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

/** opsgraph's own database: the embedded SQLite file by default, PostgreSQL when DATABASE_URL is set. */
export interface Store {
  db: Kysely<StoreSchema>;
  dialect: StoreDialect;
  /** Where it lives, for logs: the SQLite file, or the PostgreSQL host/database (never credentials). */
  location: string;
  close(): Promise<void>;
}

export interface StoreSettings {
  /** Directory of the embedded SQLite file (OPSGRAPH_DATA_DIR). */
  dataDir: string;
  /** PostgreSQL connection string (DATABASE_URL); when set, it wins over dataDir. */
  databaseUrl: string | null;
}

/** A store that cannot be opened; the message names the setting and never echoes its value. */
export class StoreOpenError extends Error {}

export const SQLITE_FILE_NAME = 'opsgraph.sqlite';

/**
 * Opens the store and migrates it to the newest schema. Fails with StoreOpenError naming
 * OPSGRAPH_DATA_DIR or DATABASE_URL when the store cannot be reached, and StoreSchemaError when the
 * store was written by a newer opsgraph.
 */
export async function openStore(settings: StoreSettings): Promise<Store> {
  const store = settings.databaseUrl ? await openPostgres(settings.databaseUrl) : openSqlite(settings.dataDir);
  try {
    await migrateToLatest(store.db as Kysely<unknown>);
  } catch (error) {
    await store.close();
    if (error instanceof StoreSchemaError) throw error;
    const setting = settings.databaseUrl ? 'DATABASE_URL' : 'OPSGRAPH_DATA_DIR';
    throw new StoreOpenError(`${setting}: the store could not be prepared (${describe(error)})`);
  }
  return store;
}

function openSqlite(dataDir: string): Store {
  const file = path.resolve(dataDir, SQLITE_FILE_NAME);
  let sqlite: BetterSqlite3.Database;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new BetterSqlite3(file);
    // WAL: readers (GraphQL requests) never wait for the sync's writes; NORMAL sync is durable
    // across a process crash, which is what a cache of vendor data and idempotency records need.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new StoreOpenError(`OPSGRAPH_DATA_DIR: cannot open the embedded store in that directory (${describe(error)})`);
  }
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

async function openPostgres(databaseUrl: string): Promise<Store> {
  let where: string;
  try {
    const parsed = new URL(databaseUrl);
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error('not a postgres:// URL');
    where = `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    throw new StoreOpenError('DATABASE_URL: not a valid postgres:// connection string');
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreOpenError(`DATABASE_URL: cannot connect to PostgreSQL at ${where} (${describe(error)})`);
  }
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location: `postgres://${where}`, close: () => db.destroy() };
}

/** An error's message without anything that could be a credential (connection strings are cut out). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>').slice(0, 200);
}
