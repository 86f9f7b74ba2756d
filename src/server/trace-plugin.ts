import type { Plugin } from 'graphql-yoga';
import type { StaleNote } from '../cache/scope.js';
import type { GatewayContext, GatewayRequestState } from './context.js';

/**
 * Reports what a response cost upstream: with `X-Opsgraph-Trace: 1`, `extensions.upstream` holds
 * `{ calls, byVendor, ms }`. Whenever something was served from an older copy because a vendor
 * failed, `extensions.stale` lists it (always, trace header or not: the client must know), once
 * per source however many lookups it served, with the oldest copy's age.
 */
export function useUpstreamTrace(): Plugin<GatewayRequestState> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      const wantTrace = ctx.request?.headers.get('x-opsgraph-trace') === '1';
      return {
        onExecuteDone({ result, setResult }) {
          const skipped = ctx.loaders.skippedVendors();
          if ((!wantTrace && ctx.stale.length === 0 && skipped.length === 0) || !result || Symbol.asyncIterator in result) return;
          setResult({
            ...result,
            extensions: {
              ...(result.extensions ?? {}),
              ...(wantTrace ? { upstream: ctx.trace.toJSON() } : {}),
              ...(ctx.stale.length > 0 ? { stale: oncePerSource(ctx.stale) } : {}),
              // Vendors a list would have asked but this gateway is not configured for.
              ...(skipped.length > 0 ? { skippedVendors: skipped } : {}),
            },
          });
        },
      };
    },
  };
}

/** One note per (vendor, source): the one that served the oldest copy. */
export function oncePerSource(notes: readonly StaleNote[]): StaleNote[] {
  const bySource = new Map<string, StaleNote>();
  for (const note of notes) {
    const key = `${note.vendor}\n${note.source}`;
    const seen = bySource.get(key);
    if (!seen || note.ageMs > seen.ageMs) bySource.set(key, note);
  }
  return [...bySource.values()];
}
