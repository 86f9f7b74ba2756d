/**
 * Request accounting for the test hooks: counts by `METHOD /route/:pattern`, and a bounded log of
 * recent requests with their arrival time (to check client-side rate limits from outside).
 */
export interface LoggedRequest {
  at: number; // epoch ms
  method: string;
  route: string;
  path: string;
  /** The raw query string (without `?`), as sent. */
  query?: string;
  status?: number;
}

const LOG_LIMIT = 20_000;

export class RequestStats {
  private total = 0;
  private counts = new Map<string, number>();
  private log: LoggedRequest[] = [];

  record(entry: LoggedRequest): void {
    this.total++;
    const key = `${entry.method} ${entry.route}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.log.push(entry);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  snapshot(): { total: number; requests: Record<string, number> } {
    return { total: this.total, requests: Object.fromEntries(this.counts) };
  }

  requests(): readonly LoggedRequest[] {
    return this.log;
  }

  reset(): void {
    this.total = 0;
    this.counts.clear();
    this.log = [];
  }
}
