/**
 * The soak: a steady mix of flagship queries (Distru, Pharus and ISOlocity orders of 1 to 50 lines)
 * for a minute against the sandboxes, with one fault switched on per window and off again:
 *
 *   healthy → Pharus down (503) → Distru 429 + Retry-After on half its calls → ISOlocity
 *   malformed bodies → HAPIHub hangs → healthy again
 *
 * It prints, per window, the requests served, the share that came back with errors (and which
 * codes), and p95 latency; the most Distru calls seen in any one second (its budget is 2/s, burst
 * 2); and the process's memory at the start and the end (after a GC), which must not grow beyond
 * what the bounded caches hold.
 *
 * Each request counts in the window it was sent and answered in; one that was sent before a switch
 * and answered after it is counted apart ("across a switch"), so each row shows one fault only.
 * Distru keeps its real budget, so it paces the whole mix (every flagship reads Distru stock).
 *
 * Bounded: SOAK_SECONDS (default 60) of load, SOAK_CONCURRENCY (default 2) clients, every request
 * abandoned after the request deadline plus 5 s, and every loop ends at the soak's end time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../src/config.js';
import { benchDataDir } from './data-dir.js';
import { Crosswalk } from '../src/catalog/crosswalk.js';
import { defaultHttpOptions } from '../src/http/index.js';
import { toGlobalId } from '../src/model/global-id.js';
import { VENDORS, type Vendor } from '../src/model/records.js';
import { FLAGSHIP_QUERY } from '../src/server/flagship.js';
import { startGateway } from '../src/server/gateway.js';
import { sandboxConnections } from '../src/server/sandbox-wiring.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import type { Fault } from '../sandbox/core/faults.js';
import { pharusId } from '../sandbox/pharus/project.js';
import { distruShowcaseOrderId } from '../sandbox/showcase.js';
import { worldCrosswalk } from '../sandbox/world/index.js';
import type { IsolocityStore } from '../sandbox/isolocity/store.js';
import { percentile, printTable } from './stats.js';

const SECONDS = positive('SOAK_SECONDS', 60);
const CONCURRENCY = positive('SOAK_CONCURRENCY', 2);
const LATENCY_MS = Number(process.env.SOAK_LATENCY_MS ?? 10);
/**
 * A hung vendor would hold each request for the default 10 s per-call timeout; 2 s lets a
 * ten-second window show the breaker opening, failing fast and probing (openMs 3 s) more than once.
 */
const TIMEOUT_MS = 2_000;
const OPEN_MS = 3_000;

interface Window {
  name: string;
  faults: Partial<Record<Vendor, Fault[]>>;
}

const WINDOWS: Window[] = [
  { name: 'healthy', faults: {} },
  { name: 'pharus down (503)', faults: { PHARUS: [{ match: '*', status: 503 }] } },
  { name: 'distru 429 + Retry-After 1 s (50%)', faults: { DISTRU: [{ match: '*', status: 429, retryAfter: 1, rate: 0.5 }] } },
  { name: 'isolocity malformed JSON', faults: { ISOLOCITY: [{ match: '*', malformed: true }] } },
  { name: 'hapihub hangs', faults: { HAPIHUB: [{ match: '*', hang: true }] } },
  { name: 'healthy again', faults: {} },
];

interface Sample {
  /** The window it was sent and answered in, or -1 when a switch came in between. */
  window: number;
  ms: number;
  failed: boolean;
  /** Served (partly) from an older copy: `extensions.stale` was set. */
  stale: boolean;
  codes: string[];
}

