/**
 * The one "load once, share with concurrent callers" mechanism of opsgraph (STYLE.md lesson 11):
 * identical GETs in the HTTP layer, index and catalogue reloads, and the sync all go through it.
 *
 * The shared work runs under its own signal and its own deadline, never under a caller's: a caller
 * whose request goes away (its signal fires) or whose deadline passes stops waiting and gets its
 * own error, while the others keep waiting and the work goes on. What happens when every caller
 * has left is the owner's choice (`whenAbandoned`): a reload whose result is kept for later
 * readers continues; a plain HTTP read nobody will see is aborted.
 */

export interface SharedWork {
  /** Fires only at the work's own deadline (or when abandoned, with `whenAbandoned: 'abort'`). */
  signal: AbortSignal;
  /** epoch ms: the work's own deadline. */
  deadline: number;
}

export interface SingleFlightOptions {
  /** How long the shared work may run, from its start. */
  deadlineMs: number;
  /** When the last caller has left: `continue` (the result is kept for others) or `abort`. */
  whenAbandoned: 'continue' | 'abort';
}

export interface Caller {
  /** The caller's own cancellation (its GraphQL request went away): it leaves with `signal.reason`. */
  signal?: AbortSignal;
  /** epoch ms: the caller leaves then, with `timeoutError()`. */
  deadline?: number;
  timeoutError?: () => Error;
}

export interface Shared<T> {
  value: T;
  /** false for the caller that started the work. */
  joined: boolean;
  /** true when more than one caller received this value (so a mutable value must be copied). */
  shared: boolean;
}

interface Flight<T> {
  promise: Promise<T>;
  /** Callers that joined, final once the work settles. */
  callers: number;
  /** Callers still waiting. */
  waiting: number;
  controller: AbortController;
}

export class SingleFlight<T> {
  private readonly inflight = new Map<string, Flight<T>>();

  constructor(private readonly options: SingleFlightOptions) {
    if (!(Number.isFinite(options.deadlineMs) && options.deadlineMs > 0)) throw new TypeError(`singleFlight.deadlineMs must be a positive number, got ${options.deadlineMs}`);
  }

  /** Keys with work in flight. */
  get size(): number {
    return this.inflight.size;
  }

  /** True while work for `key` is under way. */
  has(key: string): boolean {
    return this.inflight.has(key);
  }

  async run(key: string, work: (shared: SharedWork) => Promise<T>, caller: Caller = {}): Promise<Shared<T>> {
    if (caller.signal?.aborted) throw caller.signal.reason;
    let flight = this.inflight.get(key);
    const joined = flight !== undefined;
    if (!flight) flight = this.start(key, work);
    const current = flight;
    current.callers++;
    current.waiting++;

    try {
      const value = await waitAs(current.promise, caller);
      return { value, joined, shared: current.callers > 1 };
    } finally {
      if (--current.waiting === 0 && this.inflight.get(key) === current && this.options.whenAbandoned === 'abort') current.controller.abort(new Error('abandoned by every caller'));
    }
  }

  private start(key: string, work: (shared: SharedWork) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    const deadline = Date.now() + this.options.deadlineMs;
    const timer = setTimeout(() => controller.abort(new Error(`shared work passed its own deadline of ${this.options.deadlineMs} ms`)), this.options.deadlineMs);
    const flight: Flight<T> = { promise: Promise.resolve(undefined as never), callers: 0, waiting: 0, controller };
    // Removal is the first reaction to settling, so it happens before any caller continues: no
    // one can join a settled flight, and `callers` is final when values are handed out.
    const settle = (): void => {
      clearTimeout(timer);
      if (this.inflight.get(key) === flight) this.inflight.delete(key);
    };
    flight.promise = Promise.resolve()
      .then(() => work({ signal: controller.signal, deadline }))
      .then(
        (value) => {
          settle();
          return value;
        },
        (error: unknown) => {
          settle();
          throw error;
        },
      );
    // A flight every caller has left may still fail: that is the owner's to see, not unhandled.
    flight.promise.catch(() => undefined);
    this.inflight.set(key, flight);
    return flight;
  }
}

/**
 * Waits for shared work as one caller: settles with the work, or rejects when the caller's signal
 * fires (with its reason) or its deadline passes (with `timeoutError()`), leaving the work alone.
 */
export async function waitAs<T>(work: Promise<T>, caller: Caller): Promise<T> {
  let leave: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const left = new Promise<never>((_, reject) => {
    const { signal } = caller;
    if (signal) {
      if (signal.aborted) reject(signal.reason);
      leave = () => reject(signal.reason);
      signal.addEventListener('abort', leave, { once: true });
    }
    if (caller.deadline !== undefined && Number.isFinite(caller.deadline)) {
      const error = caller.timeoutError ?? (() => new Error('deadline passed while waiting for shared work'));
      timer = setTimeout(() => reject(error()), Math.max(0, caller.deadline - Date.now()));
    }
  });
  try {
    return await Promise.race([work, left]);
  } finally {
    if (leave) caller.signal?.removeEventListener('abort', leave);
    if (timer) clearTimeout(timer);
  }
}
