/**
 * Shared pieces of the resilience tests: a stack whose HTTP settings make faults quick to observe,
 * the query every fault test sends, and a reader that says exactly which fields came back null and
 * with which error.
 */
import { expect } from 'vitest';
import type { VendorName } from '../../src/errors.js';
import type { defaultHttpOptions } from '../../src/http/index.js';
import type { CircuitBreakerOptions } from '../../src/http/circuit-breaker.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { VENDORS, type Vendor } from '../../src/model/records.js';
import type { LoggedRequest } from '../../sandbox/core/stats.js';
import { pharusId } from '../../sandbox/pharus/project.js';
import { distruId } from '../../sandbox/distru/project.js';
import type { WorldOrder } from '../../sandbox/world/index.js';
import { startStack, type GqlResponse, type Stack, type StackOptions } from '../support/stack.js';
export { SkippingClock } from '../support/skipping-clock.js';

export type HttpOverrides = Partial<Record<Vendor, Partial<ReturnType<typeof defaultHttpOptions>>>>;

export const lower = (vendor: Vendor): VendorName => vendor.toLowerCase() as VendorName;

/**
 * Per-vendor HTTP settings for fault tests: one retry with a short backoff, a per-call timeout
 * well under the request deadline, and a breaker that does not open unless a test asks for it
 * (so one test's failures never make the next one fail fast). Distru's 2 calls/s budget is lifted
 * unless `distruBudget` is true: a fault test would otherwise spend seconds queueing for Distru
 * tokens. The budget's own tests (distru-budget, test/http/rate-limit) and the vendor-down tests,
 * which see each fault under the real budget, keep it.
 */
export function quickHttp(overrides: HttpOverrides = {}, options: { timeoutMs?: number; retries?: number; distruBudget?: boolean; breaker?: CircuitBreakerOptions } = {}): HttpOverrides {
  const out: HttpOverrides = {};
  for (const vendor of VENDORS) {
    out[vendor] = {
      timeoutMs: options.timeoutMs ?? 2_000,
      retries: { max: options.retries ?? 1, baseDelayMs: 10, maxDelayMs: 40 },
      breaker: options.breaker ?? { failureThreshold: 10_000, openMs: 1_000 },
      ...(vendor === 'DISTRU' && options.distruBudget !== true ? { rateLimit: { maxCalls: 1_000, windowMs: 1_000, maxQueue: 1_000 } } : {}),
      ...overrides[vendor],
    };
  }
  return out;
}

/** A stack at a small world scale (the showcase orders exist at every scale); without `http`, Distru keeps its real budget. */
export function startResilienceStack(options: { env?: Record<string, string>; http?: HttpOverrides; strict?: boolean } = {}): Promise<Stack> {
  const stackOptions: StackOptions = {
    sandbox: { scale: 0.3, ...(options.strict ? { strict: true } : {}) },
    env: { LOG_LEVEL: 'silent', ...options.env },
    gateway: { httpOverrides: options.http ?? quickHttp({}, { distruBudget: true }) },
    // These tests are about the vendor budgets: Distru keeps its 2 calls/s unless quickHttp lifts it.
    realDistruBudget: true,
  };
  return startStack(stackOptions);
}

/** Back to a clean state between tests: no faults, no request counts, no cross-request copies. */
export async function resetStack(stack: Stack): Promise<void> {
  for (const handle of Object.values(stack.sandboxes.handles)) {
    handle.faults.clear();
    handle.setLatency(0);
  }
  for (const runtime of Object.values(stack.gateway.runtime.vendors)) runtime.invalidateAll();
  await stack.resetStats();
}

export function handleOf(stack: Stack, vendor: Vendor) {
  const handle = stack.sandboxes.handles[lower(vendor)];
  if (!handle) throw new Error(`no ${vendor} sandbox`);
  return handle;
}

/** Requests one sandbox logged since the last reset. */
export function logOf(stack: Stack, vendor: Vendor): readonly LoggedRequest[] {
  return handleOf(stack, vendor).stats.requests();
}