export async function runSoakBench(): Promise<void> {
  const gc = exposeGc();
  const sandboxes = await startSandboxes({ latencyMs: LATENCY_MS, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', OPSGRAPH_DATA_DIR: benchDataDir(), LOG_LEVEL: 'silent' });
  const httpOverrides = Object.fromEntries(VENDORS.map((v) => [v, { timeoutMs: TIMEOUT_MS, breaker: { ...defaultHttpOptions(lowerOf(v)).breaker, openMs: OPEN_MS } }]));
  const gateway = await startGateway(config, { vendors: sandboxConnections(sandboxes), crosswalk: new Crosswalk(worldCrosswalk(sandboxes.world)), httpOverrides });
  const ids = orderIds(sandboxes);
  const samples: Sample[] = [];
  // Start from a warm gateway (indexes loaded, code compiled): growth from here on is what the
  // soak itself holds on to, which must stay within the bounded caches.
  for (const id of ids) await flagship(gateway.url, id, config.requestDeadlineMs);
  const memoryStart = memory(gc);

  const windowMs = (SECONDS * 1000) / WINDOWS.length;
  const started = Date.now();
  const end = started + SECONDS * 1000;
  const windowAt = (t: number) => Math.min(WINDOWS.length - 1, Math.floor((t - started) / windowMs));
  for (const handle of Object.values(sandboxes.handles)) handle.stats.reset();

  // The schedule: at each window's start, clear every fault and switch on that window's.
  const timers = WINDOWS.map((window, i) =>
    setTimeout(() => {
      for (const handle of Object.values(sandboxes.handles)) handle.faults.clear();
      for (const [vendor, faults] of Object.entries(window.faults) as [Vendor, Fault[]][]) {
        for (const fault of faults) sandboxes.handles[lowerOf(vendor)]?.faults.add(fault);
      }
    }, i * windowMs),
  );

  let next = 0;
  const client = async (): Promise<void> => {
    while (Date.now() < end) {
      const id = ids[next++ % ids.length] as string;
      const sentAt = Date.now();
      const t0 = performance.now();
      const outcome = await flagship(gateway.url, id, config.requestDeadlineMs);
      const window = windowAt(sentAt) === windowAt(Date.now()) ? windowAt(sentAt) : -1;
      samples.push({ window, ms: performance.now() - t0, ...outcome });
    }
  };

  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, () => client()));
  } finally {
    for (const timer of timers) clearTimeout(timer);
    for (const handle of Object.values(sandboxes.handles)) handle.faults.clear();
  }
  const distruLog = sandboxes.handles.distru?.stats.requests() ?? [];
  const memoryEnd = memory(gc);
  const readyz = gateway.runtime.vendors;
  const breakers = VENDORS.map((v) => `${v.toLowerCase()} ${readyz[v]?.http.health().breaker ?? 'off'}`).join(', ');
  await gateway.close();
  await sandboxes.close();

  const row = (name: string, seconds: number | string, inWindow: readonly Sample[]) => {
    const failed = inWindow.filter((s) => s.failed);
    const codeCounts = new Map<string, number>();
    for (const s of failed) for (const code of s.codes) codeCounts.set(code, (codeCounts.get(code) ?? 0) + 1);
    return {
      window: name,
      seconds,
      requests: inWindow.length,
      'error rate': inWindow.length === 0 ? '—' : `${((100 * failed.length) / inWindow.length).toFixed(1)}%`,
      stale: inWindow.filter((s) => s.stale).length,
      'p95 ms': inWindow.length === 0 ? '—' : Math.round(percentile(inWindow.map((s) => s.ms), 95)),
      'error codes (responses)': [...codeCounts].map(([code, n]) => `${code}×${n}`).join(' ') || '—',
    };
  };
  const rows = WINDOWS.map((window, i) => row(window.name, Number((windowMs / 1000).toFixed(1)), samples.filter((s) => s.window === i)));
  rows.push(row('(across a switch)', '—', samples.filter((s) => s.window === -1)));
  printTable(
    `Soak — ${SECONDS} s, ${CONCURRENCY} clients, flagship mix of ${ids.length} orders, ${LATENCY_MS} ms per vendor call; per-call timeout ${TIMEOUT_MS} ms, breaker opens after ${defaultHttpOptions('distru').breaker.failureThreshold} failures for ${OPEN_MS} ms, Distru budget ${defaultHttpOptions('distru').rateLimit?.maxCalls} calls in any ${defaultHttpOptions('distru').rateLimit?.windowMs} ms`,
    rows,
  );
  const total = samples.length;
  const failedTotal = samples.filter((s) => s.failed).length;
  console.log(`served ${total} requests (${failedTotal} with errors); p95 overall ${Math.round(percentile(samples.map((s) => s.ms), 95))} ms; breakers at the end: ${breakers}`);
  const budget = defaultHttpOptions('distru').rateLimit;
  const maxPerSecond = maxInWindow(distruLog.map((r) => r.at), 1_000);
  console.log(`distru calls in the busiest second: ${maxPerSecond} (budget ${budget ? budget.maxCalls : '∞'}: a sliding window) — ${budget && maxPerSecond <= budget.maxCalls ? 'held' : 'EXCEEDED'}`);
  printTable(`Memory (${gc ? 'after a full GC' : 'no GC available'})`, [
    { when: 'start', 'rss MB': mb(memoryStart.rss), 'heapUsed MB': mb(memoryStart.heapUsed) },
    { when: 'end', 'rss MB': mb(memoryEnd.rss), 'heapUsed MB': mb(memoryEnd.heapUsed) },
    { when: 'growth', 'rss MB': mb(memoryEnd.rss - memoryStart.rss), 'heapUsed MB': mb(memoryEnd.heapUsed - memoryStart.heapUsed) },
  ]);
}

/** One flagship query; never waits longer than the request deadline plus 5 s. */
async function flagship(url: string, id: string, deadlineMs: number): Promise<{ failed: boolean; stale: boolean; codes: string[] }> {
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: FLAGSHIP_QUERY, variables: { id } }),
      signal: AbortSignal.timeout(deadlineMs + 5_000),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[]; extensions?: { stale?: unknown[] } };
    const codes = [...new Set((body.errors ?? []).map((e) => e.extensions?.code ?? 'UNKNOWN'))];
    return { failed: response.status !== 200 || codes.length > 0, stale: (body.extensions?.stale?.length ?? 0) > 0, codes };
  } catch {
    // The gateway did not answer in time (or at all).
    return { failed: true, stale: false, codes: ['NO_ANSWER'] };
  }
}

/** Flagship targets: Distru orders of 1, 10 and 50 lines, and a ten-line Pharus and ISOlocity order. */
function orderIds(sandboxes: Sandboxes): string[] {
  const world = sandboxes.world;
  return [
    toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(world, 'oneLine')),
    toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(world, 'tenLines')),
    toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(world, 'fiftyLines')),
    toGlobalId('Order', 'PHARUS', pharusId('sales-order', world.showcase.pharus.tenLines)),
    toGlobalId('Order', 'ISOLOCITY', String((sandboxes.handles.isolocity?.store as IsolocityStore).orderIdByWorldKey.get(world.showcase.isolocity.tenLines))),
  ];
}

function lowerOf(vendor: Vendor) {
  return vendor.toLowerCase() as Lowercase<Vendor>;
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!(Number.isFinite(value) && value > 0)) throw new TypeError(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
}

/** `global.gc` without restarting node with --expose-gc, so start and end are compared after a full GC. */
function exposeGc(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

function memory(gc: (() => void) | null): NodeJS.MemoryUsage {
  gc?.();
  return process.memoryUsage();
}

const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));

function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}
