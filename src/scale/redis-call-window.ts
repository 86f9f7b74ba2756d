import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CallPriority, CallWindow, WindowGrant } from './call-window.js';
import { ShareWindow } from './share-window.js';

/**
 * One sliding window per vendor in Redis, shared by every replica: a sorted set of grant times, read
 * and written by one Lua script so that checking and taking a slot is atomic. rate-limiter-flexible's
 * Redis limiters count fixed windows, which let 2×limit calls straddle a window edge; the vendor's
 * guidance is about any 1-second span, hence the script.
 *
 * Time comes from the Redis server (TIME), so replicas with skewed clocks still share one timeline.
 * Interactive calls go first across replicas: an interactive caller that is refused leaves a short
 * "hold" that makes background callers (the sync) wait until it has had its slot.
 *
 * When Redis cannot be reached (the connection is down, or it has answered nothing for
 * SLOW_IS_GONE_MS) the replica keeps serving on its share of the budget (share-window.ts: after one
 * quiet window, turns on the wall clock, about limit ÷ expected replicas each), so the sum over
 * replicas stays within the vendor's budget. A Redis that is merely slow is waited for, not left:
 * the other replicas may still be using the whole shared budget. When Redis answers again, the last
 * call made meanwhile is written into the shared window first.
 */
// A call's score is when it stops counting minus the window: while it is in flight it counts (score
// in the future, capped by maxHold should its release be lost); once released it counts for one more
// window from its answer, the latest moment the vendor can have counted it (as the local scheduler).
const TAKE_SCRIPT = `
local key = KEYS[1]
local hold = KEYS[2]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local member = ARGV[3]
local interactive = ARGV[4] == 'interactive'
local maxHold = tonumber(ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 6, #ARGV do
  redis.call('ZADD', key, now - tonumber(ARGV[i]), member .. ':b' .. i)
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if not interactive then
  local held = redis.call('PTTL', hold)
  if held > 0 then return {held, now} end
end
if count < limit then
  redis.call('ZADD', key, now + maxHold, member)
  redis.call('PEXPIRE', key, window + maxHold * 2)
  if interactive then redis.call('DEL', hold) end
  return {0, now}
end
-- The next slot frees a window after the oldest answered call; calls still in flight free theirs
-- when answered, which nobody can predict: then ask again shortly.
local oldest = redis.call('ZRANGEBYSCORE', key, '-inf', now, 'WITHSCORES', 'LIMIT', 0, 1)
local wait = 25
if #oldest > 0 then wait = tonumber(oldest[2]) + window - now end
if wait < 1 then wait = 1 end
-- Held until an interactive caller is granted (or one window passes, should it give up).
if interactive then redis.call('SET', hold, '1', 'PX', math.min(wait, window) + window) end
return {wait, now}
`;

const RELEASE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return now
`;

/** A call still in flight after this long stops counting (its release was lost with Redis). */
const MAX_HOLD_MS = 30_000;
/**
 * A command that times out while the connection is up (Redis busy, or this process's event loop
 * stalled past the command timeout under load) is asked again after this long, for up to
 * SLOW_IS_GONE_MS; only then does the replica fall back to its share.
 */
const SLOW_RETRY_MS = 50;
const SLOW_IS_GONE_MS = 3_000;

/** ioredis rejects a command that outlives `commandTimeout` with this message. */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Command timed out';
}

export interface RedisCallWindowOptions {
  redis: Redis;
  vendor: string;
  limit: number;
  windowMs: number;
  /** How many replicas share the budget when Redis is unreachable (OPSGRAPH_REPLICAS). */
  expectedReplicas: number;
  /** This replica's turn among them (0-based; see share-window.ts). */
  replicaIndex: number;
  /** Told when this replica leaves or rejoins the shared budget (for the log and /readyz). */
  onModeChange?: (mode: 'shared' | 'fallback', reason?: string) => void;
  now?: () => number;
}

export class RedisCallWindow implements CallWindow {
  private readonly fallback: ShareWindow;
  private current: 'shared' | 'fallback' = 'shared';
  private readonly id = randomUUID();
  private sequence = 0;
  /** When commands began timing out on a live connection (null: they answer). */
  private slowSince: number | null = null;
  /** Redis server time (ms) of this replica's last shared grant: what the shared window recorded. */
  lastGrantAt: number | null = null;

  constructor(private readonly options: RedisCallWindowOptions) {
    this.fallback = new ShareWindow(options.limit, options.windowMs, Math.max(1, options.expectedReplicas), options.replicaIndex, options.now);
  }

  async take(priority: CallPriority): Promise<WindowGrant> {
    const { redis, vendor, limit, windowMs } = this.options;
    const member = `${this.id}:${++this.sequence}`;
    const lastAge = this.current === 'fallback' ? this.fallback.lastGrantAgeMs() : null;
    const backfill = lastAge !== null && lastAge < windowMs ? [String(Math.round(lastAge))] : [];
    try {
      const [wait, at] = (await redis.eval(
        TAKE_SCRIPT,
        2,
        `opsgraph:budget:${vendor}`,
        `opsgraph:budget:${vendor}:hold`,
        String(limit),
        String(windowMs),
        member,
        priority,
        String(MAX_HOLD_MS),
        ...backfill,
      )) as [number, number];
      this.slowSince = null;
      this.setMode('shared');
      this.lastGrantAt = wait === 0 ? at : this.lastGrantAt;
      return wait === 0 ? { granted: true, release: () => this.release(member) } : { granted: false, retryInMs: wait };
    } catch (error) {
      const now = (this.options.now ?? Date.now)();
      if (this.current === 'shared' && isTimeout(error) && this.options.redis.status === 'ready') {
        // Slow is not gone: the other replicas may still be taking the whole shared budget, so a
        // local share now could exceed it. The script may yet run: take back what it would record
        // (same connection, so after it), and ask again — until Redis has been silent too long.
        this.slowSince ??= now;
        redis.zrem(`opsgraph:budget:${vendor}`, member).catch(() => undefined);
        if (now - this.slowSince < SLOW_IS_GONE_MS) return { granted: false, retryInMs: SLOW_RETRY_MS };
      }
      this.slowSince = null;
      this.setMode('fallback', error instanceof Error ? error.message : String(error));
      return this.fallback.takeNow();
    }
  }

  /** The call has been answered: from now it counts for one more window. */
  private release(member: string): void {
    const { redis, vendor } = this.options;
    // Redis away: the call stops counting after MAX_HOLD_MS, and this replica is on its share meanwhile.
    redis.eval(RELEASE_SCRIPT, 1, `opsgraph:budget:${vendor}`, member).catch(() => undefined);
  }

  /** 'fallback' as soon as the connection is down, even before this replica next calls the vendor. */
  mode(): 'shared' | 'fallback' {
    return this.current === 'fallback' || this.options.redis.status !== 'ready' ? 'fallback' : 'shared';
  }

  async close(): Promise<void> {}

  private setMode(mode: 'shared' | 'fallback', reason?: string): void {
    if (mode === this.current) return;
    this.current = mode;
    if (mode === 'fallback') this.fallback.quietUntil((this.options.now ?? Date.now)() + this.options.windowMs);
    this.options.onModeChange?.(mode, reason);
  }
}
