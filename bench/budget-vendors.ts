/**
 * The budget benchmark's vendors: the four sandboxes, strict (Distru pages of 25, 429 past 2 calls
 * in any second), in their own process as real vendors are on other machines, driven over IPC by
 * bench/budget.ts. It tells the benchmark what each vendor holds (for the lower bound of an initial
 * sync) and changes Distru orders inside the vendor, as a Distru user editing orders would, so the
 * gateway's next incremental pass has something to read. Started with `--scale N --latency MS`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSandboxes } from '../sandbox/index.js';
import type { DistruStore } from '../sandbox/distru/store.js';
import { groupsOf } from '../sandbox/distru/routes/inventory.js';
import { inRange, parseDateRange } from '../sandbox/distru/datetime.js';
import type { PharusStore } from '../sandbox/pharus/store.js';
import type { IsolocityStore } from '../sandbox/isolocity/store.js';
import type { HapihubStore } from '../sandbox/hapihub/store.js';
import { worldCrosswalk } from '../sandbox/world/index.js';
import { sandboxConnections } from '../src/server/sandbox-wiring.js';

/** What each vendor holds: the rows of every list the sync reads, by relation. */
export type VendorRows = Record<'DISTRU' | 'PHARUS' | 'ISOLOCITY' | 'HAPIHUB', Record<string, number>>;

export type BenchVendorsMessage =
  | { kind: 'ready'; connections: ReturnType<typeof sandboxConnections>; urls: Record<string, string>; rows: VendorRows; crosswalkFile: string }
  | { kind: 'changed'; ids: string[]; changedAt: string }
  | { kind: 'counted'; since: string; count: number }
  | { kind: 'stock-rows'; products: number; rows: number };

/**
 * `count-orders-since`: the orders Distru answers to `updated_datetime=<since>,` (from inclusive), the
 * rows an increment from that mark must read. `stock-rows-of-orders`: the products on these Distru
 * orders' lines and their inventory rows in every grouping (what the flagship shows).
 */
export type BenchVendorsCommand = { kind: 'change-orders'; count: number } | { kind: 'count-orders-since'; since: string } | { kind: 'stock-rows-of-orders'; ids: string[] } | { kind: 'stop' };

const { values } = parseArgs({ options: { scale: { type: 'string', default: '100' }, latency: { type: 'string', default: '20' }, crosswalk: { type: 'string' } } });
const sandboxes = await startSandboxes({ scale: Number(values.scale), latencyMs: Number(values.latency), strict: true, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
const distru = sandboxes.handles.distru?.store as DistruStore;
const pharus = sandboxes.handles.pharus?.store as PharusStore;
const isolocity = sandboxes.handles.isolocity?.store as IsolocityStore;
const hapihub = sandboxes.handles.hapihub?.store as HapihubStore;

// The gateway joins SKU codes across vendors with the world's crosswalk, read from a file as a deployment would.
const crosswalkFile = values.crosswalk ?? '';
writeFileSync(crosswalkFile, JSON.stringify({ skus: worldCrosswalk(sandboxes.world) }));

const rows: VendorRows = {
  DISTRU: distru.listSizes(),
  PHARUS: { skus: pharus.skus.size, customers: pharus.customers.size, locations: pharus.locations.size, orderChannels: pharus.lookups.orderChannels.size, orders: pharus.salesOrders.size },
  ISOLOCITY: { parts: isolocity.parts.size, customers: isolocity.customers.size, inspections: isolocity.inspections.size, ncrs: isolocity.ncrs.size, orders: isolocity.orders.size },
  HAPIHUB: { transactions: hapihub.all().length },
};

const send = (message: BenchVendorsMessage) => process.send?.(message);

process.on('message', (command: BenchVendorsCommand) => {
  if (command.kind === 'stop') {
    void sandboxes.close().finally(() => process.exit(0));
    return;
  }
  if (command.kind === 'count-orders-since') {
    // Distru's own reading of the filter (a mark may carry microseconds past a record's time).
    const range = parseDateRange(`${command.since},`);
    send({ kind: 'counted', since: command.since, count: range ? [...distru.orders.values()].filter((o) => inRange(o.updatedAt, range)).length : 0 });
    return;
  }
  if (command.kind === 'stock-rows-of-orders') {
    const products = new Set(command.ids.flatMap((id) => distru.orders.get(id)?.items.map((item) => item.productId) ?? []));
    const rows = [...products].reduce((sum, id) => sum + groupsOf(distru.inventory.get(id) ?? [], { location: true, batch: true }).length, 0);
    send({ kind: 'stock-rows', products: products.size, rows });
    return;
  }
  // Orders spread over the whole list (not only the newest), each replaced as a write would: a new
  // note and a new `updated_datetime` on the sandbox clock, which only moves forward.
  const all = [...distru.orders.values()];
  const step = Math.max(1, Math.floor(all.length / command.count));
  const changed = all.filter((_, i) => i % step === 0).slice(0, command.count);
  let first: number | null = null;
  for (const order of changed) {
    const updatedAt = distru.now();
    first ??= updatedAt;
    distru.putOrder({ ...order, externalNotes: `changed by the budget benchmark at ${new Date(updatedAt).toISOString()}`, updatedAt });
  }
  send({ kind: 'changed', ids: changed.map((o) => o.id), changedAt: new Date(first ?? distru.now()).toISOString() });
});

send({ kind: 'ready', connections: sandboxConnections(sandboxes), urls: Object.fromEntries(Object.entries(sandboxes.handles).map(([name, handle]) => [name, handle?.url ?? ''])), rows, crosswalkFile });
