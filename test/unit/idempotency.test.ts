import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../../src/mutations/idempotency.js';
import { errorCode, opsError } from '../../src/errors.js';

describe('idempotency store', () => {
  it('returns the first outcome for a retry with the same key and input, writing once', async () => {
    const store = new MemoryIdempotencyStore(60_000);
    let writes = 0;
    const write = async () => ({ id: ++writes });
    const first = await store.run('createNcr', 'k1', { a: 1, b: 2 }, write);
    const again = await store.run('createNcr', 'k1', { b: 2, a: 1 }, write);
    expect(first).toEqual({ id: 1 });
    expect(again).toEqual({ id: 1 });
    expect(writes).toBe(1);
  });

  it('refuses the same key with a different input', async () => {
    const store = new MemoryIdempotencyStore(60_000);
    await store.run('createNcr', 'k1', { a: 1 }, async () => 'ok');
    const error = await store.run('createNcr', 'k1', { a: 2 }, async () => 'no').catch((e: unknown) => e);
    expect(errorCode(error)).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('shares one write between concurrent requests with the same key', async () => {
    const store = new MemoryIdempotencyStore(60_000);
    let writes = 0;
    const write = () => new Promise<number>((resolve) => setTimeout(() => resolve(++writes), 20));
    const results = await Promise.all(Array.from({ length: 5 }, () => store.run('adjustInventory', 'k', { q: 1 }, write)));
    expect(results).toEqual([1, 1, 1, 1, 1]);
    expect(writes).toBe(1);
  });

  it('forgets a transient failure so that a retry writes, but remembers a validation failure', async () => {
    const store = new MemoryIdempotencyStore(60_000);
    let calls = 0;
    await store.run('m', 'transient', {}, async () => {
      calls++;
      throw opsError('down', { code: 'VENDOR_UNAVAILABLE' });
    }).catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    await store.run('m', 'transient', {}, async () => ++calls);
    expect(calls).toBe(2);

    let validations = 0;
    const invalid = async () => {
      validations++;
      throw opsError('bad', { code: 'VALIDATION_FAILED' });
    };
    await store.run('m', 'invalid', {}, invalid).catch(() => undefined);
    await store.run('m', 'invalid', {}, invalid).catch(() => undefined);
    expect(validations).toBe(1);
  });

  it('scopes keys by mutation and expires them after the window', async () => {
    const store = new MemoryIdempotencyStore(50);
    let writes = 0;
    await store.run('a', 'k', {}, async () => ++writes);
    await store.run('b', 'k', {}, async () => ++writes);
    expect(writes).toBe(2);
    await new Promise((r) => setTimeout(r, 80));
    await store.run('a', 'k', {}, async () => ++writes);
    expect(writes).toBe(3);
  });
});

describe('idempotency store and writes whose result could not be read back', () => {
  it('remembers a write that happened although reading its result failed, so a retry does not write again', async () => {
    const { writtenButUnread } = await import('../../src/errors.js');
    const store = new MemoryIdempotencyStore(60_000);
    let writes = 0;
    const write = async () => {
      writes++;
      throw writtenButUnread(opsError('pharus: GET /inventory/finished-goods/summary timed out', { code: 'VENDOR_TIMEOUT', vendor: 'pharus' }));
    };
    const first = await store.run('adjustInventory', 'k', { q: 1 }, write).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    const again = await store.run('adjustInventory', 'k', { q: 1 }, write).catch((e: unknown) => e);
    expect(writes).toBe(1);
    expect(again).toBe(first);
    expect((first as { extensions: Record<string, unknown> }).extensions).toMatchObject({ code: 'VENDOR_TIMEOUT', vendor: 'pharus', written: true });
  });
});
