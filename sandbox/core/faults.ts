import { z } from 'zod';

/**
 * Fault injection for the test hooks (`POST /__sandbox/faults`). A fault matches every request
 * (`*`) or those whose method and path start with the given prefix, and hits a `rate` share of them.
 * `{"match": "POST /inventory-transactions", "loseResponse": true}` applies the write and never answers.
 */
export const faultSchema = z
  .object({
    match: z.string().regex(/^(\*|(GET|POST|PUT|PATCH|DELETE) \/\S*)$/, 'match is "*" or "<METHOD> <path prefix>"'),
    status: z.union([z.literal(429), z.literal(500), z.literal(503)]).optional(),
    retryAfter: z.number().int().min(0).max(3600).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    hang: z.literal(true).optional(),
    malformed: z.literal(true).optional(),
    /**
     * The request is handled (a write is applied) and then the connection is destroyed without an
     * answer: what a client sees when the network drops the answer after the vendor wrote.
     */
    loseResponse: z.literal(true).optional(),
    rate: z.number().min(0).max(1).optional(),
  })
  .strict();

export type Fault = z.infer<typeof faultSchema>;

export class FaultSet {
  private faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push(faultSchema.parse(fault));
  }

  clear(): void {
    this.faults = [];
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  /**
   * The faults that hit this request, in the order added. Each fault rolls its own `rate`, so two
   * faults at 0.5 each are independent.
   */
  hits(method: string, path: string): Fault[] {
    const hit: Fault[] = [];
    for (const fault of this.faults) {
      if (!matches(fault.match, method, path)) continue;
      if (fault.rate !== undefined && Math.random() >= fault.rate) continue;
      hit.push(fault);
    }
    return hit;
  }
}

function matches(match: string, method: string, path: string): boolean {
  if (match === '*') return true;
  const space = match.indexOf(' ');
  return match.slice(0, space) === method && path.startsWith(match.slice(space + 1));
}
