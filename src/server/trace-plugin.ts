import type { Plugin } from 'graphql-yoga';
import type { GatewayContext, GatewayRequestState } from './context.js';

/**
 * Reports what a response cost upstream: with `X-Opsgraph-Trace: 1`, `extensions.upstream` holds
 * `{ calls, byVendor, ms }`. Whenever something was served from an older copy because a vendor
 * failed, `extensions.stale` lists it (always, trace header or not: the client must know).
 */
export function useUpstreamTrace(): Plugin<GatewayRequestState> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      const wantTrace = ctx.request?.headers.get('x-opsgraph-trace') === '1';
      return {
        onExecuteDone({ result, setResult }) {
          if ((!wantTrace && ctx.stale.length === 0) || !result || Symbol.asyncIterator in result) return;
          setResult({
            ...result,
            extensions: {
              ...(result.extensions ?? {}),
              ...(wantTrace ? { upstream: ctx.trace.toJSON() } : {}),
              ...(ctx.stale.length > 0 ? { stale: ctx.stale } : {}),
            },
          });
        },
      };
    },
  };
}
