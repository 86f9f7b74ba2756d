/**
 * Shares one in-flight call between concurrent callers asking for the same key.
 *
 * The shared call gets its own AbortSignal, not any one caller's: a caller that gives up (its own
 * signal fires) leaves with that signal's reason while the others keep waiting, and the shared call
 * is aborted only when every caller has left. When more than one caller took part, each gets its
 * own `copy` of the value, so no caller can mutate what another one reads.
 */

interface Flight<T> {
  promise: Promise<T>;
  /** Callers that joined, fixed once the call settles: decides whether values are copied. */
  callers: number;
  /** Callers still waiting: at 0 the shared call is aborted. */
  waiting: number;
  controller: AbortController;
}

export interface CoalesceOptions<T> {
  signal?: AbortSignal;
  copy: (value: T) => T;
}

export class Coalescer<T> {
  private readonly inflight = new Map<string, Flight<T>>();

  /** Keys with a call in flight. */
  get size(): number {
    return this.inflight.size;
  }

  /** `joined` is false for the caller that started the shared call, true for the others. */
  async run(key: string, fn: (signal: AbortSignal) => Promise<T>, options: CoalesceOptions<T>): Promise<{ value: T; joined: boolean }> {
    const { signal, copy } = options;
    if (signal?.aborted) throw signal.reason;
    let flight = this.inflight.get(key);
    const joined = flight !== undefined;
    if (!flight) {
      const controller = new AbortController();
      const started: Flight<T> = { promise: Promise.resolve(undefined as never), callers: 0, waiting: 0, controller };
      // Removal is the first reaction to settling, so it happens before any caller continues: no
      // one can join a settled flight, and `callers` is final when values are handed out.
      started.promise = fn(controller.signal).then(
        (value) => {
          this.inflight.delete(key);
          return value;
        },
        (error: unknown) => {
          this.inflight.delete(key);
          throw error;
        },
      );
      this.inflight.set(key, started);
      flight = started;
    }
    const current = flight;
    current.callers++;
    current.waiting++;

    let onAbort: (() => void) | undefined;
    const left = new Promise<never>((_, reject) => {
      if (!signal) return;
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const value = await Promise.race([current.promise, left]);
      return { value: current.callers > 1 ? copy(value) : value, joined };
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      if (--current.waiting === 0 && this.inflight.get(key) === current) current.controller.abort();
    }
  }
}
