import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { loadConfig } from '../../src/config.js';
import { vendorModules } from '../../src/vendors/registry.js';
import { DEFAULT_VENDOR_SETTINGS } from '../../src/vendors/types.js';
import { startGateway, type StartedGateway } from '../../src/server/gateway.js';
import { sandboxConnections } from '../../src/server/sandbox-wiring.js';
import { LogCapture } from '../support/log-capture.js';
import type { ReadyBody } from '../resilience/harness.js';

// A gateway configured with a wrong Distru base URL (every call 404) and a wrong HAPIHub token
// (every call 401); ISOlocity and Pharus are right.
const capture = new LogCapture();
let sandboxes: Sandboxes;
let gateway: StartedGateway;
let configured: ReturnType<typeof sandboxConnections>;
let dataDir: string | undefined;

beforeAll(async () => {
  sandboxes = await startSandboxes({ scale: 0.2, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
  const right = sandboxConnections(sandboxes);
  configured = { ...right, DISTRU: { ...right.DISTRU!, baseUrl: `${right.DISTRU!.baseUrl}/distru` }, HAPIHUB: { ...right.HAPIHUB!, token: 'not-the-hapihub-token' } };
  // No sync: /readyz would wait for a first pass that two misconfigured vendors never complete.
  dataDir = mkdtempSync(path.join(tmpdir(), 'opsgraph-vendor-checks-'));
  gateway = await startGateway(loadConfig({ PORT: '0', HOST: '127.0.0.1', SYNC: 'off', OPSGRAPH_DATA_DIR: dataDir }), {
    vendors: configured,
    log: capture.logger,
    checkVendors: true,
  });
});
afterAll(async () => {
  await gateway?.close();
  await sandboxes?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function readyz(): Promise<{ status: number; body: ReadyBody }> {
  const res = await fetch(`${gateway.url}/readyz`);
  return { status: res.status, body: (await res.json()) as ReadyBody };
}

describe('the start-up check', () => {
  it('makes one cheap call per vendor and logs a clear line naming the setting when it fails', async () => {
    const checks = await gateway.vendorChecks;
    expect(checks?.map((c) => [c.vendor, c.ok]).sort()).toEqual([
      ['DISTRU', false],
      ['HAPIHUB', false],
      ['ISOLOCITY', true],
      ['PHARUS', true],
    ]);
    const errors = capture.lines.filter((l) => l.level === 50).map((l) => l.msg);
    expect(errors.sort()).toEqual([
      'distru answered 404 to GET /public/v1/locations: is DISTRU_BASE_URL right (it must include the API\'s path prefix)?',
      'hapihub refused our credentials (401) on GET /inventory-transactions: check HAPIHUB_TOKEN',
    ]);
    expect(capture.lines.filter((l) => l.level === 30 && typeof l.check === 'string').map((l) => l.msg).sort()).toEqual(['isolocity reachable, credentials accepted', 'pharus reachable, credentials accepted']);
    // One call each, the vendor's probe.
    for (const [vendor, connection] of Object.entries(gateway.runtime.vendors)) {
      const prefix = new URL(configured[vendor as keyof typeof configured]!.baseUrl).pathname.replace(/\/$/, '');
      const handle = sandboxes.handles[vendor.toLowerCase() as keyof Sandboxes['handles']]!;
      expect(handle.stats.requests().map((r) => `${r.method} ${r.path}`), vendor).toEqual([`GET ${prefix}${vendorModules[connection.vendor].probe(DEFAULT_VENDOR_SETTINGS).path}`]);
    }
    expect(capture.raw.join('\n')).not.toContain('not-the-hapihub-token');
  });
});

describe('/readyz', () => {
  it('reports a vendor whose every call answered 401 or 404 as not healthy, naming the setting to check', async () => {
    await gateway.vendorChecks;
    // Two more Distru calls: a lone 404 may be an unknown id, three in a row and nothing else is the base URL.
    const distru = gateway.runtime.vendors.DISTRU!.http;
    for (let i = 0; i < 2; i++) await distru.request(vendorModules.DISTRU.probe(DEFAULT_VENDOR_SETTINGS));
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.ready).toBe(true);
    expect(Object.fromEntries(body.vendors.map((v) => [v.vendor, [v.healthy, v.reason ?? null]]))).toEqual({
      ISOLOCITY: [true, null],
      PHARUS: [true, null],
      DISTRU: [false, 'every call answered 404: is DISTRU_BASE_URL right?'],
      HAPIHUB: [false, 'every call answered 401: is HAPIHUB_TOKEN right?'],
    });
  });
});
