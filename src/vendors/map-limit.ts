/**
 * Runs `fn` over `items` with at most `limit` calls in flight, results in item order. Vendor calls
 * that cannot be batched (one id, one lot, one page per call) go through here, so that a wide query
 * queues (at the HTTP layer's rate limit and pool) instead of opening a burst of sockets.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
