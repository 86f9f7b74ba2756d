import { InteractiveLoad } from './interactive-load.js';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { GatewayConfig } from '../config.js';
import { Crosswalk } from '../catalog/crosswalk.js';
import { VendorHttp, defaultHttpOptions } from '../http/index.js';
import type { Vendor } from '../model/records.js';
import type { VendorRuntime } from '../vendors/types.js';
import { vendorModules } from '../vendors/registry.js';
import { createGatewayApp, type GatewayApp } from './app.js';
import { StoreIdempotencyStore } from '../mutations/idempotency-store.js';
import type { GatewayRuntime } from './runtime.js';
import type { VendorConnection } from '../config.js';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createLogger } from '../observability/logger.js';
import { GatewayMetrics } from '../observability/metrics.js';
import { createMetricsServer } from '../observability/metrics-endpoint.js';
import { vendorObserver } from '../observability/vendor-observer.js';
import { checkVendors, type VendorCheck } from './startup-check.js';
import { openCluster } from '../scale/cluster.js';
import { Redactor } from './errors/redact.js';
import { openStore, type Store } from '../store/index.js';
import { RELATIONS, SyncEngine } from '../sync/index.js';
import { StoreLookups } from '../sync/store-lookups.js';
import { PostgresLease, SoleLease, type SyncLease } from '../scale/sync-lease.js';

export interface StartedGateway {
  url: string;
  port: number;
  app: GatewayApp;
  runtime: GatewayRuntime;
  /** Where /metrics is served: the gateway's own URL, or METRICS_PORT's. */
  metricsUrl: string;
  /** This gateway's metrics: what its /metrics serves, shared with no other gateway in the process. */
  metrics: GatewayMetrics;
  /** The start-up vendor check (`checkVendors: true`), or null when it was not asked for. */
  vendorChecks: Promise<VendorCheck[]> | null;
  /** Stops taking requests, lets in-flight ones finish, then releases vendor connections. */
  close(): Promise<void>;
}

export interface GatewayStartOptions {
  /** Vendor connections to use instead of config.vendors (sandbox mode fills these in). */
  vendors?: Partial<Record<Vendor, VendorConnection>>;
  crosswalk?: Crosswalk;
  /** What GraphiQL opens with. */
  graphiql?: { query: string; variables?: string };
  /** Per-vendor changes to the HTTP defaults (tests shorten timeouts). */
  httpOverrides?: Partial<Record<Vendor, Partial<ReturnType<typeof defaultHttpOptions>>>>;
  /** Probe each configured vendor once after listening and log what is wrong (npm start does). */
  checkVendors?: boolean;
  /** Benchmark baseline only: no batching (pair it with zero freshness for no caches). */
  naive?: boolean;
  /** Request lines, vendor warnings, masked errors with their request id; silent when absent (tests, benchmarks). */
  log?: Logger;
}

