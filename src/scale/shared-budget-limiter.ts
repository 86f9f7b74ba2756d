import { RateLimitError, type AcquireOptions, type RateLimitGrant, type RateLimiter } from '../http/rate-limiter.js';
import type { CallWindow } from './call-window.js';

/**
 * A vendor's budget when several replicas share it: the process's own scheduler first (it orders
 * this replica's callers: people before the sync, clients in turn, and never lets this process alone
 * exceed the budget), then the shared window (Redis) that every replica counts in. A grant is released
 * to both when the vendor has answered.
 */
export class SharedBudgetLimiter implements RateLimiter {
  constructor(
    private readonly local: RateLimiter,
    private readonly shared: CallWindow,
    /** Longest sleep between two asks of the shared window (a slot may free earlier than predicted). */
    private readonly pollMs = 50,
  ) {}

  /** Callers still waiting: for this replica's scheduler, or (holding its grant) for the shared window. */
  get queued(): number {
    return this.local.queued + this.polling;
  }

  /** Callers that hold the local grant and wait for a slot in the shared window. */
  private polling = 0;

  async acquire(deadline?: number, signal?: AbortSignal, options: AcquireOptions = {}): Promise<RateLimitGrant> {
    const local = await this.local.acquire(deadline, signal, options);
    this.polling++;
    try {
      for (;;) {
        const grant = await this.shared.take(options.priority ?? 'interactive');
        if (grant.granted) {
          return {
            release: () => {
              grant.release?.();
              local.release();
            },
          };
        }
        if (signal?.aborted) throw new RateLimitError('aborted');
        const wait = Math.min(grant.retryInMs, this.pollMs);
        if (deadline !== undefined && Date.now() + wait >= deadline) throw new RateLimitError('deadline');
        await sleep(wait, signal);
      }
    } catch (error) {
      local.release();
      throw error instanceof RateLimitError ? error : new RateLimitError('aborted');
    } finally {
      this.polling--;
    }
  }

  close(): void {
    this.local.close();
    void this.shared.close();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new RateLimitError('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
