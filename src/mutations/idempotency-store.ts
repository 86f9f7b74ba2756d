import type { GraphQLError } from 'graphql';
import type { Kysely, Selectable } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, opsError, writtenButUnread, type ErrorCode, type ErrorExtensions } from '../errors.js';
import type { IdempotencyRecordTable, StoreSchema } from '../store/schema.js';
import { hashInput, type IdempotencyStore, type IdempotentWrite } from './idempotency.js';
import { UNCOUNTED, type IdempotencyMetrics } from '../observability/metrics.js';

/**
 * Idempotency records in opsgraph's store (embedded SQLite, or PostgreSQL shared by every replica),
 * so a key outlives a restart and holds across processes.
 *
 * A record is written `pending` before the vendor call: the insert of a key that exists fails, so
 * exactly one request (in any process) owns the write. The owner completes it:
 *
 * | the write…                                           | record      | a retry with the key…                                   |
 * | ---------------------------------------------------- | ----------- | ------------------------------------------------------- |
 * | succeeded and was read back                          | `succeeded` | answers the stored result                               |
 * | succeeded, the read-back failed (`written: true`)    | `succeeded` (no result) | reads back again (never a stored error)     |
 * | was refused for good (validation, conflict, …)       | `refused`   | answers the same error                                  |
 * | certainly never reached the vendor (`written: false`) | deleted    | writes                                                  |
 * | may have been applied (`written: "unknown"`)          | `unknown`  | looks for it at the vendor first (the mutation's `Recognition`) |
 *
 * Another request with the key waits (polling the row) while it is `pending`, up to `waitMs`, then
 * answers IDEMPOTENCY_IN_PROGRESS. A `pending` record whose owner's lease ran out (the process died
 * mid-write) is taken over as `unknown`. Every change after the insert compares `version`, so two
 * owners never complete one record.
 */
