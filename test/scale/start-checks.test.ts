import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { cleanEnv, startGatewayProcess } from '../support/gateway-process.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

/**
 * What a replica does at start when what it shares with the others is wrong: the real process
 * (`src/main.ts`), as a user starts it, stops with exit code 1 and a message naming the setting,
 * never printing the value (it holds a password). The store's own checks are tested closer in
 * test/store/store.test.ts and test/scale/redis-call-window.test.ts.
 */
let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

/** Starts opsgraph with one (unreachable) vendor and `extra`; resolves with its exit code and output once it stops. */
async function startExpectingRefusal(extra: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const env = cleanEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    AUTH: 'none',
    DISTRU_BASE_URL: 'http://127.0.0.1:9',
    DISTRU_TOKEN: 'distru-token',
    OPSGRAPH_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'opsgraph-start-')),
    ...extra,
  });
  // A refusal ends the process, so the wait is only a bound for a process that hangs; it is long because
  // five processes transpile src/ with tsx at once, which takes minutes on a loaded 2-core machine.
  const started = await startGatewayProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], env, 240_000).then(
    async (gateway) => {
      await gateway.kill();
      return null;
    },
    (error: unknown) => error as Error,
  );
  expect(started, 'the gateway started').toBeInstanceOf(Error);
  const output = started?.message ?? '';
  const code = /exited \((\d+)\)/.exec(output)?.[1];
  return { code: code === undefined ? null : Number(code), output };
}

// Concurrent: each case is its own process, and most of its time is the start-up.
describe.concurrent('a replica refuses to start on a bad shared setting, naming it, never echoing it', () => {
  it('a malformed DATABASE_URL', async () => {
    const { code, output } = await startExpectingRefusal({ DATABASE_URL: 'mysql://app:s3cret-pw@db.internal/opsgraph' });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL: not a valid postgres:// connection string');
    expect(output).not.toContain('s3cret-pw');
  }, 300_000);

  it('an unreachable DATABASE_URL', async () => {
    const { code, output } = await startExpectingRefusal({ DATABASE_URL: 'postgres://app:s3cret-pw@127.0.0.1:1/opsgraph' });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1/opsgraph');
    expect(output).not.toContain('s3cret-pw');
  }, 300_000);

  it('a malformed REDIS_URL', async () => {
    const { code, output } = await startExpectingRefusal({ REDIS_URL: 'http://:hunter2-pw@cache.internal:6379' });
    expect(code).toBe(1);
    expect(output).toContain('REDIS_URL: not a valid redis:// URL');
    expect(output).not.toContain('hunter2-pw');
  }, 300_000);

  it('an unreachable REDIS_URL', async () => {
    const { code, output } = await startExpectingRefusal({ REDIS_URL: 'redis://:hunter2-pw@127.0.0.1:1' });
    expect(code).toBe(1);
    expect(output).toContain('REDIS_URL: cannot connect to Redis at 127.0.0.1:1');
    expect(output).not.toContain('hunter2-pw');
  }, 300_000);

  it('a shared store already migrated by a newer opsgraph: this older replica refuses, and the store is left as it was', async () => {
    const databaseUrl = await postgres.createDatabase();
    const store = await openStore({ dataDir: '/nonexistent', databaseUrl });
    await store.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`insert into opsgraph_migration (name, timestamp) values ('9999_from_a_newer_opsgraph', '2030-01-01T00:00:00Z')`);
      const before = (await client.query<{ name: string }>('select name from opsgraph_migration order by name')).rows;
      const { code, output } = await startExpectingRefusal({ DATABASE_URL: databaseUrl });
      expect(code).toBe(1);
      expect(output).toContain("the store's schema is newer than this opsgraph (it has migration 9999_from_a_newer_opsgraph, unknown here): upgrade this replica");
      expect((await client.query<{ name: string }>('select name from opsgraph_migration order by name')).rows).toEqual(before);
    } finally {
      await client.end();
    }
  }, 300_000);
});
