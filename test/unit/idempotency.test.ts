import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorCode, opsError, writtenButUnread } from '../../src/errors.js';
import { idempotencyKeySchema, type IdempotentWrite, type Recognition } from '../../src/mutations/idempotency.js';
import { StoreIdempotencyStore, type StoreIdempotencyOptions } from '../../src/mutations/idempotency-store.js';
import { openStore, type Store } from '../../src/store/index.js';

/** The durable store over a real embedded SQLite file, on a simulated clock (waits advance it). */
let store: Store;
let dir: string;
let clock: number;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'opsgraph-idem-'));
  store = await openStore({ dataDir: dir, databaseUrl: null });
  clock = 1_000_000;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function records(options: Partial<StoreIdempotencyOptions> = {}): StoreIdempotencyStore {
  return new StoreIdempotencyStore(store.db, {
    windowMs: 60_000,
    waitMs: 1_000,
    leaseMs: 30_000,
    pollMs: 10,
    now: () => clock,
    wait: async (ms) => {
      clock += ms;
      await new Promise((r) => setImmediate(r));
    },
    ...options,
  });
}

function w<R>(key: string, input: unknown, write: () => Promise<R>, recognise: Recognition<R> = { kind: 'none', check: 'look at the vendor' }, mutation = 'createThing'): IdempotentWrite<R> {
  return { mutation, key, input, write, recognise };
}

const lost = () =>
  opsError('isolocity: POST /inspections: request failed (UND_ERR_SOCKET): the write was sent but its answer was lost', { code: 'OUTCOME_UNKNOWN', vendor: 'isolocity', written: 'unknown' });

describe('idempotency records in the store', () => {
  it('answers a retry with the same key and input from the record, writing once', async () => {
    const s = records();
    let writes = 0;
    const write = async () => ({ id: ++writes });
    expect(await s.run(w('k1', { a: 1, b: 2 }, write))).toEqual({ id: 1 });
    expect(await s.run(w('k1', { b: 2, a: 1 }, write))).toEqual({ id: 1 });
    expect(writes).toBe(1);
  });

  it('keeps the record across a restart (a new store object on the same database)', async () => {
    let writes = 0;
    await records().run(w('k', {}, async () => ++writes));
    expect(await records().run(w('k', {}, async () => ++writes))).toBe(1);
    expect(writes).toBe(1);
  });

  it('refuses the same key with a different input', async () => {
    const s = records();
    await s.run(w('k1', { a: 1 }, async () => 'ok'));
    const error = await s.run(w('k1', { a: 2 }, async () => 'no')).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('shares one write between concurrent requests with the same key', async () => {
    const s = records({ wait: (ms) => new Promise((r) => setTimeout(r, ms)) });
    let writes = 0;
    const write = () => new Promise<number>((resolve) => setTimeout(() => resolve(++writes), 30));
    const results = await Promise.all(Array.from({ length: 5 }, () => s.run(w('k', { q: 1 }, write))));
    expect(results).toEqual([1, 1, 1, 1, 1]);
    expect(writes).toBe(1);
  });

  it('a request that waited too long for another holding the key answers IDEMPOTENCY_IN_PROGRESS', async () => {
    const s = records();
    let release!: () => void;
    const first = s.run(w('k', {}, () => new Promise<string>((r) => (release = () => r('done')))));
    await new Promise((r) => setImmediate(r));
    const second = await s.run(w('k', {}, async () => 'second')).catch((e: unknown) => e);
    expect(errorCode(second)).toBe('IDEMPOTENCY_IN_PROGRESS');
    release();
    expect(await first).toBe('done');
  });

  it('forgets a failure that certainly wrote nothing, but remembers a final refusal', async () => {
    const s = records();
    let calls = 0;
    await s
      .run(
        w('transient', {}, async () => {
          calls++;
          throw opsError('down', {
            code: 'VENDOR_UNAVAILABLE',
            written: false,
          });
        }),
      )
      .catch(() => undefined);
    await s.run(w('transient', {}, async () => ++calls));
    expect(calls).toBe(2);

    let validations = 0;
    const invalid = async () => {
      validations++;
      throw opsError('bad', {
        code: 'VALIDATION_FAILED',
        field: 'input.number',
      });
    };
    const first = await s.run(w('invalid', {}, invalid)).catch((e: unknown) => e);
    const again = await s.run(w('invalid', {}, invalid)).catch((e: unknown) => e);
    expect(validations).toBe(1);
    expect((again as { extensions: unknown }).extensions).toEqual((first as { extensions: unknown }).extensions);
  });

  it('scopes keys by mutation and expires them after the window', async () => {
    const s = records({ windowMs: 50 });
    let writes = 0;
    await s.run(w('k', {}, async () => ++writes, undefined, 'a'));
    await s.run(w('k', {}, async () => ++writes, undefined, 'b'));
    expect(writes).toBe(2);
    clock += 80;
    await s.run(w('k', {}, async () => ++writes, undefined, 'a'));
    expect(writes).toBe(3);
  });
});

describe('an unknown outcome is looked for before anything is written again', () => {
  it('found at the vendor: the retry answers it and completes the record, writing nothing', async () => {
    const s = records();
    let writes = 0;
    let finds = 0;
    const recognise: Recognition<string> = {
      kind: 'find',
      find: async () => (++finds, 'the first write'),
    };
    const first = await s.run(w('k', {}, async () => (writes++, Promise.reject(lost())), recognise)).catch((e: unknown) => e);
    expect(errorCode(first)).toBe('OUTCOME_UNKNOWN');
    expect(await s.run(w('k', {}, async () => `write ${++writes}`, recognise))).toBe('the first write');
    expect(await s.run(w('k', {}, async () => `write ${++writes}`, recognise))).toBe('the first write');
    expect({ writes, finds }).toEqual({ writes: 1, finds: 1 });
  });

  it('certainly absent: the retry writes', async () => {
    const s = records();
    let writes = 0;
    const recognise: Recognition<string> = {
      kind: 'find',
      find: async () => null,
    };
    await s.run(w('k', {}, async () => (writes++, Promise.reject(lost())), recognise)).catch(() => undefined);
    expect(await s.run(w('k', {}, async () => `write ${++writes}`, recognise))).toBe('write 2');
  });

  it('cannot tell (the vendor is down): OUTCOME_UNKNOWN with the key, and nothing written', async () => {
    const s = records();
    let writes = 0;
    const recognise: Recognition<string> = {
      kind: 'find',
      find: async () =>
        Promise.reject(
          opsError('isolocity: down', {
            code: 'VENDOR_UNAVAILABLE',
            vendor: 'isolocity',
          }),
        ),
    };
    await s.run(w('k', {}, async () => (writes++, Promise.reject(lost())), recognise)).catch(() => undefined);
    const again = await s.run(w('k', {}, async () => `write ${++writes}`, recognise)).catch((e: unknown) => e);
    expect(writes).toBe(1);
    expect((again as { extensions: unknown }).extensions).toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      written: 'unknown',
      idempotencyKey: 'k',
      vendor: 'isolocity',
    });
  });

  it('a mutation that cannot recognise its write stays OUTCOME_UNKNOWN and never writes twice', async () => {
    const s = records();
    let writes = 0;
    await s.run(w('k', {}, async () => (writes++, Promise.reject(lost())))).catch(() => undefined);
    for (let i = 0; i < 3; i++) expect(errorCode(await s.run(w('k', {}, async () => ++writes)).catch((e: unknown) => e))).toBe('OUTCOME_UNKNOWN');
    expect(writes).toBe(1);
  });

  it('a pending record whose owner died (lease passed) is looked for, not written blindly', async () => {
    const s = records();
    let release!: () => void;
    void s.run(w('k', {}, () => new Promise<string>((r) => (release = () => r('never stored')))));
    await new Promise((r) => setImmediate(r));
    clock += 31_000;
    let writes = 0;
    expect(
      await s.run(
        w('k', {}, async () => `write ${++writes}`, {
          kind: 'find',
          find: async () => 'found',
        }),
      ),
    ).toBe('found');
    expect(writes).toBe(0);
    release();
  });
});

