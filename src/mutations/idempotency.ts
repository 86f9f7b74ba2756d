import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { errorCode, opsError, type ErrorCode } from '../errors.js';
import { metrics } from '../observability/metrics.js';

/**
 * Idempotency keys for mutations. Within the window, the same key with the same input returns the
 * first outcome without writing again; the same key with another input is refused with
 * IDEMPOTENCY_CONFLICT; two concurrent requests with one key share one write (the second waits for
 * the first). Keys are scoped by mutation name, so one key cannot collide across mutations.
 *
 * What is remembered: successes; errors that say the write did not happen and would not happen on
 * a retry (validation, not found, conflict, forbidden); and errors marked `written: true` (the write
 * happened, only reading the result back failed). Errors that leave the outcome unknown or
 * transient (timeouts, unavailable, rate limited) are forgotten, so that the integration's retry
 * tries again.
 */
const FINAL_ERRORS: ReadonlySet<ErrorCode> = new Set(['VALIDATION_FAILED', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNSUPPORTED_OPERATION']);

interface Entry {
  inputHash: string;
  outcome: Promise<unknown>;
}

/** The store behind the keys: in memory per process; a shared store (Redis) can implement the same. */
export interface IdempotencyStore {
  run<T>(mutation: string, key: string, input: unknown, write: () => Promise<T>): Promise<T>;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private entries: LRUCache<string, Entry>;

  constructor(windowMs: number, maxEntries = 100_000) {
    this.entries = new LRUCache<string, Entry>({ max: maxEntries, ttl: windowMs });
  }

  run<T>(mutation: string, key: string, input: unknown, write: () => Promise<T>): Promise<T> {
    const id = `${mutation}\u0000${key}`;
    const inputHash = hashInput(input);
    const existing = this.entries.get(id);
    if (existing) {
      if (existing.inputHash !== inputHash) {
        return Promise.reject(
          opsError(`idempotencyKey "${key}" was already used for ${mutation} with a different input`, { code: 'IDEMPOTENCY_CONFLICT', field: 'idempotencyKey' }),
        );
      }
      metrics.idempotencyReplay(mutation);
      return existing.outcome as Promise<T>;
    }
    const outcome = write();
    this.entries.set(id, { inputHash, outcome });
    outcome.catch((error: unknown) => {
      const code = errorCode(error);
      if (!code || (!FINAL_ERRORS.has(code) && !wasWritten(error))) {
        // Only forget our own entry (a later write with the same key may have replaced it).
        if (this.entries.get(id)?.outcome === outcome) this.entries.delete(id);
      }
    });
    return outcome;
  }
}

/** A stable hash of the input: key order does not matter, the idempotency key itself is left out. */
export function hashInput(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => k !== 'idempotencyKey' && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A write that happened although the mutation failed afterwards (see `writtenButUnread`). */
function wasWritten(error: unknown): boolean {
  return (error as { extensions?: { written?: unknown } } | null)?.extensions?.written === true;
}
