import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Idempotency keys for mutations: the contract every store keeps (see idempotency-store.ts for the
 * durable one in opsgraph's store). Within the window, the same key with the same input answers
 * the first outcome without writing again; the same key with another input is refused with
 * IDEMPOTENCY_CONFLICT; two concurrent requests with one key share one write (the second waits for
 * the first). Keys are scoped by mutation name, so one key cannot collide across mutations.
 */

/**
 * How a mutation recognises its own earlier write at the vendor when the outcome of that write is
 * unknown (its answer was lost). docs/gateway.md "Retrying a mutation" lists the choice per mutation.
 */
export type Recognition<R> =
  /** The vendor turns the same write sent twice into the same state (an upsert by an id derived from the key, a PATCH of the same fields): sending it again is the look. */
  | { kind: 'resend' }
  /**
   * Looks for the write at the vendor: its result when it is there, null when it is certainly not;
   * throws when it cannot tell. (Never bounded by our clock: a vendor's clock may differ by hours.)
   */
  | { kind: 'find'; find(): Promise<R | null> }
  /** Nothing the vendor keeps tells this write apart: an unknown outcome stays unknown, and `check` says what to look at. */
  | { kind: 'none'; check: string };

export interface IdempotentWrite<R> {
  mutation: string;
  key: string;
  /** The GraphQL input (the key itself is left out of its hash). */
  input: unknown;
  /** Makes the write and reads its result back. */
  write(): Promise<R>;
  recognise: Recognition<R>;
}

export interface IdempotencyStore {
  run<R>(write: IdempotentWrite<R>): Promise<R>;
}

/** An idempotency key: what the store and the vendor markers accept (one rule, checked before any call). */
export const IDEMPOTENCY_KEY_MAX = 200;
export const idempotencyKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(IDEMPOTENCY_KEY_MAX, `must be at most ${IDEMPOTENCY_KEY_MAX} characters`)
  // C0, DEL and C1 controls: they would break logs, vendor notes and the messages that quote the key.
  .refine((key) => !/[\u0000-\u001f\u007f-\u009f]/.test(key), 'must not contain control characters');

/** A stable hash of the input: key order does not matter, the idempotency key itself is left out. */
export function hashInput(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => k !== 'idempotencyKey' && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