export function countOf(stack: Stack, vendor: Vendor): number {
  return handleOf(stack, vendor).stats.snapshot().total;
}

export function counts(stack: Stack): Record<Vendor, number> {
  return Object.fromEntries(VENDORS.map((v) => [v, countOf(stack, v)])) as Record<Vendor, number>;
}

/**
 * The two orders TwoOrders reads: an invoiced Distru order of several lines (the first in world
 * order with at least four lines and an invoice), and Pharus's ten-line showcase order.
 */
export function chosenOrders(stack: Stack): { distru: WorldOrder; pharus: WorldOrder } {
  const world = stack.sandboxes.world;
  const invoiced = new Set(world.invoices.map((i) => i.orderKey));
  const distru = world.orders.find((o) => o.vendor === 'distru' && o.lines.length >= 4 && invoiced.has(o.key));
  const pharus = world.orderByKey.get(world.showcase.pharus.tenLines);
  if (!distru || !pharus) throw new Error('the world has no invoiced Distru order of four lines or more');
  return { distru, pharus };
}

export function showcaseIds(stack: Stack): { distru: string; pharus: string } {
  const { distru, pharus } = chosenOrders(stack);
  return { distru: toGlobalId('Order', 'DISTRU', distruId('order', distru.key)), pharus: toGlobalId('Order', 'PHARUS', pharusId('sales-order', pharus.key)) };
}

/**
 * Two orders, one held by Distru and one by Pharus, each with its invoices, and per line the SKU's
 * ISOlocity part (inspections, NCRs) and stock in every vendor: every vendor serves some field, and
 * whichever vendor fails, some other vendor's fields remain to prove that they still resolve.
 */
export const TWO_ORDERS = /* GraphQL */ `
  query TwoOrders($distru: ID!, $pharus: ID!) {
    distru: order(id: $distru) { ...OrderView }
    pharus: order(id: $pharus) { ...OrderView }
  }
  fragment OrderView on Order {
    id
    vendor
    number
    total
    invoices { id number total }
    lines {
      quantity
      sku {
        code
        part { id identification inspections { id } ncrs { id } }
        inventory { vendor onHand location { id } }
      }
    }
  }
`;

export interface OrderView {
  id: string;
  vendor: Vendor;
  number: string | null;
  total: string | null;
  invoices: { id: string; number: string | null; total: string | null }[] | null;
  lines: {
    quantity: string;
    sku: {
      code: string;
      part: { id: string; identification: string; inspections: { id: string }[] | null; ncrs: { id: string }[] | null } | null;
      inventory: ({ vendor: Vendor; onHand: string; location: { id: string } | null } | null)[];
    } | null;
  }[];
}

export type TwoOrders = { distru: OrderView | null; pharus: OrderView | null };

export function twoOrders(stack: Stack, headers: Record<string, string> = {}): Promise<GqlResponse<TwoOrders>> {
  return stack.gql<TwoOrders>(TWO_ORDERS, showcaseIds(stack), headers);
}

export const pathKey = (path: readonly (string | number)[] | undefined): string => (path ?? []).join('.');

/** Every error as `path → code/vendor`, sorted, so a test compares the whole set at once. */
export function errorTable(response: GqlResponse<unknown>): Record<string, string> {
  const table: Record<string, string> = {};
  for (const error of response.errors ?? []) {
    table[pathKey(error.path)] = `${String(error.extensions?.code)}/${String(error.extensions?.vendor)}`;
  }
  return table;
}

/**
 * The error paths (and their `code/vendor`) that a failure of `vendor` must produce in TWO_ORDERS,
 * and nothing else: the order it holds is null; in the other order, each line's part (ISOlocity)
 * or the one inventory entry the vendor would have filled (read from where the response put the
 * null) is null.
 */
