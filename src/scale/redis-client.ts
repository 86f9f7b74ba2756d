import { Redis } from 'ioredis';

/**
 * The Redis connection a replica uses for shared budgets and invalidations. Commands fail fast when
 * Redis is away (no offline queue, no per-command retries, a short command timeout) so a caller falls
 * back at once instead of waiting; ioredis keeps reconnecting in the background.
 */
export function connectRedis(url: string, name: string): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(1_000, 50 * attempt),
    lazyConnect: true,
  });
  // Connection errors surface on the commands that fail; the 'error' event must not crash the process.
  redis.on('error', () => undefined);
  return redis;
}

export class RedisUrlError extends Error {}

/** Checks REDIS_URL at start: a malformed or unreachable URL stops the process naming the setting. */
export async function openRedis(url: string, name: string): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisUrlError('REDIS_URL: not a valid redis:// URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new RedisUrlError('REDIS_URL: not a valid redis:// URL');
  const redis = connectRedis(url, name);
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    redis.disconnect();
    throw new RedisUrlError(`REDIS_URL: cannot connect to Redis at ${parsed.hostname}:${parsed.port || '6379'}`);
  }
  return redis;
}
