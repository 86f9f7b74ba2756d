import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, StoreOpenError, StoreSchemaError, SQLITE_FILE_NAME } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations/index.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const temp = () => mkdtempSync(path.join(tmpdir(), 'opsgraph-store-'));

async function migrationNames(store: Awaited<ReturnType<typeof openStore>>): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from opsgraph_migration order by name`.execute(store.db);
  return rows.rows.map((r) => r.name);
}

describe('embedded store (SQLite under OPSGRAPH_DATA_DIR)', () => {
  it('is created with zero set-up in the data directory, migrated to the newest schema', async () => {
    const dir = path.join(temp(), 'nested', 'data');
    const store = await openStore({ dataDir: dir, databaseUrl: null });
    expect(store.dialect).toBe('sqlite');
    expect(store.location).toBe(path.join(dir, SQLITE_FILE_NAME));
    expect(await migrationNames(store)).toEqual(Object.keys(migrations));
    await store.db.insertInto('store_meta').values({ key: 'k', value: 'v' }).execute();
    await store.close();
    // Reopening keeps the data and runs no migration twice.
    const again = await openStore({ dataDir: dir, databaseUrl: null });
    expect(await again.db.selectFrom('store_meta').selectAll().execute()).toEqual([{ key: 'k', value: 'v' }]);
    expect(await migrationNames(again)).toEqual(Object.keys(migrations));
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a data directory that cannot hold the store stops the start naming OPSGRAPH_DATA_DIR', async () => {
    const file = path.join(temp(), 'not-a-dir');
    writeFileSync(file, 'x');
    const error = await openStore({ dataDir: file, databaseUrl: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(/^OPSGRAPH_DATA_DIR: /);
  });

  it('a store written by a newer opsgraph (an unknown migration) is refused with a clear message', async () => {
    const dir = temp();
    const store = await openStore({ dataDir: dir, databaseUrl: null });
    await sql`insert into opsgraph_migration (name, timestamp) values ('9999_from_the_future', '2030-01-01T00:00:00Z')`.execute(store.db);
    await store.close();
    const error = await openStore({ dataDir: dir, databaseUrl: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreSchemaError);
    expect((error as Error).message).toContain('9999_from_the_future');
    expect((error as Error).message).toContain('upgrade this replica');
  });
});

describe('PostgreSQL store (DATABASE_URL), real server', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('runs the same migrations, once, when several replicas open the store at the same moment', async () => {
    const url = await pg.createDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openStore({ dataDir: '/nonexistent', databaseUrl: url })));
    for (const store of stores) expect(store.dialect).toBe('postgres');
    expect(await migrationNames(stores[0]!)).toEqual(Object.keys(migrations));
    await stores[0]!.db.insertInto('store_meta').values({ key: 'shared', value: '1' }).execute();
    expect(await stores[2]!.db.selectFrom('store_meta').selectAll().execute()).toEqual([{ key: 'shared', value: '1' }]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('an unreachable DATABASE_URL stops the start naming the setting, never echoing the password', async () => {
    const error = await openStore({ dataDir: '/x', databaseUrl: 'postgres://app:s3cret-pw@127.0.0.1:1/db' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(/^DATABASE_URL: cannot connect/);
    expect((error as Error).message).not.toContain('s3cret-pw');
  });

  it('a malformed DATABASE_URL is refused naming the setting', async () => {
    const error = await openStore({ dataDir: '/x', databaseUrl: 'mysql://u:pw@h/db' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('DATABASE_URL: not a valid postgres:// connection string');
  });
});
