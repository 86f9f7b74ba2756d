import type { CallScope } from '../http/types.js';
import { waitAs, type Caller } from './single-flight.js';
import { sharedCall } from './waiting-caller.js';

export interface KeyBatcherOptions<V> {
  /**
   * One vendor call (or a few) for many keys, e.g. Distru `product_ids[]` or `order_id[]`.
   * Returns a value per key it found; a key it leaves out gets `undefined`.
   */
  load(keys: readonly string[], call: CallScope): Promise<Map<string, V>>;
  /** Batches sent at once; keys asked for meanwhile wait together for the next one. */
  maxInFlight: number;
  /** Keys per batch; more wait for the next batch. */
  maxKeys: number;
  /** Budget of one batch, which runs on its own (see SingleFlight). */
  deadlineMs: number;
}

interface Pending<V> {
  promise: Promise<V | undefined>;
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

/**
 * Batching across GraphQL requests. DataLoader merges the keys of one request; this merges the
 * keys of every request into the next vendor call. With at most `maxInFlight` batches under way,
 * keys that arrive while the vendor's budget is spent (Distru: 2 calls in a second) do not each
 * queue a call of their own: they ride together in the next one.
 *
 * A key already pending or in flight is not asked for twice. A batch runs under its own deadline
 * and signal (the first asker's trace and queue place); each caller stops waiting on its own
 * signal or deadline without cancelling the batch the others wait for. A failed batch fails every
 * key in it, and is not remembered: the next ask tries again.
 */
export class KeyBatcher<V> {
  /** Keys waiting for the next batch, with the scope of the first request that asked. */
  private queued = new Map<string, Pending<V>>();
  private queuedCall: CallScope | null = null;
  /** Keys in a batch under way. */
  private readonly sending = new Map<string, Pending<V>>();
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly options: KeyBatcherOptions<V>) {
    if (!(Number.isInteger(options.maxInFlight) && options.maxInFlight >= 1)) throw new TypeError(`keyBatcher.maxInFlight must be a positive integer, got ${options.maxInFlight}`);
    if (!(Number.isInteger(options.maxKeys) && options.maxKeys >= 1)) throw new TypeError(`keyBatcher.maxKeys must be a positive integer, got ${options.maxKeys}`);
  }

  /** Values of `keys` in order (undefined where the vendor has none). */
  getMany(keys: readonly string[], call: CallScope, caller: Caller): Promise<(V | undefined)[]> {
    const waits = keys.map((key) => this.pendingFor(key, call).promise);
    this.schedule();
    return waitAs(Promise.all(waits), caller);
  }

  private pendingFor(key: string, call: CallScope): Pending<V> {
    const existing = this.sending.get(key) ?? this.queued.get(key);
    if (existing) return existing;
    let resolve: (value: V | undefined) => void = () => undefined;
    let reject: (error: unknown) => void = () => undefined;
    const promise = new Promise<V | undefined>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A caller that has left must not turn a later failure into an unhandled rejection.
    promise.catch(() => undefined);
    const pending = { promise, resolve, reject };
    this.queued.set(key, pending);
    this.queuedCall ??= call;
    return pending;
  }

  /** Sends on the next turn of the event loop, so keys asked for in this one ride together. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queued.size > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = new Map<string, Pending<V>>();
      for (const [key, pending] of this.queued) {
        if (batch.size >= this.options.maxKeys) break;
        batch.set(key, pending);
      }
      for (const key of batch.keys()) {
        this.queued.delete(key);
        this.sending.set(key, batch.get(key) as Pending<V>);
      }
      const call = this.queuedCall ?? {};
      if (this.queued.size === 0) this.queuedCall = null;
      void this.send(batch, call);
    }
  }

  private async send(batch: Map<string, Pending<V>>, call: CallScope): Promise<void> {
    this.inFlight++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`batch passed its own deadline of ${this.options.deadlineMs} ms`)), this.options.deadlineMs);
    try {
      const found = await this.options.load([...batch.keys()], sharedCall(call, { signal: controller.signal, deadline: Date.now() + this.options.deadlineMs }));
      for (const [key, pending] of batch) pending.resolve(found.get(key));
    } catch (error) {
      for (const pending of batch.values()) pending.reject(error);
    } finally {
      clearTimeout(timer);
      for (const key of batch.keys()) this.sending.delete(key);
      this.inFlight--;
      this.flush();
    }
  }
}