export function expectedFailure(response: GqlResponse<TwoOrders>, vendor: Vendor, code: string): Record<string, string> {
  const expected: Record<string, string> = {};
  const mark = `${code}/${lower(vendor)}`;
  for (const root of ['distru', 'pharus'] as const) {
    const holder: Vendor = root === 'distru' ? 'DISTRU' : 'PHARUS';
    if (holder === vendor) {
      expected[root] = mark;
      continue;
    }
    const order = response.data?.[root];
    if (!order) throw new Error(`${root} order missing: ${JSON.stringify(response.errors)}`);
    order.lines.forEach((line, i) => {
      if (!line.sku) throw new Error(`${root} line ${i} has no sku`);
      if (vendor === 'ISOLOCITY') expected[`${root}.lines.${i}.sku.part`] = mark;
      const at = line.sku.inventory.findIndex((level) => level === null);
      expected[`${root}.lines.${i}.sku.inventory.${at < 0 ? 'none' : at}`] = mark;
    });
  }
  return expected;
}

/** Asserts that every field a healthy `vendor` would not have filled is filled by the others. */
export function expectOthersResolved(stack: Stack, response: GqlResponse<TwoOrders>, failed: Vendor | null): void {
  const chosen = chosenOrders(stack);
  const lineCounts = { distru: chosen.distru.lines.length, pharus: chosen.pharus.lines.length };
  const healthy = VENDORS.filter((v) => v !== failed);
  const stocked = new Set<Vendor>();
  for (const root of ['distru', 'pharus'] as const) {
    const order = response.data?.[root];
    const holder: Vendor = root === 'distru' ? 'DISTRU' : 'PHARUS';
    if (holder === failed) {
      expect(order, `${root} is held by the failed vendor`).toBeNull();
      continue;
    }
    expect(order, `${root} order`).not.toBeNull();
    if (!order) continue;
    expect(order.vendor).toBe(holder);
    expect(order.number).toEqual(expect.any(String));
    expect(order.invoices, `${root}.invoices`).not.toBeNull();
    if (root === 'distru') expect(order.invoices?.length, 'the Distru order is invoiced').toBeGreaterThan(0);
    expect(order.lines.length).toBe(lineCounts[root]);
    for (const line of order.lines) {
      expect(line.sku).not.toBeNull();
      if (failed !== 'ISOLOCITY') {
        expect(line.sku?.part, `part of ${line.sku?.code}`).not.toBeNull();
        expect(line.sku?.part?.inspections).toEqual(expect.any(Array));
        expect(line.sku?.part?.ncrs).toEqual(expect.any(Array));
      }
      const levels = line.sku?.inventory ?? [];
      expect(levels.filter((l) => l === null).length, `null inventory entries of ${line.sku?.code}`).toBe(failed === null ? 0 : 1);
      for (const level of levels) {
        if (level === null) continue;
        expect(level.vendor).not.toBe(failed);
        stocked.add(level.vendor);
      }
    }
  }
  // Every healthy vendor contributed stock somewhere in the two orders.
  expect([...stocked].sort()).toEqual([...healthy].sort());
}

/** Waits until `check` is true, polling; throws after `timeoutMs` (every wait in these tests is bounded). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function readyz(stack: Stack): Promise<{ status: number; body: ReadyBody }> {
  const res = await fetch(`${stack.gateway.url}/readyz`);
  return { status: res.status, body: (await res.json()) as ReadyBody };
}

export interface ReadyBody {
  ready: boolean;
  mode: string;
  vendors: { vendor: Vendor; configured: boolean; healthy?: boolean; reason?: string; breaker?: 'closed' | 'open' | 'half-open'; recentCalls?: number; recentErrorRate?: number; lastError?: string }[];
}

export async function healthz(stack: Stack): Promise<number> {
  const res = await fetch(`${stack.gateway.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.status;
}

/** The largest number of requests in the log that fall in any window of `windowMs`. */
export function maxInWindow(log: readonly LoggedRequest[], windowMs: number): number {
  const times = log.map((r) => r.at).sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}
