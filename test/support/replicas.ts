import type { Sandboxes } from '../../sandbox/index.js';
import { sandboxConnections } from '../../src/server/sandbox-wiring.js';
import { cleanEnv, startGatewayProcess, type GatewayProcess } from './gateway-process.js';

/**
 * Gateway replicas as deploy/compose.yaml runs them, for tests: real processes started the way a user
 * starts one (`src/main.ts` through tsx), each with the same settings — one PostgreSQL store, one
 * Redis, the sandboxes that were started — and nothing inherited from the test runner.
 */
export function replicaEnv(sandboxes: Sandboxes, shared: { databaseUrl: string; redisUrl: string; replicas: number }, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    AUTH: 'none',
    LOG_LEVEL: 'warn',
    DATABASE_URL: shared.databaseUrl,
    REDIS_URL: shared.redisUrl,
    OPSGRAPH_REPLICAS: String(shared.replicas),
  };
  for (const [vendor, connection] of Object.entries(sandboxConnections(sandboxes))) {
    env[`${vendor}_BASE_URL`] = connection.baseUrl;
    env[`${vendor}_TOKEN`] = connection.token;
    if (connection.orgId) env[`${vendor}_ORG_ID`] = connection.orgId;
  }
  return { ...env, ...extra };
}

/**
 * Starts `count` replicas into `into` (so that afterAll kills whatever started, even when one fails).
 * `together`: all at once, as `docker compose up` does (the first to reach the store migrates it under
 * Kysely's migration lock, the others wait for it); otherwise one after another. `readyWithinMs`: how
 * long each may take to print its ready line (several TypeScript processes starting at once on a
 * loaded machine take longer than one).
 */
export async function startReplicas(count: number, env: Record<string, string>, into: GatewayProcess[], options: { together: boolean; readyWithinMs?: number }): Promise<void> {
  const start = () => startGatewayProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], cleanEnv(env), options.readyWithinMs);
  if (!options.together) {
    for (let i = 0; i < count; i++) into.push(await start());
    return;
  }
  const started = await Promise.allSettled(Array.from({ length: count }, start));
  for (const result of started) if (result.status === 'fulfilled') into.push(result.value);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
