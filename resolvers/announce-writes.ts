import type { MutationResolvers } from '../src/generated/resolvers.generated.js';
import type { GatewayContext } from '../src/server/context.js';
import type { WriteTarget } from './guard-writes.js';

type AnyResolver = (root: unknown, args: Record<string, unknown>, ctx: GatewayContext, info: unknown) => unknown;

/**
 * After a mutation has run (whatever its outcome: a failed write may still have reached the vendor),
 * every other replica drops its in-process caches of that vendor (src/scale/invalidation-bus.ts;
 * alone, there is nobody to tell). The writing replica's own caches were updated by the write itself.
 */
export function announceWrites(target: WriteTarget, mutations: MutationResolvers): MutationResolvers {
  const announced: Record<string, AnyResolver> = {};
  for (const [name, resolver] of Object.entries(mutations) as [string, AnyResolver][]) {
    announced[name] = async (root, args, ctx, info) => {
      try {
        return await resolver(root, args, ctx, info);
      } finally {
        const vendor = typeof target === 'function' ? target(args) : target;
        if (vendor) await ctx.runtime.cluster.bus.publish({ vendor: vendor.toUpperCase(), topics: [] }).catch(() => undefined);
      }
    };
  }
  return announced;
}
