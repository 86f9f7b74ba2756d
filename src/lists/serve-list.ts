import type { GatewayContext } from '../server/context.js';
import { decodeCursor, validateFirst, type Connection } from '../server/pagination.js';
import { noteStoreRead } from './freshness.js';
import { listContextOf, type ListSpec } from './list-spec.js';
import { listConnection, planList, relationsOfPlan, type ListArgs } from './read-list.js';
import { assertSynced, relationSyncs } from './sync-status.js';

/**
 * A GraphQL list connection, answered from the synced store with no vendor call: arguments checked
 * first (bad input is refused even while syncing), then SYNC_IN_PROGRESS while any vendor the list
 * reads has not completed its first sync, then one keyset page. The vendors read are noted for
 * `extensions.freshness`.
 */
export async function serveList<F, N>(spec: ListSpec<F, N>, args: ListArgs<F>, ctx: GatewayContext): Promise<Connection<N>> {
  const list = listContextOf(ctx);
  validateFirst(args.first);
  const planned = await planList(spec, args, list);
  if (args.after) decodeCursor(args.after, spec.name, planned.ordering);
  const syncs = await relationSyncs(list.db, relationsOfPlan(planned));
  assertSynced(spec.name, syncs, ctx.runtime.sync.enabled);
  noteStoreRead(ctx, syncs);
  return listConnection(planned, args);
}
