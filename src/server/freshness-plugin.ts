import type { Plugin } from 'graphql-yoga';
import { freshnessOf } from '../lists/freshness.js';
import type { GatewayRequestState } from './context.js';

/**
 * `extensions.freshness`: for every vendor whose synced copy an answer read (lists, relations served
 * from the store), when that copy was last completed and the sync's state —
 * `{ "distru": { "lastSyncedAt": "2026-…Z", "state": "current" } }`. Live reads (`order(id:)`) add nothing.
 */
export function useFreshness(): Plugin<GatewayRequestState> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayRequestState;
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || Symbol.asyncIterator in result) return;
          const freshness = freshnessOf(ctx, ctx.scope);
          if (!freshness) return;
          setResult({ ...result, extensions: { ...(result.extensions ?? {}), freshness } });
        },
      };
    },
  };
}