describe('a write whose read-back failed', () => {
  it('is succeeded: the retry reads back again instead of replaying a stored error, and never writes', async () => {
    const s = records();
    let writes = 0;
    let reads = 0;
    const readBack = () =>
      ++reads === 1
        ? Promise.reject(
            opsError('pharus: summary timed out', {
              code: 'VENDOR_TIMEOUT',
              vendor: 'pharus',
            }),
          )
        : Promise.resolve('levels');
    const recognise: Recognition<string> = { kind: 'find', find: readBack };
    const first = await s
      .run(
        w(
          'k',
          {},
          async () => (
            writes++,
            Promise.reject(
              writtenButUnread(
                opsError('pharus: summary timed out', {
                  code: 'VENDOR_TIMEOUT',
                  vendor: 'pharus',
                }),
              ),
            )
          ),
          recognise,
        ),
      )
      .catch((e: unknown) => e);
    expect((first as { extensions: unknown }).extensions).toMatchObject({
      code: 'VENDOR_TIMEOUT',
      written: true,
    });
    const second = await s.run(w('k', {}, async () => `write ${++writes}`, recognise)).catch((e: unknown) => e);
    expect((second as { extensions: unknown }).extensions).toMatchObject({
      written: true,
    });
    expect(await s.run(w('k', {}, async () => `write ${++writes}`, recognise))).toBe('levels');
    expect(await s.run(w('k', {}, async () => `write ${++writes}`, recognise))).toBe('levels');
    expect({ writes, reads }).toEqual({ writes: 1, reads: 2 });
  });
});

describe('idempotency key format', () => {
  it('accepts up to 200 printable characters and refuses longer keys and control characters', () => {
    expect(idempotencyKeySchema.safeParse('order-2026-12-02/ä✓').success).toBe(true);
    expect(idempotencyKeySchema.safeParse('k'.repeat(200)).success).toBe(true);
    expect(idempotencyKeySchema.safeParse('k'.repeat(201)).success).toBe(false);
    expect(idempotencyKeySchema.safeParse('a\nb').success).toBe(false);
    expect(idempotencyKeySchema.safeParse('a\u0000b').success).toBe(false);
    expect(idempotencyKeySchema.safeParse('').success).toBe(false);
  });
});