const FINAL_ERRORS: ReadonlySet<ErrorCode> = new Set(['VALIDATION_FAILED', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNSUPPORTED_OPERATION']);

export interface StoreIdempotencyOptions {
  /** How long a key is remembered (IDEMPOTENCY_WINDOW_MS). */
  windowMs: number;
  /** How long a request waits for another that holds the same key (IDEMPOTENCY_WAIT_MS). */
  waitMs: number;
  /** How long a `pending` owner is trusted: longer than any write may take (the request deadline and a margin). */
  leaseMs: number;
  pollMs?: number;
  now?: () => number;
  /** Where keys sent again are counted (the gateway's metrics); absent, they are not counted. */
  metrics?: IdempotencyMetrics;
  wait?: (ms: number) => Promise<void>;
}

type Row = Selectable<IdempotencyRecordTable>;

export class StoreIdempotencyStore implements IdempotencyStore {
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly pollMs: number;
  private readonly metrics: IdempotencyMetrics;
  private lastSweep = 0;

  constructor(
    private readonly db: Kysely<StoreSchema>,
    private readonly options: StoreIdempotencyOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? ((ms) => sleep(ms).then(() => undefined));
    this.pollMs = options.pollMs ?? 50;
    this.metrics = options.metrics ?? UNCOUNTED;
  }

  async run<R>(w: IdempotentWrite<R>): Promise<R> {
    // `:` cannot occur in a mutation name, so the id is unambiguous (PostgreSQL text cannot hold NUL).
    const id = `${w.mutation}:${w.key}`;
    const inputHash = hashInput(w.input);
    const giveUpAt = this.now() + this.options.waitMs;
    await this.sweep();
    for (;;) {
      const version = await this.insertPending(id, w.mutation, inputHash);
      if (version !== null) return this.execute(w, id, version);
      const row = await this.db.selectFrom('idempotency_record').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) continue;
      if (Number(row.expires_at) <= this.now()) {
        await this.db.deleteFrom('idempotency_record').where('id', '=', id).where('version', '=', row.version).execute();
        continue;
      }
      if (row.input_hash !== inputHash) {
        throw opsError(`idempotencyKey "${w.key}" was already used for ${w.mutation} with a different input`, { code: 'IDEMPOTENCY_CONFLICT', field: 'idempotencyKey' });
      }
      switch (row.state) {
        case 'succeeded':
          this.metrics.idempotencyOutcome(w.mutation, 'replayed');
          if (row.result !== null) return JSON.parse(row.result) as R;
          return this.readBack(w, id);
        case 'refused':
          this.metrics.idempotencyOutcome(w.mutation, 'replayed');
          throw reviveError(row.error);
        case 'unknown': {
          const claimed = await this.claim(id, row);
          if (claimed !== null) return this.counted(w, this.reconcile(w, id, claimed));
          continue;
        }
        case 'pending': {
          if (Number(row.lease_until) <= this.now()) {
            // Its owner is gone (the process stopped mid-write): what it did is unknown.
            const claimed = await this.claim(id, row);
            if (claimed !== null) return this.counted(w, this.reconcile(w, id, claimed));
            continue;
          }
          if (this.now() >= giveUpAt) {
            throw opsError(`idempotencyKey "${w.key}": another request with this key is still writing ${w.mutation}; retry with the same key to get its outcome`, {
              code: 'IDEMPOTENCY_IN_PROGRESS',
              field: 'idempotencyKey',
              idempotencyKey: w.key,
            });
          }
          await this.wait(this.pollMs);
          continue;
        }
      }
    }
  }

  /** Counts a reconciliation (opsgraph_idempotency_replays_total): settled either way, or still unknown. */
  private async counted<R>(w: IdempotentWrite<R>, reconciliation: Promise<R>): Promise<R> {
    try {
      const result = await reconciliation;
      this.metrics.idempotencyOutcome(w.mutation, 'reconciled');
      return result;
    } catch (error) {
      this.metrics.idempotencyOutcome(w.mutation, errorCode(error) === 'OUTCOME_UNKNOWN' ? 'outcome_unknown' : 'reconciled');
      throw error;
    }
  }

  /** Writes as the owner of `version` and completes the record by the outcome. */
  private async execute<R>(w: IdempotentWrite<R>, id: string, version: number): Promise<R> {
    let result: R;
    try {
      result = await w.write();
    } catch (error) {
      await this.completeFailed(id, version, error).catch(() => undefined);
      throw error;
    }
    // A store that fails here leaves the record `pending`: once its lease passes, a retry looks for the write.
    await this.update(id, version, {
      state: 'succeeded',
      result: JSON.stringify(result ?? null),
    }).catch(() => undefined);
    return result;
  }

  /** An `unknown` record this request now owns: look before writing again (docs/gateway.md, "Retrying a mutation"). */
  private async reconcile<R>(w: IdempotentWrite<R>, id: string, version: number): Promise<R> {
    const recognise = w.recognise;
    if (recognise.kind === 'resend') return this.execute(w, id, version);
    if (recognise.kind === 'none') {
      await this.update(id, version, { state: 'unknown' });
      throw outcomeUnknown(w, `opsgraph cannot recognise its own ${w.mutation} at the vendor: ${recognise.check}`);
    }
    let found: R | null;
    try {
      found = await recognise.find();
    } catch (error) {
      if (writtenTrue(error)) {
        // Found, but reading its result back failed: the write stands, the read-back is owed.
        await this.update(id, version, {
          state: 'succeeded',
          result: null,
        }).catch(() => undefined);
        throw error;
      }
      await this.update(id, version, { state: 'unknown' }).catch(() => undefined);
      throw outcomeUnknown(w, `looking for the earlier write at the vendor failed (${error instanceof Error ? error.message : String(error)})`, error);
    }
    if (found === null) return this.execute(w, id, version);
    await this.update(id, version, {
      state: 'succeeded',
      result: JSON.stringify(found ?? null),
    }).catch(() => undefined);
    return found;
  }

  /** A `succeeded` record whose result was never read: read it (find, or the idempotent resend); no ownership needed, nothing new is written. */
  private async readBack<R>(w: IdempotentWrite<R>, id: string): Promise<R> {
    const recognise = w.recognise;
    let result: R | null;
    try {
      if (recognise.kind === 'none') throw opsError(`${w.mutation} was written, but its result cannot be read again: ${recognise.check}`, { code: 'NOT_FOUND' });
      result = recognise.kind === 'find' ? await recognise.find() : await w.write();
    } catch (error) {
      throw writtenTrue(error) ? error : writtenButUnread(error);
    }
    if (result === null) throw opsError(`${w.mutation} with idempotencyKey "${w.key}" was written, but the vendor no longer has it (changed since?)`, { code: 'NOT_FOUND', written: true });
    await this.db
      .updateTable('idempotency_record')
      .set({ result: JSON.stringify(result ?? null), updated_at: this.now() })
      .where('id', '=', id)
      .where('state', '=', 'succeeded')
      .where('result', 'is', null)
      .execute()
      .catch(() => undefined);
    return result;
  }

  private async completeFailed(id: string, version: number, error: unknown): Promise<void> {
    const code = errorCode(error);
    const written = (error as { extensions?: { written?: unknown } } | null)?.extensions?.written;
    if (written === true) return this.update(id, version, { state: 'succeeded', result: null });
    if (code !== undefined && FINAL_ERRORS.has(code))
      return this.update(id, version, {
        state: 'refused',
        error: JSON.stringify(errorJson(error)),
      });
    if (written === 'unknown' || code === 'OUTCOME_UNKNOWN') return this.update(id, version, { state: 'unknown' });
    // Certainly not written (`written: false`), or failed before any write (a read the write needed):
    // forget the key, so a retry writes.
    await this.db.deleteFrom('idempotency_record').where('id', '=', id).where('version', '=', version).execute();
  }

  private async insertPending(id: string, mutation: string, inputHash: string): Promise<number | null> {
    const now = this.now();
    const inserted = await this.db
      .insertInto('idempotency_record')
      .values({
        id,
        mutation,
        input_hash: inputHash,
        state: 'pending',
        version: 1,
        result: null,
        error: null,
        created_at: now,
        updated_at: now,
        lease_until: now + this.options.leaseMs,
        expires_at: now + this.options.windowMs,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1 ? 1 : null;
  }

  /** Takes over a record as its new owner: its new version, or null when another request took it first. */
  private async claim(id: string, row: Row): Promise<number | null> {
    const now = this.now();
    const next = row.version + 1;
    const updated = await this.db
      .updateTable('idempotency_record')
      .set({
        state: 'pending',
        version: next,
        lease_until: now + this.options.leaseMs,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1 ? next : null;
  }

  private async update(id: string, version: number, change: Partial<Pick<Row, 'state' | 'result' | 'error'>>): Promise<void> {
    await this.db
      .updateTable('idempotency_record')
      .set({ ...change, updated_at: this.now() })
      .where('id', '=', id)
      .where('version', '=', version)
      .execute();
  }

  /** Drops expired records, at most once a minute per process (expired ones are also ignored when read). */
  private async sweep(): Promise<void> {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    await this.db
      .deleteFrom('idempotency_record')
      .where('expires_at', '<=', now)
      .execute()
      .catch(() => undefined);
  }
}

function writtenTrue(error: unknown): boolean {
  return (error as { extensions?: { written?: unknown } } | null)?.extensions?.written === true;
}

function errorJson(error: unknown): {
  message: string;
  extensions: Record<string, unknown>;
} {
  const message = error instanceof Error ? error.message : String(error);
  return {
    message,
    extensions: { ...((error as GraphQLError).extensions ?? {}) },
  };
}

function reviveError(json: string | null): GraphQLError {
  const parsed = json
    ? (JSON.parse(json) as { message: string; extensions: ErrorExtensions })
    : {
        message: 'the earlier write was refused',
        extensions: { code: 'VALIDATION_FAILED' as const },
      };
  return opsError(parsed.message, parsed.extensions);
}

/** The client must not take it for a failure nor write blindly: says the key and what to check. */
function outcomeUnknown(w: IdempotentWrite<unknown>, why: string, cause?: unknown): GraphQLError {
  const causeExt = (cause as GraphQLError | undefined)?.extensions;
  return opsError(
    `${w.mutation}: the outcome of the earlier write with idempotencyKey "${w.key}" is unknown: ${why}. Retry later with the same key (opsgraph looks again before writing), or check at the vendor.`,
    {
      code: 'OUTCOME_UNKNOWN',
      ...(typeof causeExt?.vendor === 'string' ? { vendor: causeExt.vendor as never } : {}),
      written: 'unknown',
      idempotencyKey: w.key,
    },
  );
}
