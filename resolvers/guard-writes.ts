import type { MutationResolvers } from '../src/generated/resolvers.generated.js';
import type { VendorName } from '../src/errors.js';
import { VENDOR_NAMES } from '../src/errors.js';
import { forbidden } from '../src/server/auth/errors.js';
import { canWrite } from '../src/server/auth/identity.js';
import type { GatewayContext } from '../src/server/context.js';

type AnyResolver = (root: unknown, args: Record<string, unknown>, ctx: GatewayContext, info: unknown) => unknown;

/** Which vendor a mutation writes to: fixed for a vendor's own mutations, read from the arguments for cross-vendor ones. */
export type WriteTarget = VendorName | ((args: Record<string, unknown>) => VendorName | undefined);

/**
 * Wraps mutation resolvers so that a client without `write` or `write:<vendor>` is refused with
 * FORBIDDEN (naming the scope) on that field before its input is read or any vendor is called.
 */
export function guardWrites(target: WriteTarget, mutations: MutationResolvers): MutationResolvers {
  const guarded: Record<string, AnyResolver> = {};
  for (const [name, resolver] of Object.entries(mutations) as [string, AnyResolver][]) {
    guarded[name] = (root, args, ctx, info) => {
      const vendor = typeof target === 'function' ? target(args) : target;
      // An unknown vendor is refused by the mutation's own validation; it needs "write" meanwhile.
      const scope = vendor && VENDOR_NAMES.includes(vendor) ? `write:${vendor}` : 'write';
      if (vendor ? !canWrite(ctx.client, vendor) : !ctx.client.scopes.has('write')) {
        throw forbidden(`${name}: client "${ctx.client.name}" needs the scope "write" or "${scope}"`, scope);
      }
      return resolver(root, args, ctx, info);
    };
  }
  return guarded as MutationResolvers;
}

/** `adjustInventory(input: { vendor })`: the vendor named in the input. */
export const vendorOfInput: WriteTarget = (args) => {
  const vendor = (args.input as { vendor?: unknown } | undefined)?.vendor;
  return typeof vendor === 'string' ? (vendor.toLowerCase() as VendorName) : undefined;
};
