/**
 * A vendor's call budget shared by replicas, as a strict sliding window: at most `limit` calls in ANY
 * `windowMs` span (Distru asks for at most 2 calls per second). `take` either grants one call now or
 * says how long until a slot frees. The Redis implementation is redis-call-window.ts; within one
 * process the budget is src/http/rate-limiter.ts's SlidingWindowScheduler, which orders the callers.
 */
export type CallPriority = 'interactive' | 'background';

/** A grant may ask to be told when the call has been answered (the shared window counts from then). */
export type WindowGrant = { granted: true; release?: () => void } | { granted: false; retryInMs: number };

export interface CallWindow {
  take(priority: CallPriority): Promise<WindowGrant>;
  /** 'shared': one budget across replicas; 'fallback': Redis is unreachable, this replica keeps to its share. */
  mode(): 'shared' | 'fallback';
  close(): Promise<void>;
}
