import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type GatewayConfig } from '../../src/config.js';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import type { Vendor } from '../../src/model/records.js';
import { startGateway, type GatewayStartOptions, type StartedGateway } from '../../src/server/gateway.js';
import { sandboxConnections } from '../../src/server/sandbox-wiring.js';
import { startSandboxes, type Sandboxes, type SandboxesOptions } from '../../sandbox/index.js';
import { worldCrosswalk, type VendorName } from '../../sandbox/world/index.js';

/**
 * A real stack for integration tests: the four vendor sandboxes and the gateway, each on its own
 * loopback port (0 = free port, so test files can run in parallel), talking real HTTP.
 */
export interface Stack {
  gateway: StartedGateway;
  sandboxes: Sandboxes;
  /** POST a GraphQL request to the gateway over HTTP. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResponse<T>>;
  /** Vendor request counts since the last reset, per vendor: `{ total, requests: { "GET /route": n } }`. */
  stats(): Promise<Record<VendorName, { total: number; requests: Record<string, number> }>>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

export interface GqlResponse<T> {
  status: number;
  data: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface StackOptions {
  sandbox?: Omit<SandboxesOptions, 'ports'>;
  /** Environment for loadConfig (freshness, deadlines…); vendors always come from the sandboxes. */
  env?: Record<string, string>;
  gateway?: Omit<GatewayStartOptions, 'vendors' | 'crosswalk'>;
  /** Vendors the gateway is not configured for (their sandboxes still run). */
  unconfigured?: readonly Vendor[];
  /**
   * Keep Distru's real client budget (DISTRU_MAX_RPS, 2 calls/s). Off by default: a test that is
   * not about the budget would spend most of its time queueing for Distru tokens, so the stack lifts
   * it (an `env` that sets DISTRU_MAX_RPS wins). The resilience tests, which are about it, keep it.
   */
  realDistruBudget?: boolean;
  /** Run the background sync and return once every vendor's first sync has completed (lists answer from the store). */
  synced?: boolean;
  /**
   * Keep the background refresh of recently asked Distru stock (LIVE_STOCK_REFRESH_WINDOW_MS). Off by
   * default: its calls come on the clock, between a test's own, which count exact vendor calls.
   */
  stockRefresh?: boolean;
}

/** Distru's budget where a test does not ask for the real one: the most DISTRU_MAX_RPS allows. */
const LIFTED_DISTRU_MAX_RPS = '1000';

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandboxes = await startSandboxes({ ...options.sandbox, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
  // Each stack gets its own embedded store (a real SQLite file, as a user gets) in a temporary directory.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'opsgraph-test-'));
  const budget = options.realDistruBudget ? {} : { DISTRU_MAX_RPS: LIFTED_DISTRU_MAX_RPS };
  // The background sync is off unless a test asks for it: most tests count exact vendor calls.
  const refresh = options.stockRefresh ? {} : { LIVE_STOCK_REFRESH_WINDOW_MS: '0' };
  const config: GatewayConfig = loadConfig({ PORT: '0', HOST: '127.0.0.1', OPSGRAPH_DATA_DIR: dataDir, SYNC: options.synced ? 'on' : 'off', ...budget, ...refresh, ...options.env });
  const vendors = sandboxConnections(sandboxes);
  for (const vendor of options.unconfigured ?? []) delete vendors[vendor];
  const gateway = await startGateway(config, { ...options.gateway, vendors, crosswalk: new Crosswalk(worldCrosswalk(sandboxes.world)) });

  if (options.synced) await waitForInitialSync(gateway);

  const handles = () => Object.entries(sandboxes.handles) as [VendorName, NonNullable<Sandboxes['handles'][VendorName]>][];
  return {
    gateway,
    sandboxes,
    async gql<T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GqlResponse<T>, 'status'>;
      return { status: response.status, ...body };
    },
    async stats() {
      const out = {} as Record<VendorName, { total: number; requests: Record<string, number> }>;
      for (const [vendor, handle] of handles()) out[vendor] = handle.stats.snapshot();
      return out;
    },
    async resetStats() {
      for (const [, handle] of handles()) handle.stats.reset();
    },
    async close() {
      await gateway.close();
      await sandboxes.close();
      if (!options.env?.OPSGRAPH_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until every configured vendor completed its first sync (at most 120 s on a loaded machine). */
export async function waitForInitialSync(gateway: StartedGateway): Promise<void> {
  for (let waited = 0; waited < 120_000; waited += 50) {
    if (gateway.runtime.sync.initialSyncDone()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the initial sync did not complete within 120 s');
}
