import type { CallReservation, CallScope } from '../http/types.js';
import { waitAs, type Caller } from './single-flight.js';
import { sharedCall } from './waiting-caller.js';

export interface KeyBatcherOptions<V> {
  /**
   * One vendor call (or a few) for many keys, e.g. Distru `product_ids[]` or `order_id[]`.
   * Returns a value per key it found; a key it leaves out gets `undefined`.
   */
  load(keys: readonly string[], call: CallScope): Promise<Map<string, V>>;
  /**
   * Waits until the vendor's budget lets one call out (`VendorHttp.reserve`): a batch takes its keys
   * only then, so keys that arrive while it waits for the budget ride along, and its call (the
   * `reserved` scope `load` gets) goes out under that place. Absent: a batch takes its keys when formed.
   */
  reserve?(call: CallScope): Promise<CallReservation>;
  /** Batches waiting for the budget or under way at once; keys asked for meanwhile wait together for the next one. */
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
 * queue a call of their own: they ride together in the next one. With `reserve`, a batch first
 * waits for its place in the budget and takes the queued keys (up to `maxKeys`) only when the call
 * can go out, so keys arriving during that wait join it too; one batch is started per `maxKeys`
 * keys queued, so a granted batch always finds keys to send.
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
  /** Batches waiting for budget or sending. */
  private inFlight = 0;
  /** Batches waiting for their place in the budget (they have not taken keys yet). */
  private reserving = 0;
  private scheduled = false;

  constructor(private readonly options: KeyBatcherOptions<V>) {
    if (!(Number.isInteger(options.maxInFlight) && options.maxInFlight >= 1)) throw new TypeError(`keyBatcher.maxInFlight must be a positive integer, got ${options.maxInFlight}`);
    if (!(Number.isInteger(options.maxKeys) && options.maxKeys >= 1)) throw new TypeError(`keyBatcher.maxKeys must be a positive integer, got ${options.maxKeys}`);
  }

  /** Batches waiting for the budget or under way, or keys waiting for one: requests are waiting on the vendor. */
  get busy(): boolean {
    return this.inFlight > 0 || this.queued.size > 0;
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
    // One batch per maxKeys queued keys (those waiting for the budget will take them), at most maxInFlight at once.
    while (this.inFlight < this.options.maxInFlight && this.queued.size > this.reserving * this.options.maxKeys) {
      void this.send(this.queuedCall ?? {});
    }
  }

  /** The queued keys a batch leaving now carries (at most maxKeys, first asked first), moved to `sending`. */
  private take(): Map<string, Pending<V>> {
    const batch = new Map<string, Pending<V>>();
    for (const [key, pending] of this.queued) {
      if (batch.size >= this.options.maxKeys) break;
      batch.set(key, pending);
    }
    for (const [key, pending] of batch) {
      this.queued.delete(key);
      this.sending.set(key, pending);
    }
    if (this.queued.size === 0) this.queuedCall = null;
    return batch;
  }

  private async send(call: CallScope): Promise<void> {
    this.inFlight++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`batch passed its own deadline of ${this.options.deadlineMs} ms`)), this.options.deadlineMs);
    const scope = sharedCall(call, { signal: controller.signal, deadline: Date.now() + this.options.deadlineMs });
    let batch = new Map<string, Pending<V>>();
    try {
      let reservation: CallReservation | undefined;
      if (this.options.reserve) {
        this.reserving++;
        try {
          reservation = await this.options.reserve(scope);
        } finally {
          this.reserving--;
        }
      }
      batch = this.take();
      if (batch.size === 0) {
        reservation?.release();
        return;
      }
      const found = await this.options.load([...batch.keys()], reservation ? { ...scope, reserved: reservation } : scope);
      for (const [key, pending] of batch) pending.resolve(found.get(key));
    } catch (error) {
      // A batch refused its place in the budget fails the keys it would have carried.
      if (batch.size === 0) batch = this.take();
      for (const pending of batch.values()) pending.reject(error);
    } finally {
      clearTimeout(timer);
      for (const key of batch.keys()) this.sending.delete(key);
      this.inFlight--;
      this.flush();
    }
  }
}