/** Builds every vendor runtime and starts the HTTP server. */
export async function startGateway(config: GatewayConfig, options: GatewayStartOptions = {}): Promise<StartedGateway> {
  // The store first: a store that cannot be opened stops the start before any port is bound.
  const store = await openStore(config.store);
  // Then what replicas share (REDIS_URL): a bad or unreachable REDIS_URL stops the start here too.
  const cluster = await openCluster(config.cluster, options.log).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const connections = options.vendors ?? config.vendors;
  const log = options.log ?? createLogger({ level: 'silent' });
  // This gateway's own registry: another gateway in the process never adds to its series.
  const metrics = new GatewayMetrics();
  const observer = vendorObserver(log, metrics);
  const vendors: Partial<Record<Vendor, VendorRuntime>> = {};
  // With SYNC=on the runtimes' lookups read the synced store; the engine is made below, from their clients.
  const lookups = config.sync.enabled ? new StoreLookups(store.db) : undefined;
  const unwatch: (() => void)[] = [];
  for (const [vendor, connection] of Object.entries(connections) as [Vendor, VendorConnection][]) {
    const module = vendorModules[vendor];
    const name = vendor.toLowerCase() as Lowercase<Vendor>;
    const httpOptions = {
      ...defaultHttpOptions(name, config.budgets.distruMaxRps),
      ...(options.httpOverrides?.[vendor] ?? {}),
      baseUrl: connection.baseUrl,
      authHeaders: module.authHeaders(connection),
      routes: module.routes(config.vendorSettings),
    };
    const rateLimiter = cluster.limiterFor(name, httpOptions.rateLimit);
    const http = new VendorHttp(httpOptions, { observer, ...(rateLimiter ? { rateLimiter } : {}) });
    unwatch.push(metrics.watchVendor(name, http));
    vendors[vendor] = module.createRuntime({ http, freshness: config.freshness, settings: config.vendorSettings, metrics, ...(config.hapihubStockSource ? { hapihubStockSource: config.hapihubStockSource } : {}), ...(lookups ? { lookups } : {}) });
  }
  const crosswalk = options.crosswalk ?? (config.crosswalkFile ? Crosswalk.fromFile(config.crosswalkFile) : new Crosswalk());
  // A write through any replica drops what it changed from every replica's in-process caches.
  cluster.bus.subscribe(({ vendor }) => vendors[vendor as Vendor]?.invalidateAll());
  // Vendor error texts never carry our tokens or vendor addresses (a vendor may echo our request).
  // GraphQL requests in flight: the sync waits for them before each page (SYNC_YIELD_MAX_MS at most).
  const interactive = new InteractiveLoad(config.sync.yieldMaxMs);
  const { sync, lease } = syncOf(config, store, vendors, crosswalk, options.log, interactive);
  // opsgraph_sync_lag_seconds{vendor}, read from the engine at each scrape once a vendor has synced.
  if (sync.enabled) unwatch.push(metrics.watchSync(sync));
  lookups?.attach(sync);
  const runtime: GatewayRuntime = { config, crosswalk, vendors, idempotency: idempotencyStoreOf(config, store, metrics), store, cluster, sync };
  const redactor = new Redactor(Object.values(connections).flatMap((c) => [c.token, c.baseUrl, new URL(c.baseUrl).host]));
  const app = createGatewayApp(runtime, {
    ...(options.graphiql ? { graphiql: options.graphiql } : {}),
    log,
    metrics,
    interactive,
    serveMetricsHere: config.metricsPort === null,
    naive: options.naive ?? false,
    redactor,
  });

  try {
    await listen(app.server, config.port, config.host);
  } catch (error) {
    await cluster.close();
    await store.close();
    throw error;
  }
  // The sync starts once the port answers: the gateway serves at once while the first pass runs.
  try {
    await lease.start?.();
    await sync.start();
  } catch (error) {
    app.server.close();
    await lease.close();
    await cluster.close();
    await store.close();
    throw error;
  }
  /** What stops after the API port: the sync (after its page under way, stored with its cursor), then the clients and the store. */
  const releaseAfterServer = async () => {
    await sync.stop();
    await lease.close();
    for (const stop of unwatch) stop();
    for (const runtime of Object.values(vendors)) runtime.close?.();
    await Promise.all(Object.values(vendors).map((v) => v.http.close()));
    await cluster.close();
    await store.close();
  };
  const port = (app.server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let metricsServer: Server | null = null;
  let metricsUrl = `http://${shownHost}:${port}/metrics`;
  if (config.metricsPort !== null) {
    metricsServer = createMetricsServer(metrics, app.metricsGuard);
    try {
      await listen(metricsServer, config.metricsPort, config.host);
    } catch (error) {
      app.server.close();
      await releaseAfterServer();
      throw error;
    }
    metricsUrl = `http://${shownHost}:${(metricsServer.address() as AddressInfo).port}/metrics`;
  }
  const vendorChecks = options.checkVendors ? checkVendors(runtime, log) : null;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    app,
    runtime,
    metricsUrl,
    metrics,
    vendorChecks,
    close: () =>
      (closing ??= (async () => {
        // close() stops accepting connections and resolves once in-flight requests are answered;
        // idle keep-alive sockets are closed so that it does not wait for them.
        const closed = new Promise<void>((resolve) => app.server.close(() => resolve()));
        app.server.closeIdleConnections();
        await closed;
        await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
        await releaseAfterServer();
      })()),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/**
 * The background sync of every configured vendor. Alone, this replica syncs every vendor; with a
 * shared PostgreSQL store (DATABASE_URL) one replica per vendor is elected by PostgresLease
 * (SYNC_LEASE_MS), and a new leader resumes from the stored marks and cursors.
 */
function syncOf(config: GatewayConfig, store: Store, vendors: Partial<Record<Vendor, VendorRuntime>>, crosswalk: Crosswalk, log: Logger | undefined, interactive: InteractiveLoad): { sync: SyncEngine; lease: SyncLease & { start?(): Promise<void> } } {
  const synced = Object.fromEntries((Object.entries(vendors) as [Vendor, VendorRuntime][]).map(([vendor, runtime]) => [vendor, { http: runtime.http, relations: RELATIONS[vendor] }]));
  const lease =
    config.sync.enabled && config.store.databaseUrl
      ? new PostgresLease({ databaseUrl: config.store.databaseUrl, vendors: Object.keys(synced), leaseMs: config.sync.leaseMs, holder: leaseHolder() })
      : new SoleLease();
  const sync = new SyncEngine({ db: store.db, vendors: synced, settings: config.sync, context: { vendorSettings: config.vendorSettings, crosswalk }, lease, interactive, ...(log ? { log } : {}) });
  return { sync, lease };
}

/**
 * What sync_lease.holder says of this replica: its host name (the container id under Docker) and
 * process id, so an operator can tell which replica syncs a vendor; a random tail keeps two
 * replicas apart should both be PID 1 of same-named hosts.
 */
function leaseHolder(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Idempotency records live in the store, so every replica on one PostgreSQL sees them. A pending
 * owner is trusted for the request deadline and a margin: a write never runs longer than that.
 */
function idempotencyStoreOf(config: GatewayConfig, store: Store, metrics: GatewayMetrics): StoreIdempotencyStore {
  return new StoreIdempotencyStore(store.db, { windowMs: config.idempotencyWindowMs, waitMs: config.idempotencyWaitMs, leaseMs: config.requestDeadlineMs + 30_000, metrics });
}
