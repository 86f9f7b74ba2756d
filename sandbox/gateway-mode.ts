/**
 * `npm start` with no vendor configured: the four vendor sandboxes, started in the gateway's
 * process, and what the gateway and a newcomer need to know about them. The gateway loads this
 * module with a dynamic import in sandbox mode only (src/server/sandbox-mode.ts); the simulators
 * and fastify are development dependencies and are not in the production image.
 */
import type { VendorConnection } from '../src/config.js';
import { toGlobalId } from '../src/model/global-id.js';
import type { Vendor } from '../src/model/records.js';
import { sandboxConnections } from '../src/server/sandbox-wiring.js';
import { startSandboxes } from './index.js';
import { ordersToTry, type OrderToTry } from './orders-to-try.js';
import { distruId } from './distru/project.js';
import { pharusId } from './pharus/project.js';
import type { IsolocityStore } from './isolocity/index.js';
import { VENDORS, worldCrosswalk, type CrosswalkEntry, type VendorName, type World } from './world/index.js';

export interface GatewaySandboxOptions {
  seed: number;
  scale: number;
  latencyMs: number;
  host: string;
  /** ISOlocity, Pharus, Distru and HAPIHub listen on this port and the next three; 0 = free ports. */
  basePort: number;
  /** SANDBOX_STRICT: Distru as strict as the real vendor (pages of 25, 429 past 2 calls a second). */
  strict?: boolean;
}

export interface TryOrder extends OrderToTry {
  /** The order's global id, as `order(id:)` takes it. */
  id: string;
}

export interface GatewaySandboxes {
  connections: Partial<Record<Vendor, VendorConnection>>;
  crosswalk: CrosswalkEntry[];
  /** GraphiQL opens on the first. */
  orders: TryOrder[];
  /** The short human start-up text: GraphiQL URL, the data set, orders to try. */
  banner(graphqlUrl: string): string;
  close(): Promise<void>;
}

export async function startGatewaySandboxes(options: GatewaySandboxOptions): Promise<GatewaySandboxes> {
  const ports = Object.fromEntries(VENDORS.map((vendor, i) => [vendor, options.basePort === 0 ? 0 : options.basePort + i])) as Record<VendorName, number>;
  const sandboxes = await startSandboxes({ seed: options.seed, scale: options.scale, latencyMs: options.latencyMs, strict: options.strict ?? false, host: options.host, ports });
  const world = sandboxes.world;
  const isolocityStore = sandboxes.handles.isolocity?.store as IsolocityStore | undefined;

  // Each vendor's own id of a world order, as its sandbox projected it.
  const vendorOrderId = (t: OrderToTry): string | undefined => {
    if (t.order.vendor === 'distru') return distruId('order', t.order.key);
    if (t.order.vendor === 'pharus') return pharusId('sales-order', t.order.key);
    const id = isolocityStore?.orderIdByWorldKey.get(t.order.key);
    return id === undefined ? undefined : String(id);
  };
  const orders = ordersToTry(world).flatMap((t) => {
    const key = vendorOrderId(t);
    return key === undefined ? [] : [{ ...t, id: toGlobalId('Order', t.order.vendor.toUpperCase() as Vendor, key) }];
  });

  const urls = Object.fromEntries(Object.entries(sandboxes.handles).map(([vendor, handle]) => [vendor, handle.url])) as Partial<Record<VendorName, string>>;
  return {
    connections: sandboxConnections(sandboxes),
    crosswalk: worldCrosswalk(world),
    orders,
    banner: (graphqlUrl) => sandboxBanner({ graphqlUrl, world, urls, orders, latencyMs: options.latencyMs }),
    close: () => sandboxes.close(),
  };
}

const LABELS: Record<VendorName, string> = { isolocity: 'ISOlocity', pharus: 'Pharus', distru: 'Distru', hapihub: 'HAPIHub' };
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What each vendor holds of the world, in the vendor's own words. */
function vendorCounts(world: World): Record<VendorName, string> {
  const carried = (vendor: VendorName) => world.skus.filter((s) => s.vendorCodes[vendor] !== undefined).length;
  const orders = (vendor: VendorName) => world.orders.filter((o) => o.vendor === vendor).length;
  const stock = (vendor: VendorName) => world.stock.filter((s) => s.vendor === vendor).length;
  return {
    distru: [plural(carried('distru'), 'product'), plural(orders('distru'), 'order'), plural(world.invoices.length, 'invoice'), plural(stock('distru'), 'stock row')].join(', '),
    pharus: [plural(carried('pharus'), 'SKU'), plural(orders('pharus'), 'sales order'), plural(stock('pharus'), 'stock row')].join(', '),
    isolocity: [plural(carried('isolocity'), 'part'), plural(orders('isolocity'), 'order'), plural(world.inspections.length, 'inspection'), plural(world.ncrs.length, 'NCR')].join(', '),
    hapihub: [plural(carried('hapihub'), 'item'), `stock folded from transactions (${plural(stock('hapihub'), 'level')})`].join(', '),
  };
}

export function sandboxBanner(input: { graphqlUrl: string; world: World; urls: Partial<Record<VendorName, string>>; orders: readonly TryOrder[]; latencyMs: number }): string {
  const { world } = input;
  const counts = vendorCounts(world);
  const lines = [
    `opsgraph ready: ${input.graphqlUrl} (built-in vendor sandboxes)`,
    '',
    `  GraphiQL     ${input.graphqlUrl}   (opens on the flagship query for the first order below)`,
    `  Data set     seed ${world.options.seed}, scale ${world.options.scale}${input.latencyMs > 0 ? `, ${input.latencyMs} ms added to every vendor call` : ''}`,
  ];
  for (const vendor of VENDORS) {
    const url = input.urls[vendor];
    if (url) lines.push(`    ${LABELS[vendor].padEnd(10)} ${url.padEnd(24)} ${counts[vendor]}`);
  }
  lines.push('  Orders to try  order(id: "…")');
  for (const t of input.orders) {
    const details = [
      `${LABELS[t.order.vendor]} ${t.order.number}`,
      t.order.status,
      `${plural(t.order.lines.length, 'line')} (${t.inspectedLines} with inspections)`,
      ...(t.invoices > 0 ? [plural(t.invoices, 'invoice')] : []),
    ];
    lines.push(`    ${t.id}   ${details.join(', ')}`);
  }
  lines.push('', 'Vendor sandboxes take the dev tokens shown by `npm run sandbox`; Ctrl-C (or SIGTERM) stops everything.');
  return lines.join('\n');
}
